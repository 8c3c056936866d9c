// The page's main-thread tasks, from a Chromium trace: each task's wall time and the CPU time its
// thread spent on it. Wall time stretches whenever other processes share the cores; CPU time is
// the work the page itself asked for, so a budget on it fails on a slower page, not a busier
// machine.

/** Trace categories with every task the threads run (and nothing inside them), and their names. */
const CATEGORIES = ["__metadata", "toplevel"];

/** The names Chromium has given a task in this category, newest first. */
const TASK_NAMES = ["ThreadControllerImpl::RunTask", "RunTask"];

/** The CPU budget for one main-thread task in the tests, in ms: 100 ms is when a page feels stuck. */
export const TASK_CPU_LIMIT_MS = 100;

/** The task that took the most CPU, and a sentence about it and the longest in wall time. */
export function describeTasks(tasks) {
  const longest = (key) => tasks.reduce((a, b) => (b[key] > a[key] ? b : a));
  const [cpu, wall] = [longest("cpu"), longest("wall")];
  const over50 = tasks.filter((task) => task.wall > 50).length;
  return {
    cpu,
    text:
      `${tasks.length} main-thread tasks; longest in CPU ${cpu.cpu.toFixed(0)} ms (${cpu.wall.toFixed(0)} ms wall); ` +
      `longest in wall time ${wall.wall.toFixed(0)} ms (${wall.cpu.toFixed(0)} ms CPU); ${over50} over 50 ms wall`,
  };
}

/**
 * Traces the browser while `work()` runs, and returns the tasks of every renderer main thread
 * (the page's) as { start, wall, cpu } in ms, start on the trace's clock. Chromium leaves out the
 * CPU time of a few tasks of a microsecond or so; those count their wall time. Throws if the
 * trace has no task or no CPU time at all (then it could not measure anything).
 */
export async function traceMainThread(browser, page, work) {
  await browser.startTracing(page, { categories: CATEGORIES });
  let trace;
  try {
    await work();
  } finally {
    trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
  }
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === "X" && mainThreads.has(`${e.pid}:${e.tid}`));
  const name = TASK_NAMES.find((n) => onMain.some((e) => e.name === n));
  const tasks = onMain
    .filter((e) => e.name === name)
    .map((e) => ({ start: e.ts / 1000, wall: e.dur / 1000, cpu: (e.tdur ?? e.dur) / 1000 }));
  if (tasks.length === 0) throw new Error(`the trace holds no main-thread task (${events.length} events)`);
  if (!onMain.some((e) => e.name === name && e.tdur !== undefined)) {
    throw new Error("the trace gives no CPU time for the main thread's tasks");
  }
  return tasks;
}
