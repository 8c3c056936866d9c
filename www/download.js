// download.js: downloads with their progress in bytes: the module's, and the data files a
// section fetches when it opens.

import { describe } from "./messages.js";

/**
 * Fetches `url` and calls `onProgress(received)` with the bytes of body received so far as
 * they arrive. Returns the response itself, untouched (the count reads a clone), so that the
 * browser still compiles the module while it streams and caches the compiled code.
 */
export async function fetchWithProgress(url, onProgress) {
  const response = await fetch(url);
  if (!response.ok || !response.body) return response;
  const reader = response.clone().body.getReader();
  (async () => {
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      received += value.byteLength;
      onProgress(received);
    }
  })().catch(() => {}); // a failed body fails the compile too, which says why
  return response;
}

/** Megabytes with one decimal, e.g. "1.4". */
export function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

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
