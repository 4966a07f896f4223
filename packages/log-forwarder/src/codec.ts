// @mina-local/log-forwarder/codec: the frame format of the shared FIFO, for whoever writes
// frames into it (the forwarder, test writers) or reads them back (the bus's relay).
export { FIXED_HEADER_BYTES, FLAG_CONTINUED, FLAG_MORE, FLAG_START, FRAME_MAGIC, FRAME_VERSION, LINE_SEPARATOR, MAX_FRAME_BYTES, headerBytes, maxPayloadBytes, parseFrame } from "./frame.js";
export type { FrameHeader, ParsedFrame } from "./frame.js";
export { FrameEncoder, encodeLine } from "./encoder.js";
export type { FrameEncoderOptions } from "./encoder.js";
export { FrameDecoder } from "./decoder.js";
export type { DecodeResult, DecodedLine, DecoderStats, GapKind, GapReport, LineRunSink, NodeDecodeStats } from "./decoder.js";
export { LineSplitter } from "./lines.js";
export { FifoSink } from "./sink.js";
export type { FifoSinkOptions } from "./sink.js";
