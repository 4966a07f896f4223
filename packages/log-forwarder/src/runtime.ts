// @mina-local/log-forwarder/runtime: the sidecar itself (daemon supervision, line filtering,
// the forwarder's own Mina-shaped log lines), for embedding the forwarder in another process.
export { LinePipeline } from "./pipeline.js";
export { carriesEvent, compileLineFilter } from "./filter.js";
export type { LineFilter } from "./filter.js";
export { MINA_LOG_LEVELS, allOf, compileLevelFilter, isMinaLogLevel } from "./level-filter.js";
export type { MinaLogLevel } from "./level-filter.js";
export { DEFAULT_STATE_DIR, ForwarderArgsSchema, USAGE, parseForwarderArgs, stateDirOf } from "./args.js";
export type { ForwarderArgs } from "./args.js";
export { FORWARDER_MODULE, forwarderLine, minaTimestamp } from "./mina-line.js";
export { DaemonSupervisor, emptyDirectory } from "./supervisor.js";
export type { DaemonStatus } from "./supervisor.js";
export { BUILTIN_CONFIG_DIR, ContainerPreparation, libp2pKeypairOf, privateKeyFiles, runCommand, type PrepareOptions, type PreparationFailure } from "./prepare.js";
export { forwarderMain } from "./main.js";
