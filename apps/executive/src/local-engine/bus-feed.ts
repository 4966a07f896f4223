import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { NODE_ROLES } from "@mina-local/engine";
import { readRunStream, type RunStreamReader } from "@mina-local/bus";
import type { LineTail } from "../dsl/line-tail.js";
import type { StateStore } from "../dsl/state-store.js";

/**
 * The executive's view of the bus: every event of the run feeds Network_state, every
 * log line feeds the line tail and the per-node log files of the run directory. Both
 * read through JetStream from the start of the run, so nothing published before a wait
 * was set up is missed, and a slow executive never loses a message.
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
  stats(): { events: number; lines: number; badEvents: number };
}

export async function startBusFeed(options: {
  nc: NatsConnection;
  runId: string;
  store: StateStore;
  lines: LineTail;
  logsDir: string;
  onBadEvent?: (reason: string) => void;
}): Promise<BusFeed> {
  const { nc, runId, store, lines, logsDir } = options;
  mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  const counts = { events: 0, lines: 0, badEvents: 0 };
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
      counts.events++;
      store.apply(parsed.data);
    },
  });

  const logs: RunStreamReader = await readRunStream({
    nc,
    runId,
    filter: `mina.${runId}.log.>`,
    onMessage: (subject, data) => {
      const node = subject.split(".")[4] ?? "unknown";
      const text = decoder.decode(data);
      // one message carries one or more whole lines of one node
      appendFileSync(join(logsDir, `${node}.log`), text.endsWith("\n") ? text : `${text}\n`, { mode: 0o600 });
      for (const line of text.split("\n")) {
        if (line === "") continue;
        counts.lines++;
        lines.push(node, line);
      }
    },
  });

  return {
    async drain(timeoutMs = 60_000) {
      await Promise.all([events.drain(timeoutMs), logs.drain(timeoutMs)]);
    },
    async stop() {
      await Promise.all([events.stop(), logs.stop()]);
    },
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
