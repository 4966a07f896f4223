import { describe, expect, it } from "vitest";
import { FrameDecoder } from "./decoder.js";
import type { DecodedLine, GapReport } from "./decoder.js";
import { FrameEncoder } from "./encoder.js";
import { FLAG_CONTINUED, FLAG_MORE, FLAG_START, MAX_FRAME_BYTES, maxPayloadBytes, parseFrame } from "./frame.js";

function framesOf(encoder: FrameEncoder, lines: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const line of lines) encoder.writeLine(line, out);
  encoder.flush(out);
  return out;
}

function decodeAll(stream: Buffer, chunkSize = stream.length): { lines: DecodedLine[]; gaps: GapReport[]; decoder: FrameDecoder } {
  const decoder = new FrameDecoder();
  const lines: DecodedLine[] = [];
  const gaps: GapReport[] = [];
  for (let i = 0; i < stream.length; i += chunkSize) {
    const result = decoder.push(stream.subarray(i, i + chunkSize));
    lines.push(...result.lines);
    gaps.push(...result.gaps);
  }
  gaps.push(...decoder.end());
  return { lines, gaps, decoder };
}

const NODE = "block-producer-1";
const ROLE = "block-producer";
const exact = maxPayloadBytes(NODE, ROLE);

function filled(length: number, seed: number): Buffer {
  const buf = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buf[i] = 0x20 + ((i * 7 + seed) % 90); // printable, never \n
  return buf;
}

const INVALID_UTF8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x7b, 0x22]);
const SAMPLE_LINES: Buffer[] = [
  Buffer.from('{"level":"Info","message":"hello"}'),
  Buffer.alloc(0),
  filled(exact, 1),
  filled(exact - 1, 2),
  filled(exact + 1, 3),
  Buffer.alloc(0),
  filled(5 * 1024, 4),
  INVALID_UTF8,
  filled(100 * 1024, 5),
  Buffer.from('{"broken json'),
  filled(1024 * 1024, 6),
  Buffer.alloc(0),
  Buffer.from("last"),
];

describe("frame codec", () => {
  it("round-trips lines of every awkward size byte for byte, whatever the read boundaries", () => {
    const frames = framesOf(new FrameEncoder({ node: NODE, role: ROLE }), SAMPLE_LINES);
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    const stream = Buffer.concat(frames);
    for (const chunkSize of [stream.length, 65536, 4096, 4095, 1000, 17, 3]) {
      const { lines, gaps } = decodeAll(stream, chunkSize);
      expect(gaps).toEqual([]);
      expect(lines.map((l) => l.seq)).toEqual(SAMPLE_LINES.map((_, i) => i));
      lines.forEach((decoded, i) => {
        expect(decoded.node).toBe(NODE);
        expect(decoded.role).toBe(ROLE);
        expect(decoded.line.equals(SAMPLE_LINES[i] as Buffer)).toBe(true);
      });
    }
  });

  it("puts a line of exactly one payload in one frame, and one byte more in two", () => {
    const fits = new FrameEncoder({ node: NODE, role: ROLE }).encodeLine(filled(exact, 9));
    expect(fits).toHaveLength(1);
    expect(fits[0]?.length).toBe(MAX_FRAME_BYTES);
    const spills = new FrameEncoder({ node: NODE, role: ROLE }).encodeLine(filled(exact + 1, 9));
    expect(spills).toHaveLength(2);
    const first = parseFrame(spills[0] as Buffer, 0);
    const second = parseFrame(spills[1] as Buffer, 0);
    if (first.kind !== "frame" || second.kind !== "frame") throw new Error("frames expected");
    expect(first.header.flags).toBe(FLAG_START | FLAG_MORE);
    expect(second.header.flags).toBe(FLAG_CONTINUED);
    expect(second.header.payloadLength).toBe(1);
  });

  it("batches small lines into few frames, each at most PIPE_BUF", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => Buffer.from(`{"i":${i},"message":"a small line"}`));
    const frames = framesOf(new FrameEncoder({ node: "n", role: "seed" }), lines);
    expect(frames.length).toBeLessThan(20);
    const { lines: decoded, gaps } = decodeAll(Buffer.concat(frames), 333);
    expect(gaps).toEqual([]);
    expect(decoded.map((d) => d.line.toString())).toEqual(lines.map((l) => l.toString()));
  });

  it("separates interleaved frames of several nodes, in order per node", () => {
    const nodes = ["seed-1", "bp-1", "bp-2", "snark-worker-1"];
    const perNode = nodes.map((node, n) => {
      const encoder = new FrameEncoder({ node, role: n === 0 ? "seed" : "block-producer" });
      const lines = Array.from({ length: 300 }, (_, i) => (i % 50 === 7 ? filled(9000 + n, i) : Buffer.from(`${node} line ${i}`)));
      const frames: Buffer[] = [];
      for (const line of lines) frames.push(...encoder.encodeLine(line));
      return { node, lines, frames };
    });
    // round-robin interleaving, as concurrent writers would produce
    const stream: Buffer[] = [];
    for (let i = 0; perNode.some((p) => i < p.frames.length); i++) for (const p of perNode) if (i < p.frames.length) stream.push(p.frames[i] as Buffer);
    const { lines, gaps } = decodeAll(Buffer.concat(stream), 5000);
    expect(gaps).toEqual([]);
    for (const p of perNode) {
      const mine = lines.filter((l) => l.node === p.node);
      expect(mine.map((l) => l.seq)).toEqual(p.lines.map((_, i) => i));
      mine.forEach((l, i) => expect(l.line.equals(p.lines[i] as Buffer)).toBe(true));
    }
  });
});

