import type { NatsConnection } from "@nats-io/transport-node";
import { readRunStream, type RunStreamReader } from "./reader.js";
import { batchPayload, payloadLines } from "./relay/batcher.js";
import { LINE_KINDS, parserNeeds, type LineKind } from "./relay/classify.js";
import { LagTracker, type LagReport } from "./relay/lag.js";
import { minaLineClassifier } from "./relay/mina-classifier.js";
import { NodeLogFiles } from "./relay/node-logs.js";
import { logFilter, parseLogSubject } from "./subjects.js";

/** What the executive did with the lines the hosts' relays put on the bus. */
export interface StreamLogStats {
  messages: number;
  lines: number;
  kinds: Record<LineKind, number>;
  linesToParser: number;
  /** lines of messages whose log file write failed */
  linesNotWritten: number;
  /** batches the event parser threw on */
  parserFailures: number;
  /** the largest lag measured here (read time minus a line's own timestamp), over every node */
  maxLagMs: number;
}

export interface StreamLogs {
  stats(): StreamLogStats;
  /** everything in the stream now is handled (after the relays drained) */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StreamLogsOptions {
  nc: NatsConnection;
  runId: string;
  /** logs/<node>.log go here */
  logsDir: string;
  /** the event parser's batch handler: gets a message of the lines the byte scan could not rule out */
  onBatch: (subject: string, payload: Uint8Array) => Promise<void>;
  onLines: (node: string, lines: readonly Buffer[]) => void;
  onError: (message: string) => void;
  /** a node's line read here later than this after the node wrote it is reported once (onLag) */
  maxLagMs?: number;
  onLag?: (lag: LagReport) => void;
}

/**
 * A multi-host run's lines reach the executive through the bus, not a FIFO of its own: it
 * reads the run's log subjects from the stream (from the start, with backpressure: nothing
 * is dropped) and does with each batch what the single-host relay does with its own: the
 * same byte scan picks the lines the event parser must see, the bytes go to
 * logs/<node>.log unchanged, and the line tail gets them. The lag is measured here, at the
 * end of the whole path, so `--max-log-lag` means on several hosts what it means on one
 * (it compares the hosts' clocks with this machine's: a skew between them counts as lag).
 */
export async function startStreamLogs(options: StreamLogsOptions): Promise<StreamLogs> {
  const classify = minaLineClassifier();
  const files = new NodeLogFiles(options.logsDir);
  const lags = new LagTracker({ where: "the executive through its host's relay", ...(options.maxLagMs !== undefined && { limitMs: options.maxLagMs }) });
  const stats: StreamLogStats = {
    messages: 0,
    lines: 0,
    kinds: Object.fromEntries(LINE_KINDS.map((k) => [k, 0])) as Record<LineKind, number>,
    linesToParser: 0,
    linesNotWritten: 0,
    parserFailures: 0,
    maxLagMs: 0,
  };
  const reader: RunStreamReader = await readRunStream({
    nc: options.nc,
    runId: options.runId,
    filter: logFilter(options.runId),
    onMessage: async (subject, data) => {
      const parts = parseLogSubject(subject);
      if (!parts) return;
      const lines = payloadLines(data);
      stats.messages += 1;
      stats.lines += lines.length;
      const first = lines[0];
      if (first !== undefined) {
        // a batch's first line is its oldest: its lag is the batch's largest
        const lag = lags.sample(parts.node, parts.role, first, Date.now());
        if (lag.changed) stats.maxLagMs = Math.max(stats.maxLagMs, lags.maxLagMs(parts.node));
        if (lag.report) options.onLag?.(lag.report);
      }
      const candidates: Buffer[] = [];
      for (const line of lines) {
        const kind = classify(line);
        stats.kinds[kind] += 1;
        if (parserNeeds(kind)) candidates.push(line);
      }
      const failed = files.write(parts.node, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      if (failed) {
        stats.linesNotWritten += lines.length;
        options.onError(failed);
      }
      options.onLines(parts.node, lines);
      if (candidates.length === 0) return;
      stats.linesToParser += candidates.length;
      try {
        await options.onBatch(subject, batchPayload(candidates));
      } catch (error) {
        stats.parserFailures += 1;
        options.onError(`the event parser failed on a batch of ${parts.node}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    onError: (error, subject) => options.onError(`reading ${subject}: ${error instanceof Error ? error.message : String(error)}`),
  });
  return {
    stats: () => ({ ...stats, kinds: { ...stats.kinds } }),
    drain: (timeoutMs) => reader.drain(timeoutMs),
    async stop() {
      await reader.stop();
      files.close();
    },
  };
}
