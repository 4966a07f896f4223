import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { DiscardPolicy, RetentionPolicy, StorageType, jetstreamManager } from "@nats-io/jetstream";
import type { StreamInfo } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { runSubjects, sanitizeToken } from "./subjects.js";

/** The JetStream stream that keeps one run's whole traffic. */
export function streamName(runId: string): string {
  return `MINA_${sanitizeToken(runId)}`;
}

/**
 * Makes sure the run's stream exists: file storage in the server's store (the run
 * directory), no age, count or size limit (the disk is the limit: a long run must not
 * lose its beginning), and `discard: new` so that if a limit is ever hit, publishing
 * fails loudly instead of old data vanishing.
 */
export async function ensureRunStream(nc: NatsConnection, runId: string, timeoutMs = 10_000): Promise<StreamInfo> {
  const name = streamName(runId);
  const subjects = [runSubjects(runId)];
  try {
    return await withTimeout(
      `creating the JetStream stream ${name}`,
      timeoutMs,
      (async () => {
        const jsm = await jetstreamManager(nc);
        try {
          return await jsm.streams.info(name);
        } catch {
          return await jsm.streams.add({
            name,
            subjects,
            storage: StorageType.File,
            retention: RetentionPolicy.Limits,
            discard: DiscardPolicy.New,
            max_msgs: -1,
            max_bytes: -1,
            max_age: 0,
            num_replicas: 1,
          });
        }
      })(),
      "nats",
    );
  } catch (error) {
    if (error instanceof MinaLocalError) throw error;
    throw new MinaLocalError("nats", `cannot create the JetStream stream ${name} for ${subjects[0]}: ${error instanceof Error ? error.message : String(error)}`, {
      where: "bus",
      hint: "is the embedded nats-server running with JetStream (-js)?",
      cause: error,
    });
  }
}
