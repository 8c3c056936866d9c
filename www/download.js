// download.js: downloads with their progress in bytes: the data files a section fetches when
// it opens (startup.js shows the module's).

import { describe } from "./messages.js";

/**
 * Fetches every URL, reporting (bytes so far, bytes in all) as they arrive; the total is 0
 * while any size is unknown. Resolves to each file's bytes (ArrayBuffers, in `urls`' order);
 * throws an Error naming the file and what went wrong.
 */
export async function fetchAll(urls, progress) {
  const loaded = urls.map(() => 0);
  const totals = urls.map(() => 0);
  const report = () => progress(sum(loaded), totals.every((t) => t > 0) ? sum(totals) : 0);
  return Promise.all(
    urls.map(async (url, i) => {
      let response;
      try {
        response = await fetch(url);
      } catch (err) {
        throw new Error(`Could not download ${url}: ${describe(err)} (a network error, or the file is blocked).`);
      }
      if (!response.ok) {
        throw new Error(`Could not download ${url}: the server answered ${response.status} ${response.statusText || ""}`.trim() + ".");
      }
      totals[i] = Number(response.headers.get("content-length")) || 0;
      const reader = response.body.getReader();
      const chunks = [];
      for (;;) {
        let part;
        try {
          part = await reader.read();
        } catch (err) {
          throw new Error(`Could not download ${url}: the transfer broke off (${describe(err)}).`);
        }
        if (part.done) break;
        chunks.push(part.value);
        loaded[i] += part.value.byteLength;
        report();
      }
      return concat(chunks, loaded[i]);
    }),
  );
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function concat(chunks, length) {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out.buffer;
}
