/**
 * The frame format of the shared log FIFO (byte layout in README.md).
 *
 * Many containers write into one FIFO. A write(2) of at most PIPE_BUF (4096) bytes to a
 * pipe is atomic, so every write is exactly one frame of at most 4096 bytes. A frame
 * carries one or more `\n`-separated segments of ONE node's line stream: whole lines
 * (small lines are batched), and at the edges pieces of a line that spans frames.
 */

export const FRAME_MAGIC = 0x4d4c; // "ML"
export const FRAME_VERSION = 1;
/** PIPE_BUF on Linux: the largest write a pipe keeps atomic. */
export const MAX_FRAME_BYTES = 4096;
/** magic(2) version(1) flags(1) frameSeq(4) lineSeq(4) payloadLength(2) nodeLength(1) roleLength(1) */
export const FIXED_HEADER_BYTES = 16;

/** The last segment of this frame is not the end of its line: the line continues in the node's next frame. */
export const FLAG_MORE = 0x01;
/** The first segment of this frame continues the line the node's previous frame left open. */
export const FLAG_CONTINUED = 0x02;
/** The first frame (frameSeq 0) of a writer session: a restarted writer starts its sequences again. */
export const FLAG_START = 0x04;
const KNOWN_FLAGS = FLAG_MORE | FLAG_CONTINUED | FLAG_START;

export const LINE_SEPARATOR = 0x0a;

export function headerBytes(node: string, role: string): number {
  return FIXED_HEADER_BYTES + Buffer.byteLength(node) + Buffer.byteLength(role);
}

/** The largest payload one frame of this node can carry. */
export function maxPayloadBytes(node: string, role: string): number {
  return MAX_FRAME_BYTES - headerBytes(node, role);
}

export interface FrameHeader {
  flags: number;
  frameSeq: number;
  lineSeq: number;
  node: string;
  role: string;
  payloadLength: number;
}

export type ParsedFrame =
  | { kind: "frame"; header: FrameHeader; payload: Buffer; size: number }
  /** not enough bytes yet: the frame continues in the next read */
  | { kind: "incomplete" }
  | { kind: "corrupt"; reason: string };

/** Parses the frame starting at `offset` of `buf`; pure, never throws. */
export function parseFrame(buf: Buffer, offset: number): ParsedFrame {
  const available = buf.length - offset;
  if (available < FIXED_HEADER_BYTES) {
    if (available >= 2 && buf.readUInt16BE(offset) !== FRAME_MAGIC) return { kind: "corrupt", reason: "bad magic" };
    return { kind: "incomplete" };
  }
  if (buf.readUInt16BE(offset) !== FRAME_MAGIC) return { kind: "corrupt", reason: "bad magic" };
  const version = buf[offset + 2];
  if (version !== FRAME_VERSION) return { kind: "corrupt", reason: `unknown frame version ${version}` };
  const flags = buf[offset + 3] ?? 0;
  if ((flags & ~KNOWN_FLAGS) !== 0) return { kind: "corrupt", reason: `unknown flags 0x${flags.toString(16)}` };
  const frameSeq = buf.readUInt32BE(offset + 4);
  const lineSeq = buf.readUInt32BE(offset + 8);
  const payloadLength = buf.readUInt16BE(offset + 12);
  const nodeLength = buf[offset + 14] ?? 0;
  const roleLength = buf[offset + 15] ?? 0;
  if (nodeLength === 0 || roleLength === 0) return { kind: "corrupt", reason: "empty node or role" };
  const size = FIXED_HEADER_BYTES + nodeLength + roleLength + payloadLength;
  if (size > MAX_FRAME_BYTES) return { kind: "corrupt", reason: `frame of ${size} bytes exceeds ${MAX_FRAME_BYTES}` };
  if (available < size) return { kind: "incomplete" };
  const nodeStart = offset + FIXED_HEADER_BYTES;
  const roleStart = nodeStart + nodeLength;
  const payloadStart = roleStart + roleLength;
  const node = buf.toString("latin1", nodeStart, roleStart);
  const role = buf.toString("latin1", roleStart, payloadStart);
  return {
    kind: "frame",
    header: { flags, frameSeq, lineSeq, node, role, payloadLength },
    payload: buf.subarray(payloadStart, payloadStart + payloadLength),
    size,
  };
}

/** Writes a header into `buf` at 0; returns the payload offset. */
export function writeHeader(buf: Buffer, header: FrameHeader, nodeBytes: Buffer, roleBytes: Buffer): number {
  // byte stores rather than writeUInt32BE & co., whose range checks showed in the forwarder's profile (once per frame)
  const frameSeq = header.frameSeq >>> 0;
  const lineSeq = header.lineSeq >>> 0;
  buf[0] = FRAME_MAGIC >>> 8;
  buf[1] = FRAME_MAGIC & 0xff;
  buf[2] = FRAME_VERSION;
  buf[3] = header.flags;
  buf[4] = frameSeq >>> 24;
  buf[5] = (frameSeq >>> 16) & 0xff;
  buf[6] = (frameSeq >>> 8) & 0xff;
  buf[7] = frameSeq & 0xff;
  buf[8] = lineSeq >>> 24;
  buf[9] = (lineSeq >>> 16) & 0xff;
  buf[10] = (lineSeq >>> 8) & 0xff;
  buf[11] = lineSeq & 0xff;
  buf[12] = (header.payloadLength >>> 8) & 0xff;
  buf[13] = header.payloadLength & 0xff;
  buf[14] = nodeBytes.length;
  buf[15] = roleBytes.length;
  nodeBytes.copy(buf, FIXED_HEADER_BYTES);
  roleBytes.copy(buf, FIXED_HEADER_BYTES + nodeBytes.length);
  return FIXED_HEADER_BYTES + nodeBytes.length + roleBytes.length;
}
