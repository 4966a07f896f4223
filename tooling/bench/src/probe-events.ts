import { eventFilter, parseLogSubject, readRunStream } from "@mina-local/bus";
import type { NatsConnection } from "@nats-io/transport-node";
import { countLines, countLinesContaining, parseMinaTimestampMs } from "./measure.js";
import { PROBE_STATE_HASH_PREFIX } from "./run-ids.js";

const FORWARDER_MODULE = Buffer.from('"module":"mina-local.forwarder"');
const now = () => performance.timeOrigin + performance.now();

/** A message of a log subject: its node, its lines, and how many of them are the forwarder's own (not the writer's). */
export function countLogMessage(subject: string, data: Uint8Array): { where: ReturnType<typeof parseLogSubject>; lines: number; own: number } {
  return { where: parseLogSubject(subject), lines: countLines(data), own: countLinesContaining(data, FORWARDER_MODULE) };
}

export interface ProbeEventCounter {
  count(): number;
  /** when the last probe event arrived (ms, performance clock) */
  lastAt(): number;
  /** arrival minus the line's own timestamp, ms, per probe event (with `latencies`) */
  readonly latencies: number[];
  stop(): Promise<void>;
}

/** Counts the writers' probe events on the run's event subjects as the event parser publishes them. */
export async function countProbeEvents(options: { nc: NatsConnection; runId: string; latencies: boolean }): Promise<ProbeEventCounter> {
  const decoder = new TextDecoder();
  let count = 0;
  let lastAt = 0;
  const latencies: number[] = [];
  const reader = await readRunStream({
    nc: options.nc,
    runId: options.runId,
    filter: eventFilter(options.runId),
    onMessage: (_subject, data) => {
      const at = now();
      const event = JSON.parse(decoder.decode(data)) as { timestamp?: string; data?: { state_hash?: unknown } };
      const hash = event.data?.state_hash;
      if (typeof hash !== "string" || !hash.startsWith(PROBE_STATE_HASH_PREFIX)) return;
      count++;
      lastAt = at;
      const written = event.timestamp === undefined ? undefined : parseMinaTimestampMs(event.timestamp);
      if (options.latencies && written !== undefined) latencies.push(at - written);
    },
  });
  return { count: () => count, lastAt: () => lastAt, latencies, stop: () => reader.stop() };
}
