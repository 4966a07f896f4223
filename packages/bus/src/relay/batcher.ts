/** Many whole lines of one node, published as one message. */
export interface Batch {
  node: string;
  role: string;
  lines: Buffer[];
  /** the lines the event parser must see (when the relay classifies lines) */
  forParser: Buffer[];
  /** bytes of the message: every line and its `\n` */
  bytes: number;
}

const NEWLINE = 0x0a;

/**
 * A message's bytes: every line followed by `\n`. The terminator (not a separator) keeps
 * an empty last line: "a\n\n" is the lines "a" and "", where "a\n" with a separator
 * would read as "a" alone. Split on `\n` and drop the final empty piece to read it.
 */
export function batchPayload(lines: readonly Buffer[], bytes?: number): Buffer {
  const total = bytes ?? lines.reduce((sum, line) => sum + line.length + 1, 0);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const line of lines) {
    at += line.copy(out, at);
    out[at++] = NEWLINE;
  }
  return out;
}

/** The lines of a message in batchPayload's format (the inverse). */
export function payloadLines(payload: Uint8Array): Buffer[] {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const cut = buf.indexOf(NEWLINE, start);
    if (cut < 0) break;
    lines.push(buf.subarray(start, cut));
    start = cut + 1;
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  return lines;
}

/**
 * Collects each node's lines into batches of at most `maxBatchBytes` (a longer line goes
 * alone). Pure: it says which batches are full; the caller publishes them and decides
 * when the rest is due (the relay's batch timer).
 */
export class NodeBatcher {
  private readonly open = new Map<string, Batch>();

  constructor(private readonly maxBatchBytes: number) {}

  /** Adds a line; returns the node's batch it closed to make room, if any. */
  add(node: string, role: string, line: Buffer, forParser = false): Batch | undefined {
    let batch = this.open.get(node);
    let full: Batch | undefined;
    if (batch && batch.bytes + line.length + 1 > this.maxBatchBytes) {
      full = batch;
      batch = undefined;
    }
    if (!batch) {
      batch = { node, role, lines: [], forParser: [], bytes: 0 };
      this.open.set(node, batch);
    }
    batch.lines.push(line);
    if (forParser) batch.forParser.push(line);
    batch.bytes += line.length + 1;
    return full;
  }

  /** Every open batch, closed. */
  takeAll(): Batch[] {
    const all = [...this.open.values()];
    this.open.clear();
    return all;
  }

  get openBatches(): number {
    return this.open.size;
  }
}
