import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { randomUUID } from "node:crypto";
import { DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { NATS_MAX_PAYLOAD } from "./server.js";
import { streamName } from "./stream.js";

export interface RunStreamReaderOptions {
  nc: NatsConnection;
  runId: string;
  /** a subject filter inside the run, e.g. mina.<run>.log.> (one subject: nats-server 2.9 takes no list) */
  filter: string;
  /** awaited before the next message: the reader applies backpressure, it never drops */
  onMessage: (subject: string, data: Uint8Array, sequence: number) => void | Promise<void>;
  onError?: (error: unknown, subject: string) => void;
  timeoutMs?: number;
}

export interface RunStreamReader {
  readonly streamName: string;
  /** stream sequence of the last message handled */
  lastSequence(): number;
  /** resolves once every message matching the filter that is in the stream now has been handled */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads part of a run's stream from its very start through an ordered JetStream
 * consumer: every consumer that must not miss a line (event parser, report, counters)
 * reads this way, since a core subscription drops messages for a slow consumer.
 */
export async function readRunStream(options: RunStreamReaderOptions): Promise<RunStreamReader> {
  const { nc, runId, filter, onMessage } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const name = streamName(runId);
  const jsm = await withTimeout("connecting to JetStream", timeoutMs, jetstreamManager(nc), "nats");
  const consumer = await withTimeout(
    `creating an ordered consumer of ${filter} on stream ${name}`,
    timeoutMs,
    jetstream(nc).consumers.get(name, { filter_subjects: filter, deliver_policy: DeliverPolicy.All }),
    "nats",
  ).catch((cause: unknown) => {
    throw new MinaLocalError("nats", `cannot read ${filter} from stream ${name}`, {
      where: "bus",
      hint: "the run's stream is created by ensureRunStream before any reader starts",
      cause,
    });
  });
  // bounded in bytes, not messages: 512 messages of a megabyte each would pass nats-server's
  // per-client pending limit and stall the consumer; one pull always fits the largest message
  const messages: ConsumerMessages = await consumer.consume({ max_bytes: NATS_MAX_PAYLOAD + 1024 * 1024 });
  let last = 0;
  let lastDelivery = 0;
  let stopped = false;
  const markersAwaited = new Map<string, () => void>();

  const loop = (async () => {
    for await (const message of messages) {
      last = message.seq;
      lastDelivery = message.info.deliverySequence;
      if (isDrainMarker(message.subject)) {
        markersAwaited.get(message.subject)?.();
        continue;
      }
      try {
        await onMessage(message.subject, message.data, message.seq);
      } catch (error) {
        options.onError?.(error, message.subject);
      }
    }
  })();

  /**
   * A marker published into the stream after everything there now: once this reader
   * reaches it, it has handled every earlier message of its filter. Independent of the
   * consumer's bookkeeping, which an ordered consumer resets when it falls behind.
   */
  async function drainByMarker(drainTimeoutMs: number): Promise<void> {
    const subject = drainMarkerSubject(filter);
    if (subject === undefined) return drainByPendingCount(drainTimeoutMs);
    const reached = new Promise<void>((resolve) => markersAwaited.set(subject, resolve));
    try {
      await withTimeout(`publishing a drain marker on ${subject}`, timeoutMs, jetstream(nc).publish(subject, new Uint8Array()), "nats");
      await withTimeout(`draining ${filter} from stream ${name}`, drainTimeoutMs, reached, "nats");
    } finally {
      markersAwaited.delete(subject);
    }
  }

  async function drainByPendingCount(drainTimeoutMs: number): Promise<void> {
    await withTimeout(
      `draining ${filter} from stream ${name}`,
      drainTimeoutMs,
      (async () => {
        const target = (await jsm.streams.info(name)).state.last_seq;
        // The stream holds other subjects too, so its last sequence may never match the
        // filter: done when nothing is pending and every delivered message was handled
        // (counted in the consumer's own sequence, which skips other subjects).
        while (last < target && !stopped) {
          const info = await consumer.info(false).catch(() => undefined);
          if (info && info.num_pending === 0 && lastDelivery >= info.delivered.consumer_seq) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })(),
      "nats",
    );
  }

  return {
    streamName: name,
    lastSequence: () => last,
    drain: (drainTimeoutMs = 60_000) => drainByMarker(drainTimeoutMs),
    async stop() {
      if (stopped) return;
      stopped = true;
      await messages.close();
      await loop;
    },
  };
}

/** Drain markers travel on `<filter prefix>~drain.<id>`; every reader skips them. */
const DRAIN_TOKEN = "~drain";

/** A subject the filter matches, holding the drain token: wildcards become the token and an id. */
function drainMarkerSubject(filter: string): string | undefined {
  const id = randomUUID().replace(/-/g, "");
  let usedToken = false;
  const tokens = filter.split(".").map((token) => {
    if (token === ">") return usedToken ? id : `${DRAIN_TOKEN}.${id}`;
    if (token !== "*") return token;
    const replacement = usedToken ? id : DRAIN_TOKEN;
    usedToken = true;
    return replacement;
  });
  return tokens.some((token) => token.startsWith(DRAIN_TOKEN)) ? tokens.join(".") : undefined;
}

export function isDrainMarker(subject: string): boolean {
  return subject.includes(`.${DRAIN_TOKEN}.`);
}
