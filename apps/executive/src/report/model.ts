import type { ReportedLogError } from "../log-errors.js";
import type { UnparsableLine } from "../network-state.js";

export interface SectionResult {
  name: string;
  status: "passed" | "soft" | "failed";
  durationMs: number;
  /** ISO time the section began (report.html places it on the timeline) */
  startedAt?: string;
}

export interface TestError {
  severity: "soft" | "hard";
  section: string;
  message: string;
  node?: string;
}

export type Outcome =
  | "passed"
  | "soft-errors"
  | "hard-errors"
  | "node-crashed"
  | "setup-failed"
  | "docker-unavailable"
  | "swarm-unavailable"
  | "port-taken"
  | "nats-unavailable"
  | "image-missing"
  | "image-unusable"
  | "disk-full"
  | "teardown-failed"
  | "log-pipeline-lost"
  | "interrupted"
  | "executive-crashed"
  | "invalid-arguments";

export interface PipelineSummary {
  /** lines the forwarders framed into the FIFO, as the relay counted them (read, or known lost by their numbers) */
  linesRelayed: number;
  /** lines that reached both the bus and logs/<node>.log: linesRelayed - linesLost */
  linesReceived: number;
  linesLost: number;
  /** empty lines among the received ones (kept in the log files, nothing to parse) */
  blankLines: number;
  parseErrors: number;
  eventsReceived: number;
  /** the longest any sampled line took from its node to the FIFO reader */
  maxLagMs: number;
  /** what cost lines or events, by where it happened; all zero in a run that lost nothing */
  errors: PipelineErrors;
}

export interface PipelineErrors {
  /** lines in frames that never reached the relay (counted by their line numbers) */
  linesLostInFifo: number;
  /** lines the bus refused after retries */
  linesNotPublished: number;
  /** lines that could not be written to their node's log file */
  linesNotWritten: number;
  /** lines still in the relay when the run ended (its last drain did not finish) */
  linesUndrained: number;
  /** batches of lines the event parser threw on: their events may be missing */
  batchesNotParsed: number;
  /** events the parser could not publish */
  eventsNotPublished: number;
  /** events the executive read from the bus but could not use (not an event, or applying it failed) */
  eventsNotApplied: number;
}

export const NO_PIPELINE_ERRORS: PipelineErrors = { linesLostInFifo: 0, linesNotPublished: 0, linesNotWritten: 0, linesUndrained: 0, batchesNotParsed: 0, eventsNotPublished: 0, eventsNotApplied: 0 };

/** Each kind of loss as a sentence for the report's errors; empty when nothing was lost. Pure. */
export function pipelineLosses(errors: PipelineErrors): string[] {
  const said: Record<keyof PipelineErrors, (n: number) => string> = {
    linesLostInFifo: (n) => `${n} log line(s) were lost between the containers and the relay (frames missing from the FIFO)`,
    linesNotPublished: (n) => `${n} log line(s) were refused by the bus (NATS) after retries`,
    linesNotWritten: (n) => `${n} log line(s) could not be written to their node's file in logs/`,
    linesUndrained: (n) => `${n} log line(s) were still in the relay when the run ended (its last drain did not finish)`,
    batchesNotParsed: (n) => `the event parser failed on ${n} batch(es) of log lines: their events may be missing`,
    eventsNotPublished: (n) => `${n} event(s) could not be published on the bus`,
    eventsNotApplied: (n) => `${n} event(s) on the bus could not be applied to the network state`,
  };
  return (Object.keys(said) as (keyof PipelineErrors)[]).filter((key) => errors[key] > 0).map((key) => said[key](errors[key]));
}

/**
 * A run whose log pipeline lost lines or events cannot vouch for its result: its outcome
 * says so, whatever the test body concluded. Engine-level outcomes (setup, crash,
 * interruption) stay, with the losses in the report's errors.
 */
