import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import { MinaLocalError } from "@mina-local/engine";
import { FrameDecoder } from "@mina-local/log-forwarder/codec";
import type { GapReport } from "@mina-local/log-forwarder/codec";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { AckedPublisher } from "./acked-publish.js";
import { relayStatsSubject } from "./subjects.js";
import { NodeBatcher } from "./relay/batcher.js";
import type { LineClassifier, LineKindCounts } from "./relay/classify.js";
import { DrainMarks, MARK_NODE } from "./relay/drain-marks.js";
import { InFlight } from "./relay/in-flight.js";
import { LineIntake } from "./relay/intake.js";
import { LagTracker } from "./relay/lag.js";
import type { LagReport } from "./relay/lag.js";
import { batchDelivery } from "./relay/deliver.js";
import type { RelayError } from "./relay/deliver.js";
import { RelayLedger } from "./relay/ledger.js";
import type { NodeLedger } from "./relay/ledger.js";
import { NodeLogFiles } from "./relay/node-logs.js";
import { StatsPublisher } from "./relay/stats-publisher.js";

export { lineTimestampMs } from "./relay/lag.js";
export type { LagReport } from "./relay/lag.js";
export type { RelayError } from "./relay/deliver.js";

export interface FifoRelayOptions {
  fifoPath: string;
  nc: NatsConnection;
  runId: string;
  /**
   * The swarm host whose FIFO this is, for a relay on each host of a multi-host run: its
   * counters go on `mina.<run>.stats.pipeline.<host>` and name the host. Default: the
   * executive's own relay, on `stats.pipeline`.
   */
  host?: string;
  /** write every node's lines, byte for byte, to `<logsDir>/<node>.log` */
  logsDir?: string;
  /** the most bytes of lines in one message (default 1 MiB; a longer line goes alone) */
  maxBatchBytes?: number;
  /** the longest a line waits for its batch to fill (default 20 ms) */
  maxBatchMs?: number;
  /** publishes awaiting their JetStream ack before reading pauses (default 64) */
  maxInFlight?: number;
  /** how often the pipeline counters are published (default 2 s) */
  statsIntervalMs?: number;
  /** every loss in the FIFO, as it is found */
  onGap?: (gap: GapReport) => void;
  /** every other fault that costs lines or events: the bus refused a batch, a log file write failed, the batch consumer threw */
  onError?: (error: RelayError) => void;
  /** a node's lines reaching the relay more than this long after they were written count as falling behind */
  maxLagMs?: number;
  /** called once per node, the first time its lag passes `maxLagMs` */
  onLag?: (lag: LagReport) => void;
  /**
   * The byte scan that decides which lines the batch consumer sees (`lineClassifier`):
   * with it, `onBatch` gets only the lines `parserNeeds` (may be events, or not
   * well-formed), and a batch without such lines is not handed over at all.
   */
  classify?: LineClassifier;
  /**
   * Every message as it is published, e.g. to parse events in this process: its subject
   * and lines (each ended by `\n`; only the classifier's candidates when `classify` is
   * given). The batch counts as in flight until the returned promise settles too, so a
   * slow consumer here slows reading like a slow bus does. A throw or rejection is counted
   * (`parserFailures`) and reported through `onError`.
   */
  onBatch?: (subject: string, payload: Buffer) => Promise<void> | void;
  /** every batch once it is on the bus and in its log file, in each node's order (e.g. a tail of recent lines) */
  onDelivered?: (node: string, role: string, lines: readonly Buffer[]) => void;
}

export interface RelayNodeStats extends NodeLedger {
  /** lines the relay read whole from the FIFO */
  linesRead: number;
  linesPublished: number;
  messagesPublished: number;
  framesLost: number;
  /** lines missing from the bus or the log file (lost in the FIFO, refused by the bus, not written) */
  linesLost: number;
  /** the largest lag seen on this node's sampled lines (see `lineTimestampMs`) */
  maxLagMs: number;
}

