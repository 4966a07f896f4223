import { createInbox, headers } from "@nats-io/transport-node";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";

/** JetStream's answer to one stored message. */
export interface PubAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

/** What the relay and the event parser need of a JetStream publisher (a `JetStreamClient` is one too). */
export interface AckedPublish {
  publish(subject: string, payload: Uint8Array | string, options?: { msgID?: string; timeout?: number }): Promise<unknown>;
}

interface Pending {
  resolve: (ack: PubAck) => void;
  reject: (error: Error) => void;
  subject: string;
  deadline: number;
}

const utf8 = new TextDecoder();

/** JetStream's PubAck JSON, checked by hand (zod would cost more than the rest: this runs once per message). Pure. */
export function parsePubAck(data: Uint8Array): PubAck | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(data));
  } catch {
    return { error: "the answer is not JSON" };
  }
  if (typeof value !== "object" || value === null) return { error: "the answer is not an object" };
  const v = value as { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: { description?: unknown; code?: unknown } };
  if (v.error !== undefined) return { error: `${String(v.error.description ?? "error")} (${String(v.error.code ?? "?")})` };
  if (typeof v.stream !== "string" || typeof v.seq !== "number") return { error: "the answer is no PubAck" };
  return { stream: v.stream, seq: v.seq, duplicate: v.duplicate === true };
}

/**
 * Acknowledged JetStream publishes over one wildcard reply subscription: a publish is a
 * core publish with a reply subject of its own under this publisher's inbox, and the
 * server's PubAck (or error) comes back there. The same protocol as `js.publish`, minus
 * what nats.js does per request (a mux entry, a timer and up to three Error objects with
 * stack traces, one built even on success): at one publish per event that was a tenth
 * of the relay's process. Timeouts are checked by one sweep timer.
 */
export class AckedPublisher implements AckedPublish {
  private readonly prefix: string;
  private readonly sub: Subscription;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs = 10_000,
  ) {
    this.prefix = createInbox();
    this.sub = nc.subscribe(`${this.prefix}.*`, { callback: (error, msg) => (error ? this.failAll(error.message) : this.answer(msg.subject, msg.data, msg.headers)) });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  publish(subject: string, payload: Uint8Array | string, options: { msgID?: string; timeout?: number } = {}): Promise<PubAck> {
    if (this.nc.isClosed()) return Promise.reject(new Error(`publishing on ${subject}: the NATS connection is closed`));
    const id = this.next++;
    return new Promise<PubAck>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, subject, deadline: Date.now() + (options.timeout ?? this.defaultTimeoutMs) });
      try {
        if (options.msgID !== undefined) {
          const h = headers();
          h.set("Nats-Msg-Id", options.msgID);
          this.nc.publish(subject, payload, { reply: `${this.prefix}.${id}`, headers: h });
        } else this.nc.publish(subject, payload, { reply: `${this.prefix}.${id}` });
      } catch (error) {
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.sweeper ??= setInterval(() => this.sweep(), 250);
    });
  }

  /** Rejects whatever is still waiting and stops listening. */
  close(): void {
    this.failAll("the publisher was closed");
    this.sub.unsubscribe();
  }

  private answer(replySubject: string, data: Uint8Array, h: { hasError: boolean; code: number; description: string } | undefined): void {
    const id = Number(replySubject.slice(this.prefix.length + 1));
    const waiting = this.pending.get(id);
    if (!waiting) return; // timed out already
    this.pending.delete(id);
    this.idle();
    if (h?.hasError || (data.length === 0 && h !== undefined)) {
      // 503: no stream listens on the subject (nats-server's "no responders")
      waiting.reject(new Error(`JetStream did not store the message on ${waiting.subject}: ${h?.code === 503 ? "no stream takes this subject (no responders)" : `${h?.code} ${h?.description}`}`));
      return;
    }
    const ack = parsePubAck(data);
    if ("error" in ack) waiting.reject(new Error(`JetStream refused the message on ${waiting.subject}: ${ack.error}`));
    else waiting.resolve(ack);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, waiting] of this.pending) {
      if (waiting.deadline > now) continue;
      this.pending.delete(id);
      waiting.reject(new Error(`no JetStream acknowledgement for the message on ${waiting.subject} within its timeout`));
    }
    this.idle();
  }

  private idle(): void {
    if (this.pending.size > 0 || this.sweeper === undefined) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private failAll(reason: string): void {
    for (const waiting of this.pending.values()) waiting.reject(new Error(`publishing on ${waiting.subject} failed: ${reason}`));
    this.pending.clear();
    this.idle();
  }
}
