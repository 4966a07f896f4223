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
  | "disk-full"
  | "teardown-failed"
  | "interrupted"
  | "executive-crashed"
  | "invalid-arguments";

export interface PipelineSummary {
  /** lines the relay read from the FIFO and published on the bus */
  linesRelayed: number;
  /** lines the executive read back from the bus (into logs/<node>.log) */
  linesReceived: number;
  linesLost: number;
  parseErrors: number;
  eventsReceived: number;
  /** the longest any sampled line took from its node to the FIFO reader */
  maxLagMs: number;
}

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
  "disk-full": 14,
  "teardown-failed": 10,
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
