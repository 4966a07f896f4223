import { FLAG_CONTINUED, FLAG_MORE, FLAG_START, FRAME_MAGIC, FRAME_VERSION, LINE_SEPARATOR, MAX_FRAME_BYTES, parseFrame } from "./frame.js";
import type { FrameHeader } from "./frame.js";

export interface DecodedLine {
  node: string;
  role: string;
  /** the line's number in its node's stream (0-based, per writer session) */
  seq: number;
  /** the line's bytes, without `\n`; may share memory with the chunk given to push() */
  line: Buffer;
}

export type GapKind =
  /** frames of the node's sequence are missing */
  | "gap"
  /** the node's writer started a new session while a line was incomplete */
  | "restart"
  /** the stream ended (decoder.end()) while a line was incomplete */
  | "truncated"
  /** bytes that are not a frame (unattributable to a node) */
  | "corrupt"
  /** frames in sequence that contradict each other (a writer bug) */
  | "protocol";

export interface GapReport {
  kind: GapKind;
  /** null when the bytes could not be attributed to a node */
  node: string | null;
  role: string | null;
  lostFrames: number;
  lostLines: number;
  discardedBytes: number;
  message: string;
}

export interface DecodeResult {
  lines: DecodedLine[];
  gaps: GapReport[];
}

/**
 * Where the decoder hands what it finds (`decode`), without an object per line: the
 * relay's hot path. `lines` gets runs of whole lines of one node as they lie in the
 * bytes read: `count` lines separated by `\n` in `buf[start, end)` (no `\n` after the
 * last), the first being line `seq` of its node; a line reassembled from several frames
 * comes alone in a buffer of its own. `buf` may be the chunk given to decode(): use or
 * copy it during the call.
 */
export interface LineRunSink {
  lines(node: string, role: string, seq: number, buf: Buffer, start: number, end: number, count: number): void;
  gap(gap: GapReport): void;
}

export interface NodeDecodeStats {
  role: string;
  frames: number;
  lines: number;
  framesLost: number;
  linesLost: number;
}

export interface DecoderStats {
  bytesRead: number;
  framesRead: number;
  linesDecoded: number;
  framesLost: number;
  linesLost: number;
  corruptBytes: number;
  byNode: Record<string, NodeDecodeStats>;
}

/** A line of the node that is open across frames: its pieces, or already counted as lost. */
type OpenLine = { pieces: Buffer[]; bytes: number } | "lost" | null;

interface NodeState {
  role: string;
  expectedFrame: number;
  /** the first line number not yet delivered or counted as lost */
  nextLine: number;
  open: OpenLine;
  stats: NodeDecodeStats;
}

const SYNC = Buffer.from([FRAME_MAGIC >> 8, FRAME_MAGIC & 0xff, FRAME_VERSION]);

/**
 * Reassembles the lines of many nodes from the FIFO's byte stream. Reads may cut frames
 * anywhere; frames of different nodes interleave freely. Every missing frame is detected
 * by the node's frame sequence and the lines it carried are counted exactly by the
 * line numbers in the headers: loss is reported, never silent.
 */
export class FrameDecoder {
  private rest: Buffer | null = null;
  private readonly nodes = new Map<string, NodeState>();
  private readonly totals = { bytesRead: 0, framesRead: 0, linesDecoded: 0, framesLost: 0, linesLost: 0, corruptBytes: 0 };

  /** Takes the next bytes read from the FIFO (ownership passes to the decoder); every line as an object of its own. */
  push(chunk: Buffer): DecodeResult {
    const result: DecodeResult = { lines: [], gaps: [] };
    this.decode(chunk, {
      lines: (node, role, seq, buf, start, end, count) => {
        for (let i = 0; i < count; i++) {
          const cut = i === count - 1 ? end : buf.indexOf(LINE_SEPARATOR, start);
          result.lines.push({ node, role, seq: (seq + i) >>> 0, line: buf.subarray(start, cut) });
          start = cut + 1;
        }
      },
      gap: (gap) => result.gaps.push(gap),
    });
    return result;
  }

