import type { RelayNodeStats, RelayStats, StreamLogStats } from "@mina-local/bus";

const SUMMED = [
  "framesRead",
  "bytesRead",
  "linesRelayed",
  "linesReceived",
  "linesLost",
  "linesPending",
  "linesPublished",
  "messagesPublished",
  "framesLost",
  "linesLostInFifo",
  "linesNotPublished",
  "linesNotWritten",
  "parserFailures",
  "linesToParser",
  "corruptBytes",
] as const;

/**
 * A multi-host run's pipeline counters: the sum of every host's relay (its latest counters,
 * the final ones once it drained at teardown) plus what the executive lost reading them
 * back (a log file it could not write, a batch the parser threw on). A host that never
 * reported counts nothing; its silence is a pipeline fault of its own. Pure.
 */
export function relayTotals(byHost: ReadonlyMap<string, RelayStats>, executive: StreamLogStats | undefined): RelayStats {
  const total: RelayStats = {
    framesRead: 0,
    bytesRead: 0,
    linesRelayed: 0,
    linesReceived: 0,
    linesLost: 0,
    linesPending: 0,
    linesPublished: 0,
    messagesPublished: 0,
    framesLost: 0,
    linesLostInFifo: 0,
    linesNotPublished: 0,
    linesNotWritten: 0,
    parserFailures: 0,
    kinds: { blank: 0, "not-json": 0, malformed: 0, "may-be-event": 0, plain: 0 },
    linesToParser: 0,
    corruptBytes: 0,
    maxLagMs: 0,
    byNode: {},
  };
  for (const stats of byHost.values()) {
    for (const key of SUMMED) total[key] += stats[key];
    total.maxLagMs = Math.max(total.maxLagMs, stats.maxLagMs);
    for (const [node, n] of Object.entries(stats.byNode)) total.byNode[node] = n as RelayNodeStats;
  }
  if (executive) {
    // the hosts' relays do not classify lines; the executive does, reading them back
    total.kinds = { ...executive.kinds };
    total.linesToParser = executive.linesToParser;
    total.parserFailures += executive.parserFailures;
    total.linesNotWritten += executive.linesNotWritten;
    total.linesLost += executive.linesNotWritten;
    total.linesReceived -= executive.linesNotWritten;
    // the lag at the end of the path (the hosts' relays measure only their own part of it)
    total.maxLagMs = Math.max(total.maxLagMs, executive.maxLagMs);
  }
  return total;
}
