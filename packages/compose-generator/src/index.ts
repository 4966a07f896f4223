export { composeFromNetwork, DEFAULT_DOCKER_LOG_MAX_SIZE, type ComposeOptions } from "./compose.js";
export {
  daemonCommand,
  forwarderEntrypoint,
  nodeEnvironment,
  ARCHIVE_SERVER_PORT,
  DEFAULT_NODE_STOP_TIMEOUT_MS,
  MINA_DEFAULT_CLIENT_TRUSTLIST,
  SHUTDOWN_GRACE_MS,
  type DaemonCommandOptions,
  type ForwarderFlags,
} from "./commands.js";
export { MINA_CLI, MINA_CLI_COMMIT, minaCliProblems, flagsBeyondBaseCommit, type MinaFlag, type MinaFlagKind, type MinaSubcommand } from "./mina-cli.js";
export type { ComposeFile, ComposeHealthcheck, ComposeService, ComposeNetwork, ComposeBindMount, ComposePort } from "./compose-types.js";
export { HOST_RELAY_ROLE, LABELS, POSTGRES_ROLE, RUN_NETWORK } from "./labels.js";
export { archiveCommand, ARCHIVE_SCHEMA_FILES, POSTGRES_INIT_SCRIPT, POSTGRES_SCHEMA_DIR } from "./archive-services.js";
export { ARCHIVE_CLI_CONTRACT, checkArchiveCommand } from "./archive-cli-contract.js";
export { overlongSocketPaths, runPaths, UNIX_SOCKET_PATH_MAX_BYTES, type RunPaths } from "./run-paths.js";
export { writeRunDirectory, type RunFiles, type NodeFiles } from "./run-directory.js";
export { validateComposeFile } from "./validate.js";
