import { connect, type Socket } from "node:net";
import { ArchiveAckSchema, type ArchiveBlock } from "./wire.js";

export interface ArchiveClientLog {
  debug(message: string, metadata: Record<string, unknown>): void;
  warn(message: string, metadata: Record<string, unknown>): void;
}

/** Blocks kept for an archive that is down; past this the oldest are dropped, and said so. */
const MAX_QUEUED = 10_000;
const RETRY_MS = 1_000;

/**
 * The daemon's side of the archive connection (wire.ts): blocks are sent in order, one line
 * each, and kept until the archive acknowledges them; on a lost connection the unacknowledged
 * ones are sent again once it is back. A real daemon drops what its archive cannot take; the
 * simulator keeps it, so that an archive started a little after its daemon misses nothing.
 */
export class ArchiveClient {
  private readonly queue: ArchiveBlock[] = [];
  private socket: Socket | undefined;
  /** a connection on its way: one at a time */
  private connecting: Socket | undefined;
  private inFlight = 0;
  private buffered = "";
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly log: ArchiveClientLog,
  ) {}

  static fromAddress(address: string, log: ArchiveClientLog): ArchiveClient {
    const at = address.lastIndexOf(":");
    const port = Number(address.slice(at + 1));
    return new ArchiveClient(at > 0 ? address.slice(0, at) : "127.0.0.1", Number.isInteger(port) && port > 0 ? port : 3086, log);
  }

  send(block: ArchiveBlock): void {
    if (this.closed) return;
    this.queue.push(block);
    if (this.queue.length > MAX_QUEUED) {
      const dropped = this.queue.shift();
      this.inFlight = Math.max(0, this.inFlight - 1);
      this.log.warn("Archive at $address unreachable: dropped block $state_hash", { address: `${this.host}:${this.port}`, state_hash: dropped?.state_hash });
    }
    if (this.socket) this.flush();
    else this.open();
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.destroy();
    this.connecting?.destroy();
  }

  private open(): void {
    if (this.socket || this.connecting || this.retry || this.closed) return;
    const socket = connect({ host: this.host, port: this.port });
    this.connecting = socket;
    socket.setNoDelay(true);
    socket.once("connect", () => {
      this.connecting = undefined;
      this.socket = socket;
      this.failures = 0;
      this.inFlight = 0;
      this.buffered = "";
      this.log.debug("Connected to the archive at $address", { address: `${this.host}:${this.port}` });
      this.flush();
    });
    socket.on("data", (chunk: Buffer) => this.onData(chunk.toString("utf8")));
    // `on`, not `once`: a reset can follow a failed write on the same socket, and an error
    // event with no listener is an uncaught exception that takes the daemon down
    socket.on("error", (error) => {
      this.failures++;
      // an archive that is still starting is normal for a while; say so once it is not
      const log = this.failures === 30 ? this.log.warn.bind(this.log) : this.log.debug.bind(this.log);
      log("Cannot reach the archive at $address: $error ($queued blocks waiting)", { address: `${this.host}:${this.port}`, error: error.message, queued: this.queue.length });
    });
    socket.once("close", () => {
      if (this.socket === socket) this.socket = undefined;
      if (this.connecting === socket) this.connecting = undefined;
      this.inFlight = 0;
      if (!this.closed && this.queue.length > 0) {
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.open();
        }, RETRY_MS);
        this.retry.unref();
      }
    });
  }

  private flush(): void {
    const socket = this.socket;
    if (!socket) return;
    while (this.inFlight < this.queue.length) {
      const block = this.queue[this.inFlight];
      this.inFlight++;
      socket.write(`${JSON.stringify({ block })}\n`);
    }
  }

  private onData(text: string): void {
    this.buffered += text;
    let newline: number;
    while ((newline = this.buffered.indexOf("\n")) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      let ack: unknown;
      try {
        ack = JSON.parse(line);
      } catch {
        ack = undefined;
      }
      const parsed = ArchiveAckSchema.safeParse(ack);
      const block = this.queue.shift();
      this.inFlight = Math.max(0, this.inFlight - 1);
      if (!parsed.success) this.log.warn("The archive answered $answer for block $state_hash", { answer: line.slice(0, 200), state_hash: block?.state_hash });
      else if (!parsed.data.ok) this.log.warn("The archive could not store block $state_hash: $error", { state_hash: block?.state_hash, error: parsed.data.error });
    }
  }
}
