// api/accounts.js: "A thousand accounts". The live extraction's accounts (opened, banned, honest
// users banned) come with its metrics (api/api.js calls showAccounts); the sweep over account
// counts, run by the playground's worker (WebSpread, crate/src/api/spread.rs), is a Spread:
// its progress, its chart and the verdict line, a sentence built from its points.

import { announce } from "../announce.js";
import { count, dollars, duration, percent, wholePercent } from "../format.js";

const $ = (id) => document.getElementById(id);

/** The live extraction's accounts, from its metrics `m` (or none yet, with `config`). */
export function showAccounts(m, config) {
  if (!m) {
    $("api-accounts").textContent = `${count(Math.min(config.accounts, config.budget))} opened`;
    $("api-honest").textContent = "–";
    return;
  }
  $("api-accounts").textContent = `${count(m.accounts)} opened, ${count(m.accounts_banned)} banned`;
  $("api-honest").textContent = `${count(m.honest_banned)} of ${count(m.honest)}`;
}

/** The ban banner's sentence for a client stopped as `m` says. */
export function banSentence(m) {
  const honest = m.honest_banned > 0 ? ` and ${count(m.honest_banned)} honest users’ with them` : "";
  if (m.banned_by_cross) {
    return `Banned after ${count(m.queries)} queries: the cross-account detector flagged the pooled queries of the accounts opened in this client’s hour, and closed all ${count(m.accounts)} of its accounts${honest}; training stopped.`;
  }
  const accounts = m.accounts > 1 ? `all ${count(m.accounts)} of this client’s accounts, one by one` : "this client’s query pattern";
  return `Banned after ${count(m.queries)} queries: the detector flagged ${accounts}; training stopped.`;
}

/** The points of `m` for `watch` ("per_account", "cross_account") at `accounts` accounts. */
const pointOf = (m, watch, accounts) => m.points.find((p) => p.watch === watch && p.watched.accounts === accounts);

/** "stopped after 412 queries" or "never stopped: all 3,000 queries answered", from a point. */
function outcome(p) {
  const w = p.watched;
  if (w.stopped_at == null) return `never stopped (${count(w.queries)} queries answered, fidelity ${percent(p.fidelity)})`;
  return `stopped after ${count(w.queries)} queries (fidelity ${percent(p.fidelity)})`;
}

/**
 * The sweep's finding in one sentence from its points: what each detector did to one greedy
 * account and to the page's own spread, and the honest users the cross-account one banned; ""
 * before both of the page's own points are measured.
 */
export function spreadSentence(m) {
  const n = m.accounts;
  const [per, cross] = ["per_account", "cross_account"].map((w) => pointOf(m, w, n));
  if (!per || !cross) return "";
  const greedy = pointOf(m, "per_account", 1);
  const one = greedy && n > 1 ? `One greedy account, the per-account detector: ${outcome(greedy)}. ` : "";
  const honest = cross.watched.honest_banned;
  const cost = `${count(honest)} of ${count(cross.watched.honest)} honest users banned (${percent(honest / Math.max(1, cross.watched.honest))})`;
  return `${one}Spread over ${count(n)} accounts, the per-account detector: ${outcome(per)}; the cross-account detector: ${outcome(cross)}, with ${cost}.`;
}

/**
 * The sweep the page shows. `host` is the playground, whose worker runs it:
 * `{ post(message), generation(), config() }`.
 */
export class Spread {
  constructor(host) {
    this.host = host;
    this.sgen = 0; // bumped on every new sweep: messages of older ones are dropped
    this.metrics = null; // the latest SpreadMetrics
    this.running = false;
  }

  /** Forgets the sweep on the page (the worker drops its own on a reset or "drop-api"). */
  forget() {
    this.sgen += 1;
    this.metrics = null;
    this.running = false;
  }

  /** Starts a new sweep under the current config. */
  start() {
    this.sgen += 1;
    this.metrics = null;
    this.running = true;
    const { host } = this;
    host.post({ type: "spread", gen: host.generation(), sgen: this.sgen, config: host.config() });
    this.show(true);
  }

  /** Takes the worker's `{ sgen, metrics }`; true if the chart needs redrawing. */
  onMessage(message) {
    if (message.sgen !== this.sgen) return false;
    this.metrics = message.metrics;
    const finished = this.metrics.progress >= 1;
    if (finished && this.running) announce("The accounts sweep is measured.", "api");
    this.running = !finished;
    this.show(true);
    return true;
  }

  /** The worker's sweep stopped with an error. */
  onError() {
    this.metrics = null;
    this.running = false;
  }

  /** Shows the sweep's state; `ready`: the teacher is trained. */
  show(ready) {
    const m = this.metrics;
    const button = $("accounts-start");
    button.disabled = !ready || this.running;
    button.textContent = m && !this.running ? "Measure again" : "Measure the accounts sweep";
    $("accounts-progress").hidden = !this.running;
    $("accounts-progress").value = m?.progress ?? 0;
    const config = this.host.config();
    $("accounts-status").textContent = this.running
      ? `Extracting a copy on full probabilities for each account count, under each detector alone: ${wholePercent(m?.progress ?? 0)}`
      : m
        ? `Measured: ${count(m.points.length)} settings, each a copy extracted with up to ${count(config.budget)} queries; the page’s ${count(m.accounts)} accounts ringed.`
        : ready
          ? "Ready: measure what spreading the budget does under each detector."
          : "Train the teacher first (Play, above): each copy is extracted from the trained teacher.";
    const sentence = m ? spreadSentence(m) : "";
    for (const line of document.querySelectorAll('[data-finding="accounts"]')) line.textContent = sentence;
    $("chart-accounts").hidden = !m || m.points.length === 0;
    if (m && m.points.length) {
      const described = m.points
        .map((p) => `${p.watch === "per_account" ? "per-account" : "cross-account"}, ${count(p.watched.accounts)} accounts: fidelity ${percent(p.fidelity)}, ${count(p.watched.queries)} queries, ${dollars(p.watched.cost)}, ${duration(p.watched.seconds)}`)
        .join("; ");
      $("chart-accounts").setAttribute("aria-label", `The copy's fidelity against the accounts it opened, its bill and its time, under each detector: ${described}.`);
    }
    if (m) document.documentElement.dataset.spread = this.running ? "running" : "done";
    else delete document.documentElement.dataset.spread;
  }

  /** Draws the chart with `wasm` on `target` at `scale`; false with nothing to draw. */
  draw(wasm, target, scale) {
    return Boolean(this.metrics?.points.length) && wasm.draw_accounts(target, scale, this.metrics);
  }
}