  /** Takes the next bytes read from the FIFO (ownership passes to the decoder); lines go to `sink` in runs. */
  decode(chunk: Buffer, result: LineRunSink): void {
    this.totals.bytesRead += chunk.length;
    let buf = chunk;
    let offset = 0;
    if (this.rest) {
      // complete the frame that straddles the previous read without copying the whole chunk
      const rest = this.rest;
      const joined = Buffer.concat([rest, chunk.subarray(0, MAX_FRAME_BYTES)]);
      const parsed = parseFrame(joined, 0);
      if (parsed.kind === "frame" && parsed.size > rest.length) {
        this.rest = null;
        this.onFrame(parsed.header, parsed.payload, result);
        offset = parsed.size - rest.length;
      } else if (parsed.kind === "incomplete" && joined.length === rest.length + chunk.length) {
        this.rest = joined;
        return;
      } else {
        this.rest = null;
        buf = Buffer.concat([rest, chunk]);
      }
    }
    while (offset < buf.length) {
      const parsed = parseFrame(buf, offset);
      if (parsed.kind === "frame") {
        this.onFrame(parsed.header, parsed.payload, result);
        offset += parsed.size;
      } else if (parsed.kind === "incomplete") {
        this.rest = Buffer.from(buf.subarray(offset));
        break;
      } else {
        const next = buf.indexOf(SYNC, offset + 1);
        // keep a possible partial sync marker at the end for the next read
        const resume = next >= 0 ? next : Math.max(offset + 1, buf.length - (SYNC.length - 1));
        this.corrupt(resume - offset, parsed.reason, result);
        offset = resume;
      }
    }
  }

  /** The stream is over: lines still incomplete are lost. */
  end(): GapReport[] {
    const gaps: GapReport[] = [];
    const result: LineRunSink = { lines: () => undefined, gap: (gap) => gaps.push(gap) };
    if (this.rest) {
      this.corrupt(this.rest.length, "stream ended inside a frame", result);
      this.rest = null;
    }
    for (const [node, st] of this.nodes) {
      if (st.open && st.open !== "lost") {
        this.lose(st, node, "truncated", 0, 1, st.open.bytes, "the stream ended in the middle of a line", result);
        st.nextLine = (st.nextLine + 1) >>> 0;
      }
      st.open = null;
    }
    return gaps;
  }

  stats(): DecoderStats {
    const byNode: Record<string, NodeDecodeStats> = {};
    for (const [node, st] of this.nodes) byNode[node] = { ...st.stats };
    return { ...this.totals, byNode };
  }

  private onFrame(header: FrameHeader, payload: Buffer, result: LineRunSink): void {
    const { node, role, flags, frameSeq, lineSeq } = header;
    this.totals.framesRead++;
    let st = this.nodes.get(node);
    const isStart = (flags & FLAG_START) !== 0;
    const continued = (flags & FLAG_CONTINUED) !== 0;
    const more = (flags & FLAG_MORE) !== 0;
    if (isStart && st) {
      if (st.open && st.open !== "lost") {
        this.lose(st, node, "restart", 0, 1, st.open.bytes, "the writer restarted in the middle of a line", result);
      }
      st.open = null;
    }
    if (!st) {
      st = { role, expectedFrame: 0, nextLine: 0, open: null, stats: { role, frames: 0, lines: 0, framesLost: 0, linesLost: 0 } };
      this.nodes.set(node, st);
    }
    if (isStart) {
      st.expectedFrame = frameSeq;
      st.nextLine = lineSeq;
    }
    st.role = role;
    st.stats.role = role;
    st.stats.frames++;
    if (frameSeq !== st.expectedFrame) {
      const lostFrames = (frameSeq - st.expectedFrame) >>> 0;
      const firstWhole = (lineSeq + (continued ? 1 : 0)) >>> 0;
      const lostLines = Math.max(0, (firstWhole - st.nextLine) | 0);
      const discarded = st.open && st.open !== "lost" ? st.open.bytes : 0;
      this.lose(st, node, "gap", lostFrames, lostLines, discarded, `frames ${st.expectedFrame}..${(frameSeq - 1) >>> 0} missing`, result);
      st.open = continued ? "lost" : null;
    } else if (continued && st.open === null) {
      this.lose(st, node, "protocol", 0, 1, 0, `frame ${frameSeq} continues a line that was never opened`, result);
      st.open = "lost";
    } else if (!continued && st.open !== null) {
      const discarded = st.open === "lost" ? 0 : st.open.bytes;
      if (st.open !== "lost") this.lose(st, node, "protocol", 0, 1, discarded, `frame ${frameSeq} abandons an open line`, result);
      st.open = null;
    }
    st.expectedFrame = (frameSeq + 1) >>> 0;
    this.segments(st, node, role, lineSeq, continued, more, payload, result);
  }

