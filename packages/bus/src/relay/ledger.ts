import { LINE_KINDS, emptyKindCounts, parserNeeds } from "./classify.js";
import type { LineKind, LineKindCounts } from "./classify.js";

/** What became of one batch. */
export interface BatchOutcome {
  /** JetStream acknowledged it */
  published: boolean;
  /** it is in the node's log file */
  written: boolean;
  /** the parser took it without throwing (true when no parser was given the batch) */
  parsed: boolean;
}

/** One node's lines, accounted so that relayed = received + lost + pending, always. */
export interface NodeLedger {
  role: string;
  /** lines the node's forwarder framed that reached the relay or are known lost (read + lostInFifo) */
  relayed: number;
  /** lines on the bus (acknowledged) and in the node's log file */
  received: number;
  /** lines missing from the bus or the file: lostInFifo + notPublished + notWritten (a line counts once) */
  lost: number;
  /** lines in batches JetStream acknowledged */
  published: number;
  /** lines read and not yet published and written (0 after a drain) */
  pending: number;
  /** frames that never arrived, and the lines they carried (by the frames' line numbers) */
  framesLostInFifo: number;
  lostInFifo: number;
  /** lines in batches the bus refused after retries */
  notPublished: number;
  /** lines in batches that could not be written to the node's log file */
  notWritten: number;
  /** batches the event parser threw on (their events may be missing) */
  parserFailures: number;
  /** messages published */
  messages: number;
  /** lines by what the byte scan made of them (before the event parser) */
  kinds: LineKindCounts;
  /** lines handed to the event parser */
  toParser: number;
}

/**
 * The relay's counters, per node. Pure. The decoder's counts (lines read, lines lost in
 * the FIFO) come in with `read` and `lostInFifo`; each batch's fate with `settle`, once.
 */
/** A node's counters before its first line (and the totals' starting point). */
function zeroCounts(): Omit<NodeLedger, "role"> {
  return {
    relayed: 0,
    received: 0,
    lost: 0,
    published: 0,
    pending: 0,
    framesLostInFifo: 0,
    lostInFifo: 0,
    notPublished: 0,
    notWritten: 0,
    parserFailures: 0,
    messages: 0,
    kinds: emptyKindCounts(),
    toParser: 0,
  };
}

export class RelayLedger {
  private readonly nodes = new Map<string, NodeLedger>();

  private node(node: string, role: string): NodeLedger {
    let entry = this.nodes.get(node);
    if (!entry) {
      entry = { role, ...zeroCounts() };
      this.nodes.set(node, entry);
    }
    entry.role = role;
    return entry;
  }

  read(node: string, role: string, kind: LineKind | undefined): void {
    const entry = this.node(node, role);
    entry.relayed++;
    entry.pending++;
    if (kind !== undefined) {
      entry.kinds[kind]++;
      if (parserNeeds(kind)) entry.toParser++;
    }
  }

  /** `count` lines read, of the kinds in `kinds` when the relay classifies lines (a run of one frame) */
  readLines(node: string, role: string, count: number, kinds: LineKindCounts | undefined): void {
    const entry = this.node(node, role);
    entry.relayed += count;
    entry.pending += count;
    if (kinds === undefined) return;
    for (const kind of LINE_KINDS) {
      const n = kinds[kind];
      if (n === 0) continue;
      entry.kinds[kind] += n;
      if (parserNeeds(kind)) entry.toParser += n;
    }
  }

  lostInFifo(node: string, role: string, frames: number, lines: number): void {
    const entry = this.node(node, role);
    entry.framesLostInFifo += frames;
    entry.lostInFifo += lines;
    entry.relayed += lines;
    entry.lost += lines;
  }

  settle(node: string, role: string, lines: number, outcome: BatchOutcome): void {
    const entry = this.node(node, role);
    entry.pending -= lines;
    if (outcome.published) {
      entry.messages++;
      entry.published += lines;
    } else entry.notPublished += lines;
    if (!outcome.written) entry.notWritten += lines;
    if (!outcome.parsed) entry.parserFailures++;
    if (outcome.published && outcome.written) entry.received += lines;
    else entry.lost += lines;
  }

  byNode(): Record<string, NodeLedger> {
    const out: Record<string, NodeLedger> = {};
    for (const [node, entry] of this.nodes) out[node] = { ...entry, kinds: { ...entry.kinds } };
    return out;
  }

  totals(): Omit<NodeLedger, "role"> {
    const sum = zeroCounts();
    for (const entry of this.nodes.values()) {
      sum.relayed += entry.relayed;
      sum.received += entry.received;
      sum.lost += entry.lost;
      sum.pending += entry.pending;
      sum.published += entry.published;
      sum.framesLostInFifo += entry.framesLostInFifo;
      sum.lostInFifo += entry.lostInFifo;
      sum.notPublished += entry.notPublished;
      sum.notWritten += entry.notWritten;
      sum.parserFailures += entry.parserFailures;
      sum.messages += entry.messages;
      sum.toParser += entry.toParser;
      for (const kind of LINE_KINDS) sum.kinds[kind] += entry.kinds[kind];
    }
    return sum;
  }
}
