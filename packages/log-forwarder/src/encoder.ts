import { FLAG_CONTINUED, FLAG_MORE, FLAG_START, LINE_SEPARATOR, MAX_FRAME_BYTES, headerBytes, writeHeader } from "./frame.js";

/** Node and role travel in every header: keep them short, printable ASCII. */
const NAME_PATTERN = /^[\x21-\x7e]{1,64}$/;

export interface FrameEncoderOptions {
  node: string;
  role: string;
}

/**
 * Turns one node's lines into frames. Stateful: it numbers frames and lines, and keeps
 * the last frame open so that the next small lines can join it (batching) until
 * `flush()`. A line never contains `\n` (the line splitter cuts there); a `\n` inside a
 * line given here would arrive as two lines.
 */
export class FrameEncoder {
  readonly node: string;
  readonly role: string;
  private readonly nodeBytes: Buffer;
  private readonly roleBytes: Buffer;
  private readonly payloadStart: number;
  private frameSeq = 0;
  private lineSeq = 0;
  private started = false;
  // the open frame
  private buf: Buffer;
  private pos: number;
  private empty = true;
  private continued = false;
  private firstLine = 0;

  constructor(options: FrameEncoderOptions) {
    for (const [what, value] of [
      ["node", options.node],
      ["role", options.role],
    ] as const) {
      if (!NAME_PATTERN.test(value)) throw new Error(`frame encoder: ${what} ${JSON.stringify(value)} must be 1-64 printable ASCII characters`);
    }
    this.node = options.node;
    this.role = options.role;
    this.nodeBytes = Buffer.from(options.node, "latin1");
    this.roleBytes = Buffer.from(options.role, "latin1");
    this.payloadStart = headerBytes(options.node, options.role);
    this.buf = this.frameBuffer();
    this.pos = this.payloadStart;
  }

  // frames are carved from 64 KiB slabs: Buffer.allocUnsafe(4096) is just too big for Node's pool, so it was one ArrayBuffer per frame
  private slab = Buffer.alloc(0);
  private slabAt = 0;

  private frameBuffer(): Buffer {
    if (this.slabAt + MAX_FRAME_BYTES > this.slab.length) {
      this.slab = Buffer.allocUnsafe(16 * MAX_FRAME_BYTES);
      this.slabAt = 0;
    }
    const frame = this.slab.subarray(this.slabAt, this.slabAt + MAX_FRAME_BYTES);
    this.slabAt += MAX_FRAME_BYTES;
    return frame;
  }

  /** Lines given so far (the next line's number). */
  get linesEncoded(): number {
    return this.lineSeq;
  }

  /** Frames emitted so far. */
  get framesEmitted(): number {
    return this.frameSeq;
  }

  /** Appends one whole line; pushes every frame it completes onto `out`. The last frame stays open. */
  writeLine(line: Buffer, out: Buffer[]): void {
    if (!this.empty) {
      // a small line that does not fit whole starts a fresh frame rather than being split
      if (MAX_FRAME_BYTES - this.pos < 1 + line.length) this.emit(out, false);
      else this.buf[this.pos++] = LINE_SEPARATOR;
    }
    if (this.empty) {
      this.empty = false;
      this.continued = false;
      this.firstLine = this.lineSeq;
    }
    let offset = 0;
    for (;;) {
      const room = MAX_FRAME_BYTES - this.pos;
      const rest = line.length - offset;
      if (rest <= room) {
        line.copy(this.buf, this.pos, offset);
        this.pos += rest;
        break;
      }
      line.copy(this.buf, this.pos, offset, offset + room);
      this.pos += room;
      offset += room;
      this.emit(out, true);
      this.empty = false;
      this.continued = true;
      this.firstLine = this.lineSeq;
    }
    this.lineSeq = (this.lineSeq + 1) >>> 0;
  }

  /** Emits the open frame, if any. */
  flush(out: Buffer[]): void {
    if (!this.empty) this.emit(out, false);
  }

  /** One line as frames, flushed: the simplest way to send a line. */
  encodeLine(line: Buffer | string): Buffer[] {
    const out: Buffer[] = [];
    this.writeLine(typeof line === "string" ? Buffer.from(line) : line, out);
    this.flush(out);
    return out;
  }

  private emit(out: Buffer[], more: boolean): void {
    const flags = (more ? FLAG_MORE : 0) | (this.continued ? FLAG_CONTINUED : 0) | (this.started ? 0 : FLAG_START);
    writeHeader(this.buf, { flags, frameSeq: this.frameSeq, lineSeq: this.firstLine, node: this.node, role: this.role, payloadLength: this.pos - this.payloadStart }, this.nodeBytes, this.roleBytes);
    out.push(this.buf.subarray(0, this.pos));
    this.frameSeq = (this.frameSeq + 1) >>> 0;
    this.started = true;
    this.buf = this.frameBuffer();
    this.pos = this.payloadStart;
    this.empty = true;
  }
}

/** Convenience: a whole line as its frames, from a given encoder. */
export function encodeLine(encoder: FrameEncoder, line: Buffer | string): Buffer[] {
  return encoder.encodeLine(line);
}
