// discard.js: the inline question asked before an action throws away finished results (a
// finished run, an extraction's results, an investigation's verdicts): "Reset discards … "
// with the action and Keep. No window.confirm: the question sits in the toolbar, where the
// key or button that asked for the action is.

const $ = (id) => document.getElementById(id);

let pending = null; // the action waiting for an answer
let kept = null; // what undoing the request takes, if the answer is Keep (or no answer comes)

/**
 * Runs `action()` at once if `losses` (what it would throw away, as phrases) is empty;
 * otherwise shows "`what` discards `losses`." with a `button` that runs it (`what` when not
 * given) and Keep; `keep()`, if given, undoes the request (say, a control's new value) when
 * the answer is Keep.
 */
export function askBeforeDiscarding(what, losses, action, button = what, keep = null) {
  dismiss(); // an earlier question still open is answered Keep
  if (losses.length === 0) {
    action();
    return;
  }
  pending = action;
  kept = keep;
  $("discard-text").textContent = `${what} discards ${listed(losses)}.`;
  $("discard-go").textContent = button;
  $("discard").hidden = false;
  // Keep is the safe answer, and Space or Enter on it keeps.
  $("discard-keep").focus();
}

/** Wires the question's two buttons once, at start. */
export function initDiscard() {
  $("discard-go").addEventListener("click", () => {
    const action = pending;
    kept = null;
    dismiss();
    action?.();
  });
  $("discard-keep").addEventListener("click", dismiss);
}

/** Hides the question and forgets its action (also when the results it spoke of are gone). */
export function dismiss() {
  const keep = kept;
  pending = null;
  kept = null;
  $("discard").hidden = true;
  keep?.();
}

function listed(items) {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
