import type { AckedPublish } from "../acked-publish.js";
import type { NatsConnection } from "@nats-io/transport-node";
import { logSubject } from "../subjects.js";
import { payloadLines } from "./batcher.js";
import type { Batch } from "./batcher.js";
import type { InFlight } from "./in-flight.js";
import type { RelayLedger } from "./ledger.js";
import type { NodeLogFiles } from "./node-logs.js";
import { publishAcked } from "./publish.js";

/** A fault that cost lines or events (the FIFO's own losses are gaps, reported apart). */
export interface RelayError {
  kind: "not-published" | "not-written" | "parser-failed";
  node: string;
  role: string;
  lines: number;
  message: string;
}

export interface BatchDeliveryOptions {
  js: AckedPublish;
  nc: Pick<NatsConnection, "isClosed">;
  runId: string;
  /** unique per relay, so that message ids never repeat across relays */
  relayId: string;
  files?: NodeLogFiles;
  /** the batch consumer (the event parser) */
  onBatch?: (subject: string, payload: Buffer) => Promise<void> | void;
  /** hand the consumer only each batch's `forParser` lines (the relay classifies lines) */
  candidatesOnly: boolean;
  ledger: RelayLedger;
  inFlight: InFlight;
  reportError: (error: RelayError) => void;
  onDelivered?: (node: string, role: string, lines: readonly Buffer[]) => void;
  /** a batch's fate is known (the counters changed) */
  onSettled: () => void;
}

/**
 * One batch's way out: appended to its node's log file, published (acked, retried) and
 * handed to the batch consumer, all at once; in flight until the three are done, then
 * settled in the ledger once. Every failure is counted and reported, never swallowed.
 */
export function batchDelivery(options: BatchDeliveryOptions): (batch: Batch) => void {
  const { js, nc, runId, relayId, files, ledger, inFlight, reportError } = options;
  const unwritableNodes = new Set<string>();
  let counter = 0;

  const handOver = async (subject: string, batch: Batch): Promise<boolean> => {
    const onBatch = options.onBatch;
    if (!onBatch) return true;
    const [payload, lines] = options.candidatesOnly ? [batch.forParser, batch.parserLines] : [batch.payload, batch.lines];
    if (lines === 0) return true;
    try {
      await onBatch(subject, payload);
      return true;
    } catch (error) {
      reportError({
        kind: "parser-failed",
        node: batch.node,
        role: batch.role,
        lines,
        message: `the event parser failed on ${lines} line(s) of node ${batch.node} (their events may be missing): ${error instanceof Error ? error.message : String(error)}`,
      });
      return false;
    }
  };

  const writeFile = (batch: Batch, payload: Buffer): boolean => {
    const failure = files?.write(batch.node, payload);
    if (failure === undefined) return true;
    // every line is counted; one report per node is enough to say why
    if (!unwritableNodes.has(batch.node)) {
      reportError({
        kind: "not-written",
        node: batch.node,
        role: batch.role,
        lines: batch.lines,
        message: `node ${batch.node}: ${batch.lines} line(s) (and any later ones counted as not written) missing from its log file: ${failure}`,
      });
    }
    unwritableNodes.add(batch.node);
    return false;
  };

  return (batch: Batch) => {
    const payload = batch.payload;
    const subject = logSubject(runId, batch.role, batch.node);
    const lines = batch.lines;
    inFlight.begin();
    const written = writeFile(batch, payload);
    const published = publishAcked(js, subject, payload, `${relayId}-${counter++}`, { canRetry: () => !nc.isClosed() });
    void Promise.all([published, handOver(subject, batch)]).then(([refusal, parsed]) => {
      if (refusal !== undefined)
        reportError({ kind: "not-published", node: batch.node, role: batch.role, lines, message: `node ${batch.node}: the bus refused ${lines} line(s) on ${subject} after retries: ${refusal}` });
      const outcome = { published: refusal === undefined, written, parsed };
      ledger.settle(batch.node, batch.role, lines, outcome);
      options.onSettled();
      if (outcome.published && outcome.written && options.onDelivered) options.onDelivered(batch.node, batch.role, payloadLines(payload));
      inFlight.end();
    });
  };
}
