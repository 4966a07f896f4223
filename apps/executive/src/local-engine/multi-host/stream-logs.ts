import { join } from "node:path";
import { LINE_KINDS, NodeLogFiles, batchPayload, logFilter, minaLineClassifier, parseLogSubject, parserNeeds, payloadLines, readRunStream, type LineKind, type RunStreamReader } from "@mina-local/bus";
import type { InlineEventParser } from "@mina-local/event-parser";
import type { NatsConnection } from "@nats-io/transport-node";

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
}

export interface StreamLogs {
  stats(): StreamLogStats;
  /** everything in the stream now is handled (after the relays drained) */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A multi-host run's lines reach the executive through the bus, not a FIFO of its own: it
 * reads the run's log subjects from the stream (from the start, with backpressure: nothing
 * is dropped) and does with each batch what the single-host relay does with its own: the
 * same byte scan picks the lines the event parser must see, the bytes go to
 * logs/<node>.log unchanged, and the line tail gets them.
 */
export async function startStreamLogs(options: {
  nc: NatsConnection;
  runId: string;
  runDir: string;
  parser: InlineEventParser;
  onLines: (node: string, lines: readonly Buffer[]) => void;
  onError: (message: string) => void;
}): Promise<StreamLogs> {
  const classify = minaLineClassifier();
  const files = new NodeLogFiles(join(options.runDir, "logs"));
  const stats: StreamLogStats = {
    messages: 0,
    lines: 0,
    kinds: Object.fromEntries(LINE_KINDS.map((k) => [k, 0])) as Record<LineKind, number>,
    linesToParser: 0,
    linesNotWritten: 0,
    parserFailures: 0,
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
        await options.parser.handleBatch(subject, batchPayload(candidates));
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
