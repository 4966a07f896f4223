import { join } from "node:path";
import { relayStatsSubject, startStreamLogs, type RelayStats } from "@mina-local/bus";
import type { InlineEventParser } from "@mina-local/event-parser";
import type { NatsConnection } from "@nats-io/transport-node";
import type { LocalRun } from "../run-context.js";
import { relayTotals } from "./relay-totals.js";
import { lagFault } from "../lag-fault.js";

export interface HostLogs {
  /** the latest counters of each host's relay */
  readonly byHost: ReadonlyMap<string, RelayStats>;
  /** a host's counters from its drain answer (final once its nodes are gone) */
  record(host: string, stats: RelayStats): void;
  /** every line in the stream now is written, in the tail and parsed */
  drain(): Promise<void>;
}

/**
 * A multi-host run's lines and counters on the executive's side: the lines of every host
 * from the stream (`startStreamLogs`), each host's relay counters from its stats subject,
 * and the run's pipeline counters as their sum (`relayTotals`), which the report reads.
 */
export async function startHostLogs(run: LocalRun, input: { nc: NatsConnection; parser: InlineEventParser; maxLagMs: number }): Promise<HostLogs> {
  const { runId, runDir, teardown, log } = run;
  const utf8 = new TextDecoder();
  const byHost = new Map<string, RelayStats>();
  const streamLogs = await startStreamLogs({
    nc: input.nc,
    runId,
    logsDir: join(runDir, "logs"),
    onBatch: input.parser.handleBatch,
    maxLagMs: input.maxLagMs,
    onLag: lagFault(run),
    onLines: (node, lines) => {
      for (const line of lines) run.lines.push(node, utf8.decode(line));
    },
    onError: (message) => log.error({ error: message }, "Log pipeline error: $error"),
  });
  teardown.add("stopping the stream of the hosts' lines", () => streamLogs.stop());
  // the relays publish their counters every 2 s (and finally at their drain)
  const stats = input.nc.subscribe(`${relayStatsSubject(runId)}.*`, {
    callback: (error, message) => {
      if (error) return;
      try {
        const body = message.json<RelayStats & { host?: string }>();
        if (typeof body.host === "string" && typeof body.linesRelayed === "number") byHost.set(body.host, body);
      } catch {
        // not counters: nothing to count
      }
    },
  });
  teardown.add("unsubscribing from the hosts' counters", async () => stats.unsubscribe());
  run.pipeline.relay = { stats: () => relayTotals(byHost, streamLogs.stats()) };
  return {
    byHost,
    record: (host, s) => void byHost.set(host, s),
    drain: () => streamLogs.drain(),
  };
}
