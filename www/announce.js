// announce.js: what screen readers hear from the page outside the tour, through one polite
// live region (#announcer). At most one message every MIN_GAP_MS. Messages that come sooner
// wait in line, one per source: a newer message from the same source replaces its waiting
// one, so a running counter never floods the reader, and each source's last word (training
// finished, extraction finished, verdicts ready) is always heard.

/** The shortest time between two announcements. */
const MIN_GAP_MS = 3000;

let lastAt = -Infinity;
const waiting = new Map(); // source → text, oldest first
let timer = 0;

/** Says `text` politely for `source` ("playground", "api", …), now or when its turn comes. */
export function announce(text, source) {
  waiting.delete(source); // a replaced message goes to the back of the line
  waiting.set(source, text);
  const wait = lastAt + MIN_GAP_MS - performance.now();
  if (wait <= 0) flush();
  else timer ||= setTimeout(flush, wait);
}

function flush() {
  timer = 0;
  const [first] = waiting;
  if (!first) return;
  const [source, text] = first;
  waiting.delete(source);
  const region = document.getElementById("announcer");
  if (region) region.textContent = text;
  lastAt = performance.now();
  if (waiting.size) timer = setTimeout(flush, MIN_GAP_MS);
}
