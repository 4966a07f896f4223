import type { TestRunOutcome } from "../dsl/test-runner.js";
import { attributeLogErrors, countLogErrorsAsTestErrors } from "../log-errors.js";
import type { LogErrorEntry } from "../network-state.js";
import { LOG_ERRORS_LISTED, type LogErrorsReport } from "../report/model.js";

/**
 * The nodes' log errors, reported apart from the test's errors as Mina's executive does
 * (after the drain, every line the nodes wrote up to their last is in): attributed to the
 * section they fell in, those after a stop request left out; with --fail-on-log-errors they
 * also count as test errors.
 */
export function summarizeLogErrors(input: {
  logErrors: readonly LogErrorEntry[];
  outcome: TestRunOutcome | undefined;
  stops: Parameters<typeof attributeLogErrors>[2];
  failOnLogErrors: boolean;
}): LogErrorsReport {
  const { outcome } = input;
  const summary = attributeLogErrors(input.logErrors, outcome?.timeline ?? { sections: [] }, input.stops);
  const soft = summary.counted.filter((e) => e.severity === "soft").length;
  if (input.failOnLogErrors && outcome) Object.assign(outcome, countLogErrorsAsTestErrors(outcome.sections, outcome.errors, summary.counted));
  return {
    decideOutcome: input.failOnLogErrors,
    soft,
    hard: summary.counted.length - soft,
    afterStop: summary.afterStop,
    listed: summary.counted.slice(0, LOG_ERRORS_LISTED),
    notListed: Math.max(0, summary.counted.length - LOG_ERRORS_LISTED),
  };
}