  private segments(st: NodeState, node: string, role: string, lineSeq: number, continued: boolean, more: boolean, payload: Buffer, result: LineRunSink): void {
    let start = 0;
    let index = 0;
    // the whole lines of this frame not yet handed over: payload[runStart, runEnd), runCount lines from runSeq
    let runStart = 0;
    let runEnd = 0;
    let runCount = 0;
    let runSeq = 0;
    for (;;) {
      const cut = payload.indexOf(LINE_SEPARATOR, start);
      const last = cut < 0;
      const segmentEnd = last ? payload.length : cut;
      const seq = (lineSeq + index) >>> 0;
      const openEnded = last && more;
      if (index === 0 && continued) {
        const open = st.open;
        if (open === null || open === "lost") {
          st.open = openEnded ? "lost" : null;
        } else {
          const segment = payload.subarray(start, segmentEnd);
          open.pieces.push(segment);
          open.bytes += segment.length;
          if (!openEnded) {
            const line = Buffer.concat(open.pieces, open.bytes);
            this.deliver(st, node, role, seq, line, 0, line.length, 1, result);
            st.open = null;
          }
        }
      } else if (openEnded) {
        st.open = { pieces: [payload.subarray(start, segmentEnd)], bytes: segmentEnd - start };
      } else {
        if (runCount === 0) {
          runStart = start;
          runSeq = seq;
        }
        runCount++;
        runEnd = segmentEnd;
      }
      if (last) {
        // the run precedes the line this frame leaves open, and follows the one it completed
        if (runCount > 0) this.deliver(st, node, role, runSeq, payload, runStart, runEnd, runCount, result);
        const openLine = (lineSeq + index) >>> 0;
        st.nextLine = more ? (st.open === "lost" ? (openLine + 1) >>> 0 : openLine) : (openLine + 1) >>> 0;
        return;
      }
      start = cut + 1;
      index++;
    }
  }

  private deliver(st: NodeState, node: string, role: string, seq: number, buf: Buffer, start: number, end: number, count: number, result: LineRunSink): void {
    st.stats.lines += count;
    this.totals.linesDecoded += count;
    result.lines(node, role, seq, buf, start, end, count);
  }

  private lose(st: NodeState, node: string, kind: GapKind, lostFrames: number, lostLines: number, discardedBytes: number, message: string, result: LineRunSink): void {
    st.stats.framesLost += lostFrames;
    st.stats.linesLost += lostLines;
    this.totals.framesLost += lostFrames;
    this.totals.linesLost += lostLines;
    result.gap({ kind, node, role: st.role, lostFrames, lostLines, discardedBytes, message: `node ${node}: ${message}: ${lostLines} line(s) lost` });
  }

  private corrupt(bytes: number, reason: string, result: LineRunSink): void {
    this.totals.corruptBytes += bytes;
    result.gap({ kind: "corrupt", node: null, role: null, lostFrames: 0, lostLines: 0, discardedBytes: bytes, message: `skipped ${bytes} byte(s) that are not a frame (${reason})` });
  }
}
