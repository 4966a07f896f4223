import type { NatsConnection } from "@nats-io/transport-node";
import { relayDrainSubject } from "./subjects.js";
import type { RelayStats } from "./relay.js";

/** One host's answer to a drain request, or the pipeline fault of its silence. */
export type HostDrain = { host: string; ok: true; stats: RelayStats } | { host: string; ok: false; fault: string };

/**
 * Asks every host's relay of a multi-host run to drain (request-reply on
 * `relayDrainSubject`), all at once, and collects the answers: a relay that does not
 * answer, or answers that its drain failed, is a fault naming its host, never a silent
 * shortfall in the counts.
 */
export async function drainHostRelays(nc: NatsConnection, runId: string, hosts: readonly string[], timeoutMs = 60_000): Promise<HostDrain[]> {
  return Promise.all(
    hosts.map(async (host): Promise<HostDrain> => {
      try {
        const reply = await nc.request(relayDrainSubject(runId, host), "", { timeout: timeoutMs });
        const answer = reply.json<{ ok: boolean; stats?: RelayStats; error?: string }>();
        if (answer.ok && answer.stats) return { host, ok: true, stats: answer.stats };
        return { host, ok: false, fault: `the log relay of ${host} could not drain: ${answer.error ?? "no counters in its answer"}` };
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return { host, ok: false, fault: `the log relay of ${host} did not answer a drain request within ${timeoutMs} ms (${why}): its lines since its last counters are not counted` };
      }
    }),
  );
}
