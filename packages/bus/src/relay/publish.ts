import type { AckedPublish } from "../acked-publish.js";

export interface PublishRetry {
  /** tries in all (default 8) */
  attempts?: number;
  /** per try, ms (default 10 s) */
  timeoutMs?: number;
  /** false once retrying is pointless (the connection is closed) */
  canRetry?: () => boolean;
  /** the wait before try n+1 (default 100 ms doubling up to 2 s) */
  backoffMs?: (attempt: number) => number;
}

/**
 * One acknowledged JetStream publish, retried with the same msgID (so JetStream drops a
 * duplicate if an earlier try did land). Resolves to undefined on success, else the last
 * error's message: never throws, the caller counts the lines.
 */
export async function publishAcked(js: AckedPublish, subject: string, payload: Uint8Array, msgID: string, retry: PublishRetry = {}): Promise<string | undefined> {
  const attempts = retry.attempts ?? 8;
  const backoff = retry.backoffMs ?? ((attempt: number) => Math.min(2000, 50 * 2 ** attempt));
  let last = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await js.publish(subject, payload, { msgID, timeout: retry.timeoutMs ?? 10_000 });
      return undefined;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
      if (attempt === attempts || (retry.canRetry && !retry.canRetry())) break;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
    }
  }
  return last || "unknown error";
}
