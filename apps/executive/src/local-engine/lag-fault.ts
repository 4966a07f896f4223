import { join } from "node:path";
import type { LagReport } from "@mina-local/bus";
import type { LocalRun } from "./run-context.js";

/**
 * What a run does when a node's lines arrive later than `--max-log-lag` (a single host's
 * FIFO relay and a multi-host run's stream reader report it alike): logged, and while the
 * test runs (its waits read these events) a fault that aborts the run. Only the first node
 * to pass the limit aborts: the others follow from the same stall.
 */
export function lagFault(run: LocalRun): (lag: LagReport) => void {
  return (lag) => {
    run.log.error({ node: lag.node, lag_ms: lag.lagMs }, "Log pipeline fell behind: node $node's lines arrive $lag_ms ms late");
    if (run.testFinished || run.signal.aborted) return;
    run.busFaults.push(`${lag.message}; was the executive stopped or starved of CPU? (--max-log-lag sets the limit); the logs are in ${join(run.runDir, "logs")}`);
    run.abort("the log pipeline fell behind");
  };
}
