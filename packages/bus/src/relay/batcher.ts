/** Many whole lines of one node, published as one message. */
export interface Batch {
  node: string;
  role: string;
  /** the message: every line followed by `\n` (batchPayload's format) */
  payload: Buffer;
  lines: number;
  /** the lines the event parser must see (when the relay classifies lines), in the same format */
  forParser: Buffer;
  parserLines: number;
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

/** Bytes appended in place: lines are copied once, a run of them at a time, into the message they go out in. */
class GrowingBuffer {
  buf: Buffer;
  bytes = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Appends src[start, end) and a `\n`. */
  appendLines(src: Buffer, start: number, end: number): void {
    const need = this.bytes + (end - start) + 1;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.bytes);
      this.buf = grown;
    }
    this.bytes += src.copy(this.buf, this.bytes, start, end);
    this.buf[this.bytes++] = NEWLINE;
  }

  take(): Buffer {
    return this.buf.subarray(0, this.bytes);
  }
}

interface OpenBatch {
  role: string;
  out: GrowingBuffer;
  lines: number;
  parser: GrowingBuffer | undefined;
  parserLines: number;
}

const EMPTY = Buffer.alloc(0);
const FIRST_CAPACITY = 64 * 1024;

/**
 * Collects each node's lines into batches of at most `maxBatchBytes` (a longer line goes
 * alone), copying the bytes once into the message they will be published as: a run of
 * whole lines as it lies in a frame is one copy. Pure: it says which batches are full;
 * the caller publishes them and decides when the rest is due (the relay's batch timer).
 */
export class NodeBatcher {
  private readonly open = new Map<string, OpenBatch>();

  constructor(private readonly maxBatchBytes: number) {}

  /** Whether `bytes` more bytes (lines and their `\n`) fit the node's open batch without closing it. */
  fits(node: string, bytes: number): boolean {
    return (this.open.get(node)?.out.bytes ?? 0) + bytes <= this.maxBatchBytes;
  }

  /**
   * Appends `count` whole lines of one node, `\n`-separated in buf[start, end) (no `\n`
   * after the last); returns the node's batch it closed to make room, if any. A run that
   * does not fit an empty batch either goes alone (call it line by line to split it).
   */
  addLines(node: string, role: string, buf: Buffer, start: number, end: number, count: number): Batch | undefined {
    let batch = this.open.get(node);
    let full: Batch | undefined;
    if (batch && batch.lines > 0 && batch.out.bytes + (end - start) + 1 > this.maxBatchBytes) {
      full = this.close(node, batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { role, out: new GrowingBuffer(Math.min(this.maxBatchBytes, Math.max(FIRST_CAPACITY, end - start + 1))), lines: 0, parser: undefined, parserLines: 0 };
      this.open.set(node, batch);
    }
    batch.role = role;
    batch.out.appendLines(buf, start, end);
    batch.lines += count;
    return full;
  }

  /** Marks one line of the node's open batch (added last with addLines) for the event parser: buf[start, end). */
  addParserLine(node: string, buf: Buffer, start: number, end: number): void {
    const batch = this.open.get(node);
    if (!batch) throw new Error(`NodeBatcher: no open batch of node ${node} for a parser line`);
    batch.parser ??= new GrowingBuffer(Math.max(4096, end - start + 1));
    batch.parser.appendLines(buf, start, end);
    batch.parserLines++;
  }

  /** Adds one line (a Buffer of its own); returns the node's batch it closed to make room, if any. */
  add(node: string, role: string, line: Buffer, forParser = false): Batch | undefined {
    const full = this.addLines(node, role, line, 0, line.length, 1);
    if (forParser) this.addParserLine(node, line, 0, line.length);
    return full;
  }

  /** Every open batch, closed. */
  takeAll(): Batch[] {
    const all = [...this.open].map(([node, batch]) => this.close(node, batch));
    return all;
  }

  get openBatches(): number {
    return this.open.size;
  }

  private close(node: string, batch: OpenBatch): Batch {
    this.open.delete(node);
    return { node, role: batch.role, payload: batch.out.take(), lines: batch.lines, forParser: batch.parser?.take() ?? EMPTY, parserLines: batch.parserLines };
  }
}
