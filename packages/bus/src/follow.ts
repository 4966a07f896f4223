import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { isDrainMarker } from "./reader.js";
import { streamName } from "./stream.js";

export interface FollowRunOptions {
  nc: NatsConnection;
  runId: string;
  /** one subject filter inside the run (nats-server 2.9 takes no list), e.g. mina.<run>.event.block-producer.*.* */
  filter: string;
  /** from the run's first message (else: from now on) */
  fromStart: boolean;
  onMessage: (subject: string, data: Uint8Array) => void | Promise<void>;
  timeoutMs?: number;
}

/**
 * Follows a live run's stream for a human (`test_executive watch`): an ordered JetStream
 * consumer, so a slow terminal slows the view instead of losing lines. Resolves when the
 * consumer ends (the run's nats-server stopped, or `signal` aborted).
 */
export async function followRun(options: FollowRunOptions, signal?: AbortSignal): Promise<void> {
  const { nc, runId, filter } = options;
  const name = streamName(runId);
  const consumer = await withTimeout(
    `creating an ordered consumer of ${filter} on stream ${name}`,
    options.timeoutMs ?? 10_000,
    jetstream(nc).consumers.get(name, { filter_subjects: filter, deliver_policy: options.fromStart ? DeliverPolicy.All : DeliverPolicy.New }),
    "nats",
  ).catch((cause: unknown) => {
    throw new MinaLocalError("nats", `cannot follow ${filter} on stream ${name}`, { where: "bus", cause });
  });
  const messages = await consumer.consume({ max_messages: 256 });
  const stop = () => void messages.close();
  signal?.addEventListener("abort", stop, { once: true });
  void nc.closed().then(stop);
  try {
    for await (const message of messages) {
      if (isDrainMarker(message.subject)) continue;
      await options.onMessage(message.subject, message.data);
    }
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}
