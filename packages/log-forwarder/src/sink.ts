import fs from "node:fs";
import { MAX_FRAME_BYTES } from "./frame.js";

export interface FifoSinkOptions {
  path: string;
  /** frames queued before write() asks the producer to pause (default 256, i.e. 1 MiB) */
  highWaterFrames?: number;
  /** how often to retry opening the FIFO while it has no reader (default 200 ms) */
  retryOpenMs?: number;
  /** things an operator should know (no reader yet, reader gone): the forwarder prints them on its stderr */
  onNotice?: (message: string) => void;
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * Writes frames into the FIFO, one write(2) per frame, so that each stays atomic among
 * the many writers. The fd is non-blocking: when the pipe is full (EAGAIN) frames wait
 * in a queue and are retried on a short timer, while write() returns false so that the
 * producer pauses (the daemon then blocks on its stdout: backpressure, no loss). The
 * event loop never blocks, so signals and the control socket keep working. With no
 * reader (ENXIO at open, EPIPE later) frames wait too and the FIFO is reopened.
 */
export class FifoSink {
  private fd: number | null = null;
  private readonly queue: Buffer[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly waiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private closed = false;
  private lastNotice = "";
  private readonly highWater: number;
  private readonly retryOpenMs: number;
  framesWritten = 0;
  bytesWritten = 0;

  constructor(private readonly options: FifoSinkOptions) {
    this.highWater = options.highWaterFrames ?? 256;
    this.retryOpenMs = options.retryOpenMs ?? 200;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Queues frames and writes what the pipe takes now; false means "pause until waitForRoom()". */
  write(frames: Buffer[]): boolean {
    if (this.closed) throw new Error(`fifo sink ${this.options.path}: write after close`);
    for (const frame of frames) {
      if (frame.length > MAX_FRAME_BYTES) throw new Error(`fifo sink: frame of ${frame.length} bytes would not be atomic`);
      this.queue.push(frame);
    }
    if (this.timer === null) this.pump();
    return this.queued < this.highWater;
  }

  /** Resolves when the queue is below the high-water mark. */
  waitForRoom(): Promise<void> {
    if (this.queued < this.highWater) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves when every queued frame is written. */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    for (const wake of [...this.waiters.splice(0), ...this.idleWaiters.splice(0)]) wake();
  }

  private pump = (): void => {
    this.timer = null;
    if (this.closed) return;
    if (this.fd === null && !this.open()) return this.retry(this.retryOpenMs);
    const fd = this.fd as number;
    // A full pipe is the normal state under load (the relay is behind: backpressure), and
    // each EAGAIN is a thrown error: without a stack trace it costs a fraction (the code is
    // all that is read of it). Restored before anything else runs.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      this.writeQueued(fd);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  };

  private writeQueued(fd: number): void {
    while (this.head < this.queue.length) {
      const frame = this.queue[this.head] as Buffer;
      try {
        // a pipe write of <= PIPE_BUF bytes is all-or-nothing, also when non-blocking
        fs.writeSync(fd, frame);
      } catch (error) {
        const code = errnoOf(error);
        if (code === "EAGAIN" || code === "EWOULDBLOCK") return this.retry(1);
        if (code === "EPIPE") {
          this.notice(`fifo ${this.options.path}: the reader went away; keeping ${this.queued} frame(s) until it is back`);
          fs.closeSync(fd);
          this.fd = null;
          return this.retry(this.retryOpenMs);
        }
        // anything else (the FIFO replaced, a bad fd): start over with a fresh open
        this.notice(`fifo ${this.options.path}: write failed (${code ?? String(error)}); reopening`);
        try {
          fs.closeSync(fd);
        } catch {
          // already unusable
        }
        this.fd = null;
        return this.retry(this.retryOpenMs);
      }
      this.head++;
      this.framesWritten++;
      this.bytesWritten += frame.length;
    }
    this.queue.length = 0;
    this.head = 0;
    this.wake();
  }

  private retry(ms: number): void {
    if (this.head > 4096) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.wake();
    this.timer = setTimeout(this.pump, ms);
  }

  private wake(): void {
    if (this.queued < this.highWater) for (const wake of this.waiters.splice(0)) wake();
    if (this.queued === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private open(): boolean {
    try {
      this.fd = fs.openSync(this.options.path, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      if (this.lastNotice !== "") this.notice(`fifo ${this.options.path}: writing again`);
      this.lastNotice = "";
      return true;
    } catch (error) {
      const code = errnoOf(error);
      if (code === "ENXIO") this.notice(`fifo ${this.options.path}: no reader yet; waiting (daemon output is held back meanwhile)`);
      else if (code === "ENOENT") this.notice(`fifo ${this.options.path} does not exist; waiting for the host to create it`);
      else this.notice(`fifo ${this.options.path}: cannot open it (${code ?? String(error)}); retrying`);
      return false;
    }
  }

  private notice(message: string): void {
    if (message === this.lastNotice) return;
    this.lastNotice = message;
    this.options.onNotice?.(message);
  }
}
