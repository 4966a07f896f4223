import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { NODE_ROLES } from "@mina-local/engine";
import { readRunStream, type RunStreamReader } from "@mina-local/bus";
import type { StateStore } from "../dsl/state-store.js";

/**
 * The executive's view of the bus: every event of the run feeds Network_state, read
 * through JetStream from the start of the run, so nothing published before a wait was
 * set up is missed, and a slow executive never loses a message. Log lines do not come
 * back from the bus: the relay, in this process, writes the per-node log files and feeds
 * the line tail from its own batches (`onDelivered`).
 */
const NodeEventSchema = z.object({
  node: z.string(),
  role: z.enum(NODE_ROLES),
  type: z.string(),
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export interface BusFeed {
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  /** events applied; messages on the event subjects that were not events; events whose handling threw */
  stats(): { events: number; badEvents: number; failedEvents: number };
}

export async function startBusFeed(options: { nc: NatsConnection; runId: string; store: StateStore; onBadEvent?: (reason: string) => void }): Promise<BusFeed> {
  const { nc, runId, store } = options;
  const counts = { events: 0, badEvents: 0, failedEvents: 0 };
  const decoder = new TextDecoder();

  const events: RunStreamReader = await readRunStream({
    nc,
    runId,
    filter: `mina.${runId}.event.>`,
    onMessage: (subject, data) => {
      const parsed = NodeEventSchema.safeParse(safeJson(decoder.decode(data)));
      if (!parsed.success) {
        counts.badEvents++;
        options.onBadEvent?.(`${subject}: ${parsed.error.issues[0]?.message ?? "not an event"}`);
        return;
      }
      try {
        store.apply(parsed.data);
        counts.events++;
      } catch (error) {
        counts.failedEvents++;
        options.onBadEvent?.(`${subject}: applying the event failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  });

  return {
    drain: (timeoutMs = 60_000) => events.drain(timeoutMs),
    stop: () => events.stop(),
    stats: () => ({ ...counts }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
