import { MinaLocalError } from "@mina-local/engine";
import type { ContainerDeath } from "@mina-local/swarm-manager";
import type { TestRunOutcome } from "../dsl/test-runner.js";
import type { NetworkState } from "../network-state.js";
import { outcomeOf, outcomeOfSetupError, outcomeWithPipeline, pipelineLosses, type FailureDetail, type Outcome, type PipelineSummary } from "../report/model.js";

/** A run's failure as the report states it: the outcome it decides and the message. */
export interface RunFailure {
  outcome: Outcome;
  message: string;
}

/** The outcome of an error that stopped the run before or during the test body. */
export function classifyFailure(error: unknown, aborted: boolean, state: NetworkState, deaths: readonly ContainerDeath[]): Outcome {
  if (Object.keys(state.crashed).length > 0 || deaths.length > 0) return "node-crashed";
  if (aborted) return "interrupted";
  return outcomeOfSetupError(error);
}

export function failureOf(error: unknown, outcome: Outcome, outputDir: string): { failure: RunFailure; detail: FailureDetail } {
  const message = error instanceof Error ? describe(error) : String(error);
  return {
    failure: {
      outcome,
      message: outcome === "disk-full" ? `the disk holding ${outputDir} is full (${message})\n  what to do: free some space, or pass --output-dir on another disk` : message,
    },
    detail: failureDetailOf(error, outcome),
  };
}

function failureDetailOf(error: unknown, outcome: Outcome): FailureDetail {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof MinaLocalError)) return { outcome, kind: outcome, message };
  return { outcome, kind: error.kind, message, ...(error.where && { where: error.where }), ...(error.hint && { hint: error.hint }) };
}

function describe(error: Error): string {
  const hint = error instanceof MinaLocalError && error.hint ? `\n  what to do: ${error.hint}` : "";
  return `${error.message}${hint}`;
}

/**
 * The errors the network and the pipeline add to the test's own (they fail the test, as a
 * node's crash does in Mina): each pipeline loss, each container death, each bus fault.
 */
export function addNetworkErrors(outcome: TestRunOutcome | undefined, facts: { pipeline: PipelineSummary | undefined; deaths: readonly ContainerDeath[]; busFaults: readonly string[] }): void {
  for (const loss of facts.pipeline ? pipelineLosses(facts.pipeline.errors) : []) outcome?.errors.push({ severity: "hard", section: "(log pipeline)", message: loss });
  for (const death of facts.deaths) {
    outcome?.errors.push({ severity: "hard", section: "(network)", node: death.node, message: `the container died (${death.action}, exit code ${death.exitCode ?? "unknown"})` });
  }
  for (const fault of facts.busFaults) outcome?.errors.push({ severity: "hard", section: "(log pipeline)", message: fault });
}

/**
 * The run's final outcome, failure and failure detail, from everything that happened: a crash
 * of the executive wins, then a failure that stopped the run, then a fault of the network or
 * the bus, then an interruption, then a failed teardown, then the test's own errors.
 */
export function finalVerdict(facts: {
  outcome: TestRunOutcome | undefined;
  failure: RunFailure | undefined;
  failureDetail: FailureDetail | undefined;
  crash: string | undefined;
  crashed: boolean;
  faulted: boolean;
  aborted: boolean;
  abortReason: unknown;
  teardownFailures: readonly string[];
  pipeline: PipelineSummary | undefined;
}): { outcome: Outcome; failure: RunFailure | undefined; failureDetail: FailureDetail | undefined } {
  let { failure, failureDetail } = facts;
  const errors = facts.outcome?.errors ?? [];
  if (facts.crash !== undefined) failureDetail = undefined;
  if (facts.crash !== undefined)
    failure = { outcome: "executive-crashed", message: `the executive crashed on an exception that nothing caught (a bug in the test or in mina-local); the run was torn down:\n${facts.crash}` };
  const outcome: Outcome = outcomeWithPipeline(
    failure?.outcome ?? (facts.faulted ? outcomeOf(errors, facts.crashed) : facts.aborted ? "interrupted" : facts.teardownFailures.length > 0 ? "teardown-failed" : outcomeOf(errors, facts.crashed)),
    facts.pipeline?.errors,
  );
  if (outcome === "interrupted" && !failure) failure = { outcome: "interrupted", message: `the run was ${String(facts.abortReason)}` };
  if (!failureDetail && failure) failureDetail = { outcome: failure.outcome, kind: failure.outcome, message: failure.message };
  else if (!failureDetail && outcome === "teardown-failed") {
    failureDetail = { outcome, kind: "teardown", message: facts.teardownFailures.join("; "), hint: "run `test_executive cleanup` to remove what is left" };
  }
  return { outcome, failure, failureDetail };
}
