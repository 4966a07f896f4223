import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { MinaLocalError } from "@mina-local/engine";
import { FifoSink, FrameDecoder, FrameEncoder } from "@mina-local/log-forwarder/codec";
import type { DecodedLine, GapReport } from "@mina-local/log-forwarder/codec";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { logSubject, statsSubject } from "./subjects.js";

export interface FifoRelayOptions {
  fifoPath: string;
  nc: NatsConnection;
  runId: string;
  /** the most bytes of lines in one message (default 256 KiB; a longer line goes alone) */
  maxBatchBytes?: number;
  /** the longest a line waits for its batch to fill (default 20 ms) */
  maxBatchMs?: number;
  /** publishes awaiting their JetStream ack before reading pauses (default 64) */
  maxInFlight?: number;
  /** how often the pipeline counters are published (default 2 s) */
  statsIntervalMs?: number;
  /** every loss, as it is found */
  onGap?: (gap: GapReport) => void;
  /** a node's lines reaching the relay more than this long after they were written count as falling behind */
  maxLagMs?: number;
  /** called once per node, the first time its lag passes `maxLagMs` */
  onLag?: (lag: LagReport) => void;
  /**
   * Every message as it is published (subject and lines), e.g. to parse events in this
   * process. The batch counts as in flight until the returned promise settles too, so a
   * slow consumer here slows reading like a slow bus does.
   */
  onBatch?: (subject: string, payload: Buffer) => Promise<void> | void;
}

/** How late one node's line reached the FIFO reader: read time minus the line's own timestamp. */
export interface LagReport {
  node: string;
  role: string;
  lagMs: number;
  maxLagMs: number;
  message: string;
}

export interface RelayNodeStats {
  role: string;
  linesRead: number;
  linesPublished: number;
  messagesPublished: number;
  framesLost: number;
  linesLost: number;
  /** the largest lag seen on this node's sampled lines (see `lineTimestampMs`) */
  maxLagMs: number;
}

export interface RelayStats {
  framesRead: number;
  bytesRead: number;
  linesPublished: number;
  messagesPublished: number;
  linesLost: number;
  framesLost: number;
  corruptBytes: number;
  /** the largest lag of any node */
  maxLagMs: number;
  byNode: Record<string, RelayNodeStats>;
}

export interface FifoRelay {
  stats(): RelayStats;
  /**
   * Reads everything written into the FIFO before this call, publishes it, and waits for
   * every ack. With `final` (the default; teardown, once the containers are gone) a line
   * still incomplete is counted as lost and the final counters are published.
   */
  drain(options?: { final?: boolean; timeoutMs?: number }): Promise<RelayStats>;
  /** closes the FIFO fd; removes nothing */
  stop(): Promise<void>;
}

/** The relay's own drain marks travel through the FIFO under a name no node can have. */
const MARK_NODE = "~relay";
const MARK_ROLE = "~drain";

interface Batch {
  node: string;
  role: string;
  parts: Buffer[];
  bytes: number;
  lines: number;
}

const NEWLINE = Buffer.from("\n");
/** Lag is sampled on a node's first line and then at most this often, to keep the read path cheap. */
const LAG_SAMPLE_MS = 200;
const TIMESTAMP_KEY = Buffer.from('"timestamp":"');

/**
 * The time a Mina JSON log line says it was written ("2026-11-26 12:00:00.123456Z" in
 * its `timestamp` field, which Mina puts first), or undefined for any other line. Looks
 * only at the line's first 128 bytes: no JSON parsing on the relay's path.
 */
