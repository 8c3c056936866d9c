// ticker.js: a Worker's ticks, chained through a MessageChannel rather than setTimeout, which
// browsers clamp to 4 ms once nested; messages from the page still get in between two ticks.

/**
 * Returns `schedule()`: it runs `tick` once, as soon as the messages already queued are
 * handled, however often it is called before then.
 */
export function ticker(tick) {
  const channel = new MessageChannel();
  let scheduled = false;
  channel.port1.onmessage = () => {
    scheduled = false;
    tick();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    channel.port2.postMessage(null);
  };
}
