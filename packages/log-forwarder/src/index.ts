export {
  FIXED_HEADER_BYTES,
  FLAG_CONTINUED,
  FLAG_MORE,
  FLAG_START,
  FRAME_MAGIC,
  FRAME_VERSION,
  LINE_SEPARATOR,
  MAX_FRAME_BYTES,
  headerBytes,
  maxPayloadBytes,
  parseFrame,
} from "./frame.js";
export type { FrameHeader, ParsedFrame } from "./frame.js";
export { FrameEncoder, encodeLine } from "./encoder.js";
export type { FrameEncoderOptions } from "./encoder.js";
export { FrameDecoder } from "./decoder.js";
export type { DecodeResult, DecodedLine, DecoderStats, GapKind, GapReport, NodeDecodeStats } from "./decoder.js";
export { LineSplitter } from "./lines.js";
export { FifoSink } from "./sink.js";
export type { FifoSinkOptions } from "./sink.js";
export { LinePipeline } from "./pipeline.js";
export { carriesEvent, compileLineFilter } from "./filter.js";
export type { LineFilter } from "./filter.js";
export { MINA_LOG_LEVELS, allOf, compileLevelFilter, isMinaLogLevel } from "./level-filter.js";
export type { MinaLogLevel } from "./level-filter.js";
export { DEFAULT_STATE_DIR, ForwarderArgsSchema, USAGE, parseForwarderArgs, stateDirOf } from "./args.js";
export type { ForwarderArgs } from "./args.js";
export { FORWARDER_MODULE, forwarderLine, minaTimestamp } from "./mina-line.js";
export { DaemonSupervisor, emptyDirectory } from "./supervisor.js";
export { BUILTIN_CONFIG_DIR, ContainerPreparation, libp2pKeypairOf, privateKeyFiles, runCommand, type PrepareOptions, type PreparationFailure } from "./prepare.js";
export type { DaemonStatus } from "./supervisor.js";
export { forwarderMain } from "./main.js";
export { SEA_SENTINEL_FUSE, buildForwarderExecutable, bundleForwarder } from "./build.js";
export type { BundleResult } from "./build.js";