export interface RelayStats {
  framesRead: number;
  bytesRead: number;
  /** lines the forwarders framed that the relay read or knows are lost: linesReceived + linesLost + linesPending */
  linesRelayed: number;
  /** lines on the bus and in their node's log file */
  linesReceived: number;
  linesLost: number;
  /** lines read and not yet delivered (0 after a drain) */
  linesPending: number;
  linesPublished: number;
  messagesPublished: number;
  framesLost: number;
  linesLostInFifo: number;
  linesNotPublished: number;
  linesNotWritten: number;
  /** batches the batch consumer (the event parser) threw on */
  parserFailures: number;
  /** lines by what the byte scan made of them (all zero without `classify`) */
  kinds: LineKindCounts;
  /** lines handed to `onBatch` */
  linesToParser: number;
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
  /** closes the FIFO fd and the log files; removes nothing */
  stop(): Promise<void>;
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

/** The relay's counters from its ledger, its decoder and its lag tracker. Pure. */
function relayStats(ledger: RelayLedger, decoder: FrameDecoder, lags: LagTracker): RelayStats {
  const decoded = decoder.stats();
  const byNode: Record<string, RelayNodeStats> = {};
  for (const [node, entry] of Object.entries(ledger.byNode())) {
    if (node === MARK_NODE) continue;
    const d = decoded.byNode[node];
    byNode[node] = {
      ...entry,
      linesRead: d?.lines ?? 0,
      linesPublished: entry.published,
      messagesPublished: entry.messages,
      framesLost: d?.framesLost ?? 0,
      linesLost: entry.lost,
      maxLagMs: lags.maxLagMs(node),
    };
  }
  const t = ledger.totals();
  const marks = decoded.byNode[MARK_NODE];
  return {
    framesRead: decoded.framesRead - (marks?.frames ?? 0),
    bytesRead: decoded.bytesRead,
    linesRelayed: t.relayed,
    linesReceived: t.received,
    linesLost: t.lost,
    linesPending: t.pending,
    linesPublished: t.published,
    messagesPublished: t.messages,
    framesLost: decoded.framesLost,
    linesLostInFifo: t.lostInFifo,
    linesNotPublished: t.notPublished,
    linesNotWritten: t.notWritten,
    parserFailures: t.parserFailures,
    kinds: t.kinds,
    linesToParser: t.toParser,
    corruptBytes: decoded.corruptBytes,
    maxLagMs: Math.max(0, ...Object.values(byNode).map((n) => n.maxLagMs)),
    byNode,
  };
}

/**
 * The log relay: FIFO frames -> whole lines -> one JetStream message per batch of one
 * node's lines on `mina.<run>.log.<role>.<node>`, the same bytes appended to the node's
 * log file, and the lines that may be events handed to the event parser. The FIFO is
 * held open read-write so it never reads EOF while containers come and go. Acks are the
 * flow control: with too many publishes in flight, reading pauses, the pipe fills, and
 * the forwarders hold their daemons' output back; nothing is dropped. Lines never
 * contain `\n` (the forwarder cuts lines there), so `\n` ends each line in a message.
 *
 * The parts, each in `relay/` with its own tests: the intake (the decoder's runs of lines
 * into batches, classified, counted, sampled for lag), the batcher, the byte-scan
 * classifier, the lag tracker, the ledger (relayed = received + lost + pending), the log
 * files, the delivery (file, acked publish, parser), the flow control, the counters and
 * the drain marks. This function wires them to the FIFO and the bus.
 */
export async function startFifoRelay(options: FifoRelayOptions): Promise<FifoRelay> {
  const { nc, runId, fifoPath } = options;
  const maxBatchMs = options.maxBatchMs ?? 20;
  const js = jetstream(nc);
  ensureFifo(fifoPath);

  const decoder = new FrameDecoder();
  const batcher = new NodeBatcher(options.maxBatchBytes ?? 1024 * 1024);
  const ledger = new RelayLedger();
  const lags = new LagTracker({ ...(options.maxLagMs !== undefined && { limitMs: options.maxLagMs }) });
  const files = options.logsDir ? new NodeLogFiles(options.logsDir) : undefined;
  // the prefix of every batch's Nats-Msg-Id, which JetStream deduplicates on: it must differ
  // between relays of one run. A multi-host run's relays are each pid 1 of a container, started
  // together by one global service, so pid and start time alone can be the same on two hosts (a
  // duplicate is acknowledged and dropped: one host's lines were missing in CI at e92a91f)
  const relayId = `${process.pid}-${Date.now().toString(36)}-${randomBytes(6).toString("hex")}`;
  let batchCounter = 0;
  let flushTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const recentProblems: Array<GapReport | RelayError> = [];

  const fd = fs.openSync(fifoPath, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  // a pipe handle: libuv reads it when epoll says so (a read returns at most the pipe's 64 KiB)
  const socket = new net.Socket({ fd, readable: true, writable: false });
  const marks = new DrainMarks(fifoPath);
  const inFlight = new InFlight(
    options.maxInFlight ?? 64,
    () => socket.pause(),
    () => {
      if (!stopped) socket.resume();
    },
  );

  const stats = () => relayStats(ledger, decoder, lags);
  const host = options.host !== undefined ? { host: options.host } : {};
  const counters = new StatsPublisher(
    js,
    relayStatsSubject(runId, options.host),
    (final) => ({ run: runId, ...host, final, at: new Date().toISOString(), ...stats(), recentProblems }),
    options.statsIntervalMs ?? 2000,
  );

  const remember = (problem: GapReport | RelayError) => {
    counters.changed();
    recentProblems.push(problem);
    if (recentProblems.length > 100) recentProblems.shift();
  };
  const reportGap = (gap: GapReport) => {
    remember(gap);
    if (gap.node !== null) ledger.lostInFifo(gap.node, gap.role ?? "", gap.lostFrames, gap.lostLines);
    options.onGap?.(gap);
  };
  function reportError(error: RelayError) {
    remember(error);
    options.onError?.(error);
  }

  // the batches' acked publishes without nats.js's per-request cost (the counters keep js.publish: one every 2 s)
  const publisher = new AckedPublisher(nc);
  const deliver = batchDelivery({
    js: publisher,
    nc,
    runId,
    relayId,
    ...(files && { files }),
    ...(options.onBatch && { onBatch: options.onBatch }),
    candidatesOnly: options.classify !== undefined,
    ledger,
    inFlight,
    reportError,
    ...(options.onDelivered && { onDelivered: options.onDelivered }),
    onSettled: () => counters.changed(),
  });

  const flushAll = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    for (const batch of batcher.takeAll()) deliver(batch);
  };

  const intake = new LineIntake({
    batcher,
    ledger,
    lags,
    ...(options.classify && { classify: options.classify }),
    deliver,
    onMark: (line) => marks.seen(line),
    onGap: reportGap,
    onLag: (report) => {
      counters.changed();
      if (report) options.onLag?.(report);
    },
  });

  socket.on("data", (chunk: Buffer) => {
    intake.readAt = Date.now();
    decoder.decode(chunk, intake);
    counters.changed();
    if (batcher.openBatches > 0 && flushTimer === null) flushTimer = setTimeout(flushAll, maxBatchMs);
  });
  socket.on("error", (error) => process.emitWarning(`relay: reading ${fifoPath} failed: ${error.message}`));

  const drain = async ({ final = true, timeoutMs = 60_000 } = {}): Promise<RelayStats> => {
    const work = (async () => {
      // everything written before the mark is read before it: a FIFO keeps order
      await marks.pass(`${relayId}-drain-${batchCounter++}`);
      flushAll();
      await inFlight.settled();
      if (final) for (const gap of decoder.end()) reportGap(gap);
      await counters.publish(final);
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new MinaLocalError("teardown", `draining the log FIFO ${fifoPath} took more than ${timeoutMs} ms (${inFlight.size} publish(es) unacknowledged)`, {
              where: "bus relay",
              hint: "is nats-server still running?",
            }),
          ),
        timeoutMs,
      );
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
      counters.stop();
      if (flushTimer) clearTimeout(flushTimer);
      marks.close();
      socket.destroy();
      files?.close();
      publisher.close();
    },
  };
}
