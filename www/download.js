// download.js: the module's download, with its progress in bytes.

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