describe("loss detection", () => {
  const lines = Array.from({ length: 40 }, (_, i) => (i === 10 ? filled(3 * MAX_FRAME_BYTES, i) : Buffer.from(`line ${i} `.repeat(60))));
  const frames = () => {
    const encoder = new FrameEncoder({ node: "bp-1", role: ROLE });
    const out: Buffer[] = [];
    for (const line of lines) out.push(...encoder.encodeLine(line));
    return out;
  };

  it("counts exactly the lines of a lost frame and delivers all the others", () => {
    const all = frames();
    const lost = all.splice(3, 1)[0] as Buffer; // a frame of whole lines
    const parsed = parseFrame(lost, 0);
    if (parsed.kind !== "frame") throw new Error("frame expected");
    const lostLineCount = parsed.payload.toString().split("\n").length;
    const { lines: got, gaps } = decodeAll(Buffer.concat(all));
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ kind: "gap", node: "bp-1", lostFrames: 1, lostLines: lostLineCount });
    expect(got.length + lostLineCount).toBe(lines.length);
    for (const l of got) expect(l.line.equals(lines[l.seq] as Buffer)).toBe(true);
  });

  it("drops and counts a long line whose middle frame is lost, never delivering it half", () => {
    const all = frames();
    const middle = all.findIndex((f) => {
      const p = parseFrame(f, 0);
      return p.kind === "frame" && (p.header.flags & FLAG_CONTINUED) !== 0 && (p.header.flags & FLAG_MORE) !== 0;
    });
    all.splice(middle, 1);
    const { lines: got, gaps } = decodeAll(Buffer.concat(all));
    expect(gaps).toEqual([expect.objectContaining({ kind: "gap", lostFrames: 1, lostLines: 1 })]);
    expect(got.map((l) => l.seq)).toEqual(lines.map((_, i) => i).filter((i) => i !== 10));
  });

  it("reports a line cut by the end of the stream and a writer restarting mid-line", () => {
    const encoder = new FrameEncoder({ node: "bp-1", role: ROLE });
    const cut = encoder.encodeLine(filled(10_000, 1)).slice(0, 2);
    const { gaps } = decodeAll(Buffer.concat(cut));
    expect(gaps).toEqual([expect.objectContaining({ kind: "truncated", node: "bp-1", lostLines: 1 })]);

    const restarted = new FrameEncoder({ node: "bp-1", role: ROLE }).encodeLine("after restart");
    const { lines: got, gaps: restartGaps, decoder } = decodeAll(Buffer.concat([...cut, ...restarted]));
    expect(restartGaps).toEqual([expect.objectContaining({ kind: "restart", node: "bp-1", lostLines: 1 })]);
    expect(got.map((l) => l.line.toString())).toEqual(["after restart"]);
    expect(decoder.stats().byNode["bp-1"]?.linesLost).toBe(1);
  });

  it("skips bytes that are not frames, reports them, and resynchronises", () => {
    const encoder = new FrameEncoder({ node: "n", role: "seed" });
    const stream = Buffer.concat([...encoder.encodeLine("one"), Buffer.from("garbage written by someone else"), ...encoder.encodeLine("two")]);
    const { lines: got, gaps } = decodeAll(stream, 7);
    expect(got.map((l) => l.line.toString())).toEqual(["one", "two"]);
    expect(gaps.some((g) => g.kind === "corrupt" && g.discardedBytes > 0)).toBe(true);
    expect(gaps.every((g) => g.lostLines === 0)).toBe(true);
  });
});

describe("FrameDecoder.decode (runs of lines, the relay's path)", () => {
  it("hands over each frame's whole lines as one run in the bytes read, a line spanning frames alone, in order", () => {
    const encoder = new FrameEncoder({ node: NODE, role: ROLE });
    const long = filled(3 * exact, 5);
    const lines = [Buffer.from("a"), Buffer.alloc(0), Buffer.from("c"), long, Buffer.from("d"), Buffer.alloc(0)];
    const stream = Buffer.concat(framesOf(encoder, lines));
    const runs: Array<{ seq: number; count: number; text: string[]; inChunk: boolean }> = [];
    const decoder = new FrameDecoder();
    decoder.decode(stream, {
      lines: (node, role, seq, buf, start, end, count) => {
        expect([node, role]).toEqual([NODE, ROLE]);
        runs.push({ seq, count, text: buf.toString("latin1", start, end).split("\n"), inChunk: buf.buffer === stream.buffer });
      },
      gap: (gap) => expect.fail(gap.message),
    });
    expect(runs.map((r) => [r.seq, r.count, r.inChunk])).toEqual([
      [0, 3, true],
      [3, 1, false],
      [4, 2, true],
    ]);
    expect(runs.flatMap((r) => r.text)).toEqual(lines.map((l) => l.toString("latin1")));
    expect(decoder.stats().linesDecoded).toBe(6);
  });
});