export function outcomeWithPipeline(outcome: Outcome, errors: PipelineErrors | undefined): Outcome {
  if (!errors || pipelineLosses(errors).length === 0) return outcome;
  return outcome === "passed" || outcome === "soft-errors" || outcome === "hard-errors" || outcome === "teardown-failed" ? "log-pipeline-lost" : outcome;
}

/** Which event-id table the run read the nodes' logs with, and why. */
export interface EventIdChoice {
  /** e.g. "berkeley-2023-09", "dump:<image>", "file:<path>" */
  table: string;
  description: string;
  source: string;
  reason: string;
}

/** The nodes' log errors, Mina's way: reported, and deciding the outcome only with --fail-on-log-errors. */
export interface LogErrorsReport {
  /** whether they were counted as test errors (--fail-on-log-errors) */
  decideOutcome: boolean;
  soft: number;
  hard: number;
  /** lines at an error level written after the engine asked their node to stop (not counted) */
  afterStop: number;
  /** the counted log errors, the first LOG_ERRORS_LISTED of them */
  listed: ReportedLogError[];
  /** counted but not listed (report.json stays readable on a daemon that warns all day) */
  notListed: number;
}

export const LOG_ERRORS_LISTED = 1000;

export interface TestReport {
  test: string;
  runId: string;
  runDir: string;
  image: string;
  startedAt: string;
  durationMs: number;
  outcome: Outcome;
  sections: SectionResult[];
  errors: TestError[];
  pipeline?: PipelineSummary;
  eventIds?: EventIdChoice;
  logErrors?: LogErrorsReport;
  /** the first lines the event parser could not read (their count is pipeline.parseErrors) */
  unparsable?: UnparsableLine[];
  /** a multi-host run: the host each node's task ran on */
  nodeHosts?: Record<string, string>;
  /** what went wrong outside the test body (setup, teardown, interruption) */
  failure?: string;
  /** the same failure, structured for tools: the error's kind, where it happened, what to do */
  failureDetail?: FailureDetail;
}

export interface FailureDetail {
  /** the outcome it led to */
  outcome: Outcome;
  /** the error's kind (MinaLocalError's: docker, swarm, nats, image, invalid-config, ...) */
  kind: string;
  message: string;
  where?: string;
  hint?: string;
}

/**
 * Exit codes (documented in the README): distinct per outcome so CI can tell a test
 * that failed from an engine that could not run it.
 */
export const EXIT_CODES: Record<Outcome, number> = {
  passed: 0,
  "invalid-arguments": 2,
  "soft-errors": 4,
  "hard-errors": 5,
  "node-crashed": 6,
  "setup-failed": 7,
  "docker-unavailable": 11,
  "swarm-unavailable": 15,
  "port-taken": 16,
  "nats-unavailable": 12,
  "image-missing": 13,
  "image-unusable": 17,
  "disk-full": 14,
  "teardown-failed": 10,
  "log-pipeline-lost": 9,
  interrupted: 130,
  "executive-crashed": 8,
};

/** The outcome of a test body from its errors (engine-level outcomes are decided by the caller). */
export function outcomeOf(errors: readonly TestError[], crashed: boolean): Outcome {
  if (crashed) return "node-crashed";
  if (errors.some((e) => e.severity === "hard")) return "hard-errors";
  if (errors.length > 0) return "soft-errors";
  return "passed";
}

/** What went wrong before the test could run, for the exit code: each fault the user can fix has its own. */
export function outcomeOfSetupError(error: unknown): Outcome {
  if (hasCode(error, "ENOSPC")) return "disk-full";
  const kind = (error as { kind?: string } | null)?.kind;
  switch (kind) {
    case "invalid-config":
    case "invalid-arguments":
      return "invalid-arguments";
    case "docker":
      return "docker-unavailable";
    case "swarm":
      return "swarm-unavailable";
    case "port":
      return "port-taken";
    case "nats":
      return "nats-unavailable";
    case "image":
      return "image-missing";
    case "image-unusable":
      return "image-unusable";
    case "disk":
      return "disk-full";
    default:
      return "setup-failed";
  }
}

function hasCode(error: unknown, code: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}