export function lineTimestampMs(line: Buffer): number | undefined {
  const at = line.subarray(0, 128).indexOf(TIMESTAMP_KEY);
  if (at < 0) return undefined;
  const start = at + TIMESTAMP_KEY.length;
  const text = line.toString("latin1", start, start + 23);
  if (!/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d{3}$/.test(text)) return undefined;
  const ms = Date.parse(`${text.replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Makes the FIFO if it is missing; writable by anyone, so a container's root (any uid mapping) can write. */
export function ensureFifo(fifoPath: string): void {
  try {
    const stat = fs.statSync(fifoPath);
    if (!stat.isFIFO()) throw new MinaLocalError("setup", `${fifoPath} exists and is not a FIFO`, { hint: "remove it or choose another run directory" });
    return;
  } catch (error) {
    if (error instanceof MinaLocalError) throw error;
  }
  execFileSync("mkfifo", ["-m", "0622", fifoPath]);
}

/**
 * The log relay: FIFO frames -> whole lines -> one JetStream message per batch of one
 * node's lines on `mina.<run>.log.<role>.<node>`. The FIFO is held open read-write so
 * it never reads EOF while containers come and go. Acks are the flow control: with too
 * many publishes in flight, reading pauses, the pipe fills, and the forwarders hold their
 * daemons' output back; nothing is dropped. Lines never contain `\n` (the forwarder cuts
 * lines there), so `\n` separates them in a message.
 */
export async function startFifoRelay(options: FifoRelayOptions): Promise<FifoRelay> {
  const { nc, runId, fifoPath } = options;
  const maxBatchBytes = options.maxBatchBytes ?? 256 * 1024;
  const maxBatchMs = options.maxBatchMs ?? 20;
  const maxInFlight = options.maxInFlight ?? 64;
  const js = jetstream(nc);
  ensureFifo(fifoPath);

  const decoder = new FrameDecoder();
  const batches = new Map<string, Batch>();
  const published = new Map<string, { lines: number; messages: number }>();
  const publishLost = new Map<string, number>();
  const markWaiters = new Map<string, () => void>();
  const settledWaiters: Array<() => void> = [];
  const relayId = `${process.pid}-${Date.now().toString(36)}`;
  let batchCounter = 0;
  let inFlight = 0;
  let flushTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  let statsDirty = true;
  const recentGaps: GapReport[] = [];
  const lags = new Map<string, { sampledAt: number; maxLagMs: number; reported: boolean }>();
  let readAt = Date.now();

  const fd = fs.openSync(fifoPath, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  // a pipe handle: libuv reads it when epoll says so (a read returns at most the pipe's 64 KiB)
  const socket = new net.Socket({ fd, readable: true, writable: false });
  const markSink = new FifoSink({ path: fifoPath });
  const markEncoder = new FrameEncoder({ node: MARK_NODE, role: MARK_ROLE });

  const stats = (): RelayStats => {
    const decoded = decoder.stats();
    const byNode: Record<string, RelayNodeStats> = {};
    let linesPublished = 0;
    let messagesPublished = 0;
    let lostOnBus = 0;
    for (const [node, s] of Object.entries(decoded.byNode)) {
      if (node === MARK_NODE) continue;
      const p = published.get(node) ?? { lines: 0, messages: 0 };
      const busLost = publishLost.get(node) ?? 0;
      const maxLagMs = lags.get(node)?.maxLagMs ?? 0;
      byNode[node] = { role: s.role, linesRead: s.lines, linesPublished: p.lines, messagesPublished: p.messages, framesLost: s.framesLost, linesLost: s.linesLost + busLost, maxLagMs };
      linesPublished += p.lines;
      messagesPublished += p.messages;
      lostOnBus += busLost;
    }
    const marks = decoded.byNode[MARK_NODE]?.frames ?? 0;
    return {
      framesRead: decoded.framesRead - marks,
      bytesRead: decoded.bytesRead,
      linesPublished,
      messagesPublished,
      linesLost: decoded.linesLost + lostOnBus,
      framesLost: decoded.framesLost,
      corruptBytes: decoded.corruptBytes,
      maxLagMs: Math.max(0, ...Object.values(byNode).map((n) => n.maxLagMs)),
      byNode,
    };
  };

  const reportGap = (gap: GapReport) => {
    statsDirty = true;
    recentGaps.push(gap);
    if (recentGaps.length > 100) recentGaps.shift();
    options.onGap?.(gap);
  };

  const settled = () => inFlight === 0 && batches.size === 0;
  const wakeSettled = () => {
    if (settled()) for (const wake of settledWaiters.splice(0)) wake();
  };

  const publishBatch = (batch: Batch) => {
    batches.delete(batch.node);
    const payload = Buffer.concat(batch.parts, batch.bytes);
    const subject = logSubject(runId, batch.role, batch.node);
    const msgID = `${relayId}-${batchCounter++}`;
    inFlight++;
    if (inFlight >= maxInFlight) socket.pause();
    const handled = options.onBatch ? handOver(options.onBatch, subject, payload) : undefined;
    void Promise.all([publishWithRetry(subject, payload, msgID), handled]).then(([ok]) => {
      inFlight--;
      statsDirty = true;
      if (ok) {
        const p = published.get(batch.node) ?? { lines: 0, messages: 0 };
        p.lines += batch.lines;
        p.messages++;
        published.set(batch.node, p);
      } else {
        publishLost.set(batch.node, (publishLost.get(batch.node) ?? 0) + batch.lines);
        reportGap({ kind: "gap", node: batch.node, role: batch.role, lostFrames: 0, lostLines: batch.lines, discardedBytes: payload.length, message: `node ${batch.node}: the bus refused ${batch.lines} line(s) on ${subject} after retries` });
      }
      if (inFlight < maxInFlight && !stopped) socket.resume();
      wakeSettled();
    });
  };

  const handOver = async (onBatch: NonNullable<FifoRelayOptions["onBatch"]>, subject: string, payload: Buffer): Promise<void> => {
    try {
      await onBatch(subject, payload);
    } catch (error) {
      process.emitWarning(`relay: the batch consumer failed on ${subject}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const publishWithRetry = async (subject: string, payload: Buffer, msgID: string): Promise<boolean> => {
    // the same msgID on a retry lets JetStream drop a duplicate if the first try did land
    for (let attempt = 1; attempt <= 8; attempt++) {
      try {
        await js.publish(subject, payload, { msgID, timeout: 10_000 });
        return true;
      } catch (error) {
        if (attempt === 8 || nc.isClosed()) {
          process.emitWarning(`relay: publishing to ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      }
    }
    return false;
  };

  const sampleLag = (node: string, role: string, line: Buffer) => {
    let lag = lags.get(node);
    if (lag && readAt - lag.sampledAt < LAG_SAMPLE_MS) return;
    const writtenAt = lineTimestampMs(line);
    if (writtenAt === undefined) return;
    if (!lag) {
      lag = { sampledAt: readAt, maxLagMs: 0, reported: false };
      lags.set(node, lag);
    }
    lag.sampledAt = readAt;
    const lagMs = readAt - writtenAt;
    if (lagMs <= lag.maxLagMs) return;
    lag.maxLagMs = lagMs;
    statsDirty = true;
    if (options.maxLagMs !== undefined && lagMs > options.maxLagMs && !lag.reported) {
      lag.reported = true;
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      options.onLag?.({
        node,
        role,
        lagMs,
        maxLagMs: options.maxLagMs,
        message: `the log pipeline fell behind: a line of node ${node} reached the FIFO reader ${seconds(lagMs)} after the node wrote it (the limit is ${seconds(options.maxLagMs)}); events reach the test that late, and the node blocks on its own output while the FIFO is full`,
      });
    }
  };

  const addLine = ({ node, role, line }: DecodedLine) => {
    if (node === MARK_NODE) {
      markWaiters.get(line.toString())?.();
      return;
    }
    sampleLag(node, role, line);
    let batch = batches.get(node);
    if (batch && batch.bytes + 1 + line.length > maxBatchBytes) {
      publishBatch(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { node, role, parts: [], bytes: 0, lines: 0 };
      batches.set(node, batch);
    } else {
      batch.parts.push(NEWLINE);
      batch.bytes += 1;
    }
    batch.parts.push(line);
    batch.bytes += line.length;
    batch.lines++;
  };

  const flushAll = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    for (const batch of [...batches.values()]) publishBatch(batch);
    wakeSettled();
  };

  socket.on("data", (chunk: Buffer) => {
    readAt = Date.now();
    const { lines, gaps } = decoder.push(chunk);
    for (const line of lines) addLine(line);
    for (const gap of gaps) reportGap(gap);
    if (lines.length > 0) statsDirty = true;
    if (batches.size > 0 && flushTimer === null) flushTimer = setTimeout(flushAll, maxBatchMs);
  });
  socket.on("error", (error) => process.emitWarning(`relay: reading ${fifoPath} failed: ${error.message}`));

  const publishStats = async (final: boolean) => {
    statsDirty = false;
    const body = { run: runId, final, at: new Date().toISOString(), ...stats(), recentGaps };
    try {
      await js.publish(statsSubject(runId, "pipeline"), JSON.stringify(body), { timeout: 10_000 });
    } catch (error) {
      statsDirty = true;
      process.emitWarning(`relay: publishing pipeline stats failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const statsTimer = setInterval(() => {
    if (statsDirty && !stopped) void publishStats(false);
  }, options.statsIntervalMs ?? 2000);

  const drain = async ({ final = true, timeoutMs = 60_000 } = {}): Promise<RelayStats> => {
    const token = `${relayId}-drain-${batchCounter++}`;
    const work = (async () => {
      // everything written before the mark is read before it: a FIFO keeps order
      const seen = new Promise<void>((resolve) => markWaiters.set(token, resolve));
      markSink.write(markEncoder.encodeLine(token));
      await markSink.idle();
      await seen;
      markWaiters.delete(token);
      flushAll();
      if (!settled()) await new Promise<void>((resolve) => settledWaiters.push(resolve));
      if (final) for (const gap of decoder.end()) reportGap(gap);
      await publishStats(final);
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MinaLocalError("teardown", `draining the log FIFO ${fifoPath} took more than ${timeoutMs} ms (${inFlight} publish(es) unacknowledged)`, { where: "bus relay", hint: "is nats-server still running?" })), timeoutMs);
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return stats();
  };

  return {
    stats,
    drain,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(statsTimer);
      if (flushTimer) clearTimeout(flushTimer);
      markSink.close();
      socket.destroy();
    },
  };
}
