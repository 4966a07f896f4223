export { composeFromNetwork, DEFAULT_DOCKER_LOG_MAX_SIZE, type ComposeOptions } from "./compose.js";
export { daemonCommand, forwarderEntrypoint, ARCHIVE_SERVER_PORT, type ForwarderFlags } from "./commands.js";
export type { ComposeFile, ComposeService, ComposeNetwork, ComposeBindMount, ComposePort } from "./compose-types.js";
export { LABELS, RUN_NETWORK } from "./labels.js";
export { runPaths, type RunPaths } from "./run-paths.js";
export { writeRunDirectory, type RunFiles, type NodeFiles } from "./run-directory.js";
export { validateComposeFile } from "./validate.js";
