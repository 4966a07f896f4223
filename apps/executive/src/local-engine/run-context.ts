import { join } from "node:path";
import { runPaths, type RunPaths } from "@mina-local/compose-generator";
import { MinaLocalError, newRunId } from "@mina-local/engine";
import type { FifoRelay } from "@mina-local/bus";
import type { InlineEventParser } from "@mina-local/event-parser";
import type { ContainerDeath } from "@mina-local/swarm-manager";
import type { LineTail } from "../dsl/line-tail.js";
import type { StateStore } from "../dsl/state-store.js";
import type { ModuleLogger } from "../logger.js";
import type { Progress } from "../progress.js";
import { Teardown } from "../teardown.js";
import type { BusFeed } from "./bus-feed.js";
import { StopLog } from "./stop-log.js";

/**
 * What the local engine's steps of one run share: where the run lives, its teardown (each
 * step adds its own, run last-in first-out by `destroy`), the feeds the executive reads
 * (Network_state, the line tail), and what went wrong that the report must say (container
 * deaths, bus faults). The engine's steps write here; the executive reads it for the report.
 */
export interface LocalRun {
  readonly runId: string;
  readonly runDir: string;
  readonly paths: RunPaths;
  readonly teardown: Teardown;
  readonly store: StateStore;
  readonly lines: LineTail;
  readonly stops: StopLog;
  readonly log: ModuleLogger;
  readonly progress: Progress;
  /** aborted by a signal from outside (SIGINT, SIGTERM), a crash inside, or a fault of the network or the bus */
  readonly signal: AbortSignal;
  /** aborts the run (the first reason wins) */
  abort(reason: string): void;
  readonly deaths: ContainerDeath[];
  readonly busFaults: string[];
  /** the log pipeline's parts, each set as soon as it runs (the pipeline summary counts what they saw) */
  pipeline: { relay?: Pick<FifoRelay, "stats">; parser?: InlineEventParser; feed?: BusFeed };
  /** a multi-host run's nodes by the host their task ran on (the report says it) */
  nodeHosts?: ReadonlyMap<string, string>;
  /** the test body has finished: faults after it no longer abort the run */
  testFinished: boolean;
  /** one named step on the progress display and in the log; refused once the run is aborted */
  step<T>(message: string, work: () => Promise<T>): Promise<T>;
}

export function createLocalRun(options: { outputDir: string; store: StateStore; lines: LineTail; log: ModuleLogger; progress: Progress; /** SIGINT / SIGTERM */ signal: AbortSignal }): LocalRun {
  const { log, progress } = options;
  const runId = newRunId();
  const runDir = join(options.outputDir, runId);
  const controller = new AbortController();
  if (options.signal.aborted) controller.abort(options.signal.reason);
  else options.signal.addEventListener("abort", () => controller.abort(options.signal.reason), { once: true });
  const run: LocalRun = {
    runId,
    runDir,
    paths: runPaths(runDir),
    teardown: new Teardown(),
    store: options.store,
    lines: options.lines,
    stops: new StopLog(),
    log,
    progress,
    signal: controller.signal,
    abort(reason) {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    deaths: [],
    busFaults: [],
    pipeline: {},
    testFinished: false,
    async step(message, work) {
      if (controller.signal.aborted) throw new MinaLocalError("setup", `interrupted before: ${message}: ${String(controller.signal.reason)}`);
      progress.step(message);
      log.info({ step: message }, "$step");
      const value = await work();
      progress.done();
      return value;
    },
  };
  return run;
}
