import { OUTSIDE_SECTIONS, type SectionSpan, type TestTimeline } from "../log-errors.js";
import type { ModuleLogger } from "../logger.js";
import type { NodeError } from "../network-state.js";
import type { SectionResult, TestError } from "../report/model.js";
import type { TestContext, TestDefinition, TestNetwork } from "./define-test.js";
import { TestAborted, TestFailure } from "./errors.js";
import type { LineTail, TailLine } from "./line-tail.js";
import type { StateStore } from "./state-store.js";
import { EventRouter } from "./event-router.js";
import { describeTimeout, spanMs, type CheckResult, type WaitCondition } from "./wait-conditions.js";

export interface TestRunOutcome {
  sections: SectionResult[];
  errors: TestError[];
  aborted?: string;
  /** when the body and each section ran, to attribute node log errors to them afterwards */
  timeline: TestTimeline;
}

interface Feeds {
  store: StateStore;
  lines: LineTail;
  network: TestNetwork;
  log: ModuleLogger;
  signal: AbortSignal;
}

const OUTSIDE = OUTSIDE_SECTIONS;

/**
 * Runs a test body: sections, waits and assertions over the network state, with every
 * error attributed to the section it happened in (a node's crash: the section active when
 * it arrives). Mina's rules (dsl.ml, develop 9f068b1c3b): `section` softens, a hard error
 * inside it becomes a soft error of that section and the test goes on; `sectionHard` lets a
 * hard error stop the test; outside any section a hard error stops it too. Node log errors are not test errors here: they are attributed afterwards
 * from the timeline (see log-errors.ts), as Mina's executive reports them apart.
 */
