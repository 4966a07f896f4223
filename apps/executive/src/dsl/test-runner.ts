import type { ModuleLogger } from "../logger.js";
import type { NodeError } from "../network-state.js";
import type { SectionResult, TestError } from "../report/model.js";
import type { TestContext, TestDefinition, TestNetwork } from "./define-test.js";
import { TestAborted, TestFailure } from "./errors.js";
import type { LineTail, TailLine } from "./line-tail.js";
import type { StateStore } from "./state-store.js";
import { timeoutMs, type CheckResult, type WaitCondition } from "./wait-conditions.js";

export interface TestRunOutcome {
  sections: SectionResult[];
  errors: TestError[];
  aborted?: string;
}

interface Feeds {
  store: StateStore;
  lines: LineTail;
  network: TestNetwork;
  log: ModuleLogger;
  signal: AbortSignal;
}

const OUTSIDE = "(outside any section)";

/**
 * Runs a test body: sections, waits and assertions over the network state, with every
 * error attributed to the section it happened in. Node log errors (Warn/Faulty_peer
 * soft, Error/Fatal hard) are attributed to the section active when they arrive.
 */
export async function runTestBody(test: TestDefinition, feeds: Feeds): Promise<TestRunOutcome> {
  const { store, lines, network, log, signal } = feeds;
  const sections: SectionResult[] = [];
  const errors: TestError[] = [];
  let current: string = OUTSIDE;
  /** errors already in `errors` (thrown through a section), so the top level does not count them twice */
  const recorded = new WeakSet<object>();
  const wasRecorded = (error: unknown) => typeof error === "object" && error !== null && recorded.has(error);
  let hardSection = false;
  const blockWindowMs = network.constants.blockWindowDurationMs;

  const record = (severity: "soft" | "hard", message: string, node?: string) => {
    const effective = severity === "soft" && hardSection ? "hard" : severity;
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
    const soft = timeoutMs(condition.softTimeout, blockWindowMs);
    const hard = timeoutMs(condition.hardTimeout, blockWindowMs);
    const check = condition.start(store.state);
    const startedAt = Date.now();
    log.info({ condition: condition.description, soft_timeout_ms: soft, hard_timeout_ms: hard }, "Waiting for $condition");
    return new Promise<void>((resolve, reject) => {
      let last = "nothing yet";
      const timers: NodeJS.Timeout[] = [];
      const cleanups: (() => void)[] = [];
      const finish = (error?: Error) => {
        for (const timer of timers) clearTimeout(timer);
        for (const cleanup of cleanups) cleanup();
        if (error) reject(error);
        else {
          log.info({ condition: condition.description, waited_ms: Date.now() - startedAt }, "Done waiting for $condition");
          resolve();
        }
      };
      const evaluate = (): void => {
        const result: CheckResult = check(store.state);
        if ("failed" in result) finish(new TestFailure(`${condition.description}: ${result.failed}`));
        else if (result.done) finish();
        else last = result.waitingFor;
      };
      cleanups.push(store.subscribe(evaluate));
      const onAbort = () => finish(new TestAborted(String(signal.reason ?? "aborted")));
      signal.addEventListener("abort", onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener("abort", onAbort));
      timers.push(setTimeout(() => record("soft", `soft timeout (${soft} ms) passed waiting for ${condition.description}; ${last}`), soft));
      timers.push(setTimeout(() => finish(new TestFailure(`hard timeout (${hard} ms) waiting for ${condition.description}; ${last}`)), hard));
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

  const runSection = async <T>(name: string, body: () => Promise<T>, hard: boolean): Promise<T> => {
    const before = errors.length;
    const startedAt = Date.now();
    current = name;
    hardSection = hard;
    log.info({ section: name }, "Starting section $section");
    let concluded = false;
    try {
      const value = await body();
      const mine = errors.slice(before);
      const failed = mine.some((e) => e.severity === "hard");
      sections.push({ name, status: failed ? "failed" : mine.length ? "soft" : "passed", durationMs: Date.now() - startedAt, startedAt: new Date(startedAt).toISOString() });
      concluded = true;
      if (failed) {
        const failure = new TestFailure(`section "${name}" had hard errors`);
        recorded.add(failure);
        throw failure;
      }
      return value;
    } catch (error) {
      if (!concluded) {
        // a thrown error ends the section, so it is a hard error whatever its severity
        if (!(error instanceof TestAborted) && !wasRecorded(error)) {
          record("hard", error instanceof Error ? error.message : String(error), error instanceof TestFailure ? error.node : undefined);
        }
        sections.push({ name, status: "failed", durationMs: Date.now() - startedAt, startedAt: new Date(startedAt).toISOString() });
      }
      if (typeof error === "object" && error !== null) recorded.add(error);
      throw error;
    } finally {
      current = OUTSIDE;
      hardSection = false;
    }
  };

  const context: TestContext = {
    network,
    log,
    signal,
    state: () => store.state,
    section: (name, body) => runSection(name, body, false),
    sectionHard: (name, body) => runSection(name, body, true),
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
  return { sections, errors, ...(aborted && { aborted }) };
}
