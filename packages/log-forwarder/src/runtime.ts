// @mina-local/log-forwarder/runtime: the sidecar itself (daemon supervision, line filtering,
// the forwarder's own Mina-shaped log lines), for embedding the forwarder in another process.
export { LinePipeline } from "./pipeline.js";
export { carriesEvent, compileLineFilter } from "./filter.js";
export type { LineFilter } from "./filter.js";
export { DEFAULT_STATE_DIR, ForwarderArgsSchema, USAGE, parseForwarderArgs, stateDirOf } from "./args.js";
export type { ForwarderArgs } from "./args.js";
export { FORWARDER_MODULE, forwarderLine, minaTimestamp } from "./mina-line.js";
export { DaemonSupervisor, emptyDirectory } from "./supervisor.js";
export type { DaemonStatus } from "./supervisor.js";
export { forwarderMain } from "./main.js";
