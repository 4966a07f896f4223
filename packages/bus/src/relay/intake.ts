import type { GapReport, LineRunSink } from "@mina-local/log-forwarder/codec";
import type { Batch, NodeBatcher } from "./batcher.js";
import { LINE_KINDS, emptyKindCounts, isBlankLine, parserNeeds } from "./classify.js";
import type { LineClassifier } from "./classify.js";
import { MARK_NODE } from "./drain-marks.js";
import type { LagReport, LagTracker } from "./lag.js";
import type { RelayLedger } from "./ledger.js";

const NEWLINE = 0x0a;

/** Calls `each` with the bounds of every one of the `count` `\n`-separated lines in buf[start, end). */
export function forEachLine(buf: Buffer, start: number, end: number, count: number, each: (start: number, end: number) => void): void {
  let lineStart = start;
  for (let i = 0; i < count; i++) {
    const lineEnd = i === count - 1 ? end : buf.indexOf(NEWLINE, lineStart);
    each(lineStart, lineEnd);
    lineStart = lineEnd + 1;
  }
}

export interface LineIntakeOptions {
  batcher: NodeBatcher;
  ledger: RelayLedger;
  lags: LagTracker;
  /** the byte scan; without it only blank lines are told apart (and counted) */
  classify?: LineClassifier;
  /** a batch the batcher closed to make room: publish it */
  deliver: (batch: Batch) => void;
  /** a line of the relay's own drain marks */
  onMark: (line: Buffer) => void;
  onGap: (gap: GapReport) => void;
  /** a node's lag sample changed its maximum, and its report the first time it passes the limit */
  onLag: (report: LagReport | undefined) => void;
}

/**
 * Where the frame decoder's runs of lines go (a `LineRunSink`): each run of one node's
 * whole lines is sampled for lag on its first line, copied into the node's batch at once,
 * scanned line by line by the classifier (its candidates copied to the batch's parser
 * lines) and counted in the ledger once. A run that would overflow its batch goes line by
 * line, so that each line and its parser copy stay in the same batch. No I/O, no timers:
 * the relay sets `readAt` before each read's lines.
 */
export class LineIntake implements LineRunSink {
  /** when the bytes being decoded were read (ms), for the lag samples */
  readAt = 0;
  // the kinds of one run's lines, added to the ledger once per run
  private readonly runKinds = emptyKindCounts();

  constructor(private readonly options: LineIntakeOptions) {}

  lines(node: string, role: string, _seq: number, buf: Buffer, start: number, end: number, count: number): void {
    const { batcher, classify } = this.options;
    if (node === MARK_NODE) {
      forEachLine(buf, start, end, count, (s, e) => this.options.onMark(buf.subarray(s, e)));
      return;
    }
    if (count > 1 && !batcher.fits(node, end - start + 1)) {
      forEachLine(buf, start, end, count, (s, e) => this.lines(node, role, 0, buf, s, e, 1));
      return;
    }
    const lag = this.options.lags.sample(node, role, buf, this.readAt, start, count === 1 ? end : Math.min(end, start + 128));
    if (lag.changed) this.options.onLag(lag.report);
    const full = batcher.addLines(node, role, buf, start, end, count);
    if (full) this.options.deliver(full);
    const kinds = this.runKinds;
    for (const kind of LINE_KINDS) kinds[kind] = 0;
    let lineStart = start;
    for (let i = 0; i < count; i++) {
      const lineEnd = i === count - 1 ? end : buf.indexOf(NEWLINE, lineStart);
      if (classify) {
        const kind = classify(buf, lineStart, lineEnd);
        kinds[kind]++;
        if (parserNeeds(kind)) batcher.addParserLine(node, buf, lineStart, lineEnd);
      } else if (isBlankLine(buf, lineStart, lineEnd)) kinds.blank++;
      lineStart = lineEnd + 1;
    }
    // empty lines are kept and counted whether or not lines are classified
    this.options.ledger.readLines(node, role, count, classify || kinds.blank > 0 ? kinds : undefined);
  }

  gap(gap: GapReport): void {
    this.options.onGap(gap);
  }
}
