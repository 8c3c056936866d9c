// round-worker.js: the whole of a Worker that plays rounds, the chatbot's and the reasoner's
// (serveRound), on worker-shell.js's loading, files and pacing. A round's thieves may train in
// lanes: the section's Worker (the lead) starts another of its own script (a partner, its URL
// ending in #partner) for the thieves of the second lane as soon as it starts itself, so that
// the two load side by side and train on two cores, and puts their outcomes together. The
// crate says which thieves a lane has, and that each trains the same in any lane
// (chat::study::lane).
//
//   section (round-section.js) ──load/start/play/pause──► lead: lane 0 ──the same, lane 1──► partner
//              ▲                                            │    ▲                              │
//              └────────── outcome, both lanes ◄────────────┘    └────────── outcome ◄──────────┘

import { open, pace, serve } from "./worker-shell.js";

/**
 * The whole of a Worker that plays one round at a time: it loads its module with `load()` (a
 * partner with `load(compiled)`, the promise of the module its lead has compiled, which
 * `compiled()` gives the lead), reads the section's files into `create(wasm, ...files)` (an
 * object with `start(config, lane, lanes)` and `step(n)`, each returning the outcome, whose
 * `done` ends the round; `ready(object)` adds what the "ready" message carries) and answers
 * section.js's messages:
 *
 *   in:  { type: "load", bytes, names } | { type: "start", gen, config, play } | { type: "play" } | { type: "pause" }
 *   out: { type: "ready", ...ready(object) } | { type: "error", message } | { type: "outcome", gen, outcome, running }
 *        | { type: "failed", gen, message } | { type: "fatal", file, message }
 *
 * Ticks last about `tickMs`, at most `maxSteps` steps each; outcomes are posted at most every
 * `postMs` and always the last. With `lanes` 2 the Worker leads a partner (see above): a
 * posted outcome is the lead's with the partner's thieves after its own, the shared figures
 * (step, tokens, bill…) those of the lane behind, done once both are, running while either
 * is. A partner that cannot start leaves the lead to play whole rounds alone.
 */
export function serveRound({ load, compiled, create, ready = () => ({}), tickMs = 30, postMs = 100, maxSteps = 200, lanes = 1 }) {
  const state = {
    round: null,
    gen: 0,
    config: null,
    paused: false,
    lane: 0, // this Worker's lane, of `lanes`: 0 leads, 1 is the partner's
    lanes: 1,
    own: [], // this lane's outcomes of this round not yet behind both lanes, the latest last
    partner: null, // the Worker of lane 1, if this one leads two
    other: [], // its outcomes likewise, and whether it was running
    otherRunning: false,
  };
  if (self.location.hash === "#partner") Object.assign(state, { lane: 1, lanes: 2 });
  else if (lanes > 1) state.partner = startPartner();
  if (state.partner) state.lanes = 2;
  const run = pace({
    tickMs,
    postMs,
    maxSteps,
    step: (n) => state.round.step(n),
    done: (outcome) => outcome.done,
    post: (outcome) => {
      state.own.push(outcome);
      send();
    },
    failed: (message) => self.postMessage({ type: "failed", gen: state.gen, message }),
  });

  /** Posts the round's outcome: this lane's, with the partner's once it has one. */
  function send() {
    if (state.partner && !state.other.length) return; // the partner's first outcome comes at once
    const outcome = state.partner ? together(state.own, state.other) : state.own.splice(0).at(-1);
    const running = run.running || Boolean(state.partner && state.otherRunning);
    self.postMessage({ type: "outcome", gen: state.gen, outcome, running });
  }

  /** A partner for lane 1; null if this Worker cannot start one. */
  function startPartner() {
    let worker;
    try {
      worker = new Worker(`${self.location.href.replace(/#.*$/, "")}#partner`, { type: "module" });
    } catch (err) {
      console.warn(`The round plays in one lane: ${err}`);
      return null;
    }
    worker.onerror = (event) => {
      event.preventDefault();
      alone(event.message || "its Worker could not start");
    };
    compiled().then(
      (module) => worker.postMessage({ type: "module", module }),
      () => {}, // this Worker's own load reports it
    );
    worker.onmessage = ({ data }) => {
      if (data.type === "outcome" && data.gen === state.gen) {
        // Its progress shows with this lane's own posts, but for its first outcome, its first
        // trained step (so that the round's shows at once) and its news once this lane posts
        // no more.
        const first = !state.other.length || (state.other.at(-1).step === 0 && data.outcome.step > 0);
        state.other.push(data.outcome);
        state.otherRunning = data.running;
        if (first || !run.running || !data.running) send();
      } else if (data.type === "failed" && data.gen === state.gen) {
        self.postMessage(data);
      } else if (data.type === "fatal" || data.type === "error") {
        alone(data.file ? `${data.file}: ${data.message}` : data.message);
      }
    };
    return worker;
  }

  /** The partner is lost: the round starts again in this lane alone, with every thief. */
  function alone(why) {
    if (!state.partner) return;
    console.warn(`The round plays in one lane: ${why}`);
    state.partner.terminate();
    state.partner = null;
    state.lanes = 1;
    if (state.config) begin();
  }

  /** Starts this lane's part of a round of `state.config`, and the partner's. */
  function begin() {
    state.own = [];
    state.other = [];
    state.partner?.postMessage({ type: "start", gen: state.gen, config: state.config, play: !state.paused });
    run.guarded(() => run.begin(state.round.start(state.config, state.lane, state.lanes), 1, !state.paused));
  }

  // A lead compiles its own module; a partner's first message is its lead's.
  serve((arrived) => load(state.lane ? arrived : undefined), (message, wasm) => {
    switch (message.type) {
      case "load":
        state.round?.free();
        state.partner?.postMessage({ type: "load", bytes: message.bytes, names: message.names });
        state.round = open(message, (...files) => create(wasm, ...files), ready);
        break;
      case "start":
        state.gen = message.gen;
        state.config = message.config;
        state.paused = !message.play;
        begin();
        break;
      case "play":
        state.paused = false;
        state.partner?.postMessage(message);
        run.play();
        break;
      case "pause":
        state.paused = true;
        state.partner?.postMessage(message);
        run.pause();
        run.guarded(() => state.round && run.post(state.round.step(0))); // where it stopped
        break;
      default:
        self.postMessage({ type: "failed", gen: state.gen, message: `unknown message type ${message.type}` });
    }
  });
}

/**
 * The outcome of a round played in two lanes, from each lane's outcomes (`own`, `other`, the
 * latest last): the round where the lane behind is, each lane's thieves as its latest outcome
 * at or before that step shows them (so that no curve runs ahead of the tokens bought). Drops
 * the outcomes no later call needs.
 */
function together(own, other) {
  const [mine, theirs] = [own.at(-1), other.at(-1)];
  const behind = theirs.step < mine.step ? theirs : mine;
  const at = (outcomes) => {
    while (outcomes.length > 1 && outcomes[1].step <= behind.step) outcomes.shift();
    return outcomes[0];
  };
  return { ...behind, done: mine.done && theirs.done, thieves: [...at(own).thieves, ...at(other).thieves] };
}
