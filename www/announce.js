// announce.js: what screen readers hear from the page outside the tour, through one polite
// live region (#announcer). At most one message every MIN_GAP_MS: a message that comes sooner
// waits, and a newer one replaces it, so the last word (finished, verdicts ready) always
// arrives and a running counter never floods the reader.

/** The shortest time between two announcements. */
const MIN_GAP_MS = 3000;

let lastAt = -Infinity;
let waiting = null;
let timer = 0;

/** Says `text` politely, now or when the gap since the last announcement has passed. */
export function announce(text) {
  waiting = text;
  const wait = lastAt + MIN_GAP_MS - performance.now();
  if (wait <= 0) flush();
  else timer ||= setTimeout(flush, wait);
}

function flush() {
  timer = 0;
  if (waiting == null) return;
  const region = document.getElementById("announcer");
  if (region) region.textContent = waiting;
  waiting = null;
  lastAt = performance.now();
}