export async function runTestBody(test: TestDefinition, feeds: Feeds): Promise<TestRunOutcome> {
  const { store, lines, network, log, signal } = feeds;
  const sections: SectionResult[] = [];
  const spans: SectionSpan[] = [];
  const testStartedAt = Date.now();
  const errors: TestError[] = [];
  let current: string = OUTSIDE;
  /** errors already in `errors` (thrown through a section), so the top level does not count them twice */
  const recorded = new WeakSet<object>();
  const wasRecorded = (error: unknown) => typeof error === "object" && error !== null && recorded.has(error);
  /** inside a `section` (Mina's soften_error): hard errors are recorded as soft */
  let softening = false;

  const record = (severity: "soft" | "hard", message: string, node?: string) => {
    const effective = severity === "hard" && softening ? "soft" : severity;
    errors.push({ severity: effective, section: current, message, ...(node && { node }) });
    log[effective === "hard" ? "error" : "warn"]({ section: current, node, error: message }, `${effective} error in $section: $error`);
  };

  let seenErrors = store.state.errors.length;
  const unsubscribeErrors = store.subscribe((state) => {
    const fresh: NodeError[] = state.errors.slice(seenErrors);
    seenErrors = state.errors.length;
    for (const e of fresh) record(e.severity, e.message, e.node);
  });

  const waitFor = (condition: WaitCondition): Promise<void> => {
    const soft = spanMs(condition.softTimeout, network.constants);
    const hard = spanMs(condition.hardTimeout, network.constants);
    const check = condition.start(store.state);
    const startedAt = Date.now();
    log.info(
      { condition: condition.description, soft_timeout: describeTimeout(condition.softTimeout, network.constants), hard_timeout: describeTimeout(condition.hardTimeout, network.constants) },
      "Waiting for $condition (soft_timeout: $soft_timeout, hard_timeout: $hard_timeout)",
    );
    return new Promise<void>((resolve, reject) => {
      let last = "nothing yet";
      const timers: NodeJS.Timeout[] = [];
      const cleanups: (() => void)[] = [];
      let finished = false;
      // the soft timer's verdict, not a second reading of the clock: a timer may fire a millisecond
      // before Date.now() says `soft` ms have passed, and a wait the log called late must be late
      let softPassed = false;
      const finish = (error?: Error) => {
        if (finished) return;
        finished = true;
        for (const timer of timers) clearTimeout(timer);
        for (const cleanup of cleanups) cleanup();
        if (error) return reject(error);
        const waited = Date.now() - startedAt;
        // Mina's wait_for: success past the soft timeout is a soft error, not a failure
        if (softPassed || waited > soft)
          record("soft", `wait_for hit a soft timeout (${soft} ms) waiting for ${condition.description} (condition succeeded after ${waited} ms, but beyond expectation)`);
        else log.info({ condition: condition.description, waited_ms: waited }, "Finished waiting for $condition");
        resolve();
      };
      const evaluate = (event?: Parameters<typeof check>[1]): void => {
        if (finished) return;
        const result: CheckResult = check(store.state, event);
        if ("failed" in result) finish(new TestFailure(`wait_for hit an error waiting for ${condition.description}: ${result.failed}`));
        else if (result.done) finish();
        else last = result.waitingFor;
      };
      cleanups.push(store.subscribe((_state, event) => evaluate(event)));
      const onAbort = () => finish(new TestAborted(String(signal.reason ?? "aborted")));
      signal.addEventListener("abort", onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener("abort", onAbort));
      timers.push(
        setTimeout(() => {
          softPassed = true;
          log.warn({ condition: condition.description, soft_timeout_ms: soft, waiting_for: last }, "Soft timeout passed waiting for $condition; $waiting_for");
        }, soft),
      );
      timers.push(setTimeout(() => finish(new TestFailure(`hit a hard timeout (${hard} ms) waiting for ${condition.description}; ${last}`)), hard));
      if (signal.aborted) onAbort();
      else evaluate();
    });
  };

  const expectLogLine = (node: string, pattern: RegExp, { withinMs }: { withinMs: number }): Promise<TailLine> =>
    new Promise<TailLine>((resolve, reject) => {
      // a /g or /y pattern keeps state between test() calls: reset it so every line is tried from its start
      const matches = (text: string) => {
        pattern.lastIndex = 0;
        return pattern.test(text);
      };
      const earlier = lines.recent(node, Number.MAX_SAFE_INTEGER).find((l) => matches(l.text));
      if (earlier) return resolve(earlier);
      if (signal.aborted) return reject(new TestAborted(String(signal.reason ?? "aborted")));
      const timer = setTimeout(() => {
        stop();
        reject(new TestFailure(`no line of ${node} matched ${pattern} within ${withinMs} ms`, "hard", node));
      }, withinMs);
      const unsubscribe = lines.subscribe((line) => {
        if (line.node === node && matches(line.text)) {
          stop();
          resolve(line);
        }
      });
      const onAbort = () => {
        stop();
        reject(new TestAborted(String(signal.reason ?? "aborted")));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      const stop = () => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener("abort", onAbort);
      };
    });

  const runSection = async <T>(name: string, body: () => Promise<T>, hard: boolean): Promise<T | undefined> => {
    const before = errors.length;
    const startedAt = Date.now();
    current = name;
    softening = !hard;
    log.info({ section: name }, "Starting section $section");
    const conclude = () => {
      const mine = errors.slice(before);
      const status = mine.some((e) => e.severity === "hard") ? "failed" : mine.length ? "soft" : "passed";
      sections.push({ name, status, durationMs: Date.now() - startedAt, startedAt: new Date(startedAt).toISOString() });
      return status;
    };
    try {
      let value: T | undefined;
      try {
        value = await body();
      } catch (error) {
        if (error instanceof TestAborted) {
          sections.push({ name, status: "failed", durationMs: Date.now() - startedAt, startedAt: new Date(startedAt).toISOString() });
          throw error;
        }
        // an error thrown out of the section: hard, unless the section softens it (then the test goes on)
        if (!wasRecorded(error)) record("hard", error instanceof Error ? error.message : String(error), error instanceof TestFailure ? error.node : undefined);
        if (!hard) {
          conclude();
          return undefined;
        }
        sections.push({ name, status: "failed", durationMs: Date.now() - startedAt, startedAt: new Date(startedAt).toISOString() });
        if (typeof error === "object" && error !== null) recorded.add(error);
        throw error;
      }
      if (conclude() === "failed") {
        // hard errors recorded without a throw (a node's crash) stop the test from a sectionHard
        const failure = new TestFailure(`section "${name}" had hard errors`);
        recorded.add(failure);
        throw failure;
      }
      return value;
    } finally {
      spans.push({ name, startedAt, endedAt: Date.now() });
      current = OUTSIDE;
      softening = false;
    }
  };

  const context: TestContext = {
    network,
    log,
    signal,
    state: () => store.state,
    section: async (name, body) => {
      await runSection(name, body, false);
    },
    sectionHard: async (name, body) => (await runSection(name, body, true)) as Awaited<ReturnType<typeof body>>,
    events: new EventRouter(store, signal),
    waitFor,
    expectLogLine,
    logLineCount: (level, node) => lines.count(level, node),
    softError: (message, node) => record("soft", message, node),
    assert(condition, message, node): asserts condition {
      if (!condition) throw new TestFailure(message, "hard", node);
    },
    assertEqual(actual, expected, what, node) {
      const show = (v: unknown) => (typeof v === "bigint" ? v.toString() : (JSON.stringify(v, (_key, x: unknown) => (typeof x === "bigint" ? x.toString() : x)) ?? String(v)));
      if (actual !== expected) throw new TestFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`, "hard", node);
    },
  };

  let aborted: string | undefined;
  try {
    await test.run(context);
  } catch (error) {
    if (error instanceof TestAborted) aborted = error.reason;
    else if (!wasRecorded(error)) {
      record("hard", error instanceof Error ? error.message : String(error), error instanceof TestFailure ? error.node : undefined);
    }
  } finally {
    unsubscribeErrors();
  }
  return { sections, errors, ...(aborted && { aborted }), timeline: { startedAt: testStartedAt, sections: spans } };
}
