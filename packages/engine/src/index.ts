// @mina-local/engine's public entry: an explicit list, so that what other packages and users
// may rely on is a decision. The format internals of secret boxes and key encodings stay
// inside (their modules' own tests cover them).

// errors and results
export { MinaLocalError, err, ok, withTimeout } from "./errors.js";
export type { ErrorKind, Result } from "./errors.js";

// Mina's currency
export { ACCOUNT_CREATION_FEE, DEFAULT_COINBASE, NANOMINA_PER_MINA, formatMina, parseMina } from "./currency.js";

// node roles, ports and paths inside a container
export { CONTAINER_PATHS, MINA_PORTS, NODE_NAME_PATTERN, NODE_ROLES } from "./roles.js";
export type { NodeRole } from "./roles.js";

// randomness, keys and Mina's key files (secret boxes)
export { secureRandomBytes, seededRandomBytes } from "./random.js";
export type { RandomBytes } from "./random.js";
export { libp2pIdentityFrom, libp2pIdentityFromSeed, libp2pPeerIdOf, minaKeypairFrom } from "./keys.js";
export type { Keypair, Libp2pIdentity } from "./keys.js";
export { MINA_DEFAULT_DIFFICULTY, SecretBoxError, TEST_KEY_DIFFICULTY, openSecretBox, parseSecretBox, sealSecretBox } from "./secret-box.js";
export type { OpenOptions, PasswordDifficulty, SealOptions, SecretBox, SecretBoxFailure, SecretBoxJson } from "./secret-box.js";
export { CODA_LIBP2P_PASS, MINA_LIBP2P_PASS, MINA_PRIVKEY_PASS, libp2pKeyFile, libp2pKeypairOfString, libp2pKeypairToString, minaKeyFile, openLibp2pKeyFile, openMinaKeyFile } from "./key-files.js";
export type { KeyFileOptions } from "./key-files.js";

// Mina's Test_config, the runtime config (genesis ledger) and the expanded network config
export {
  BlockProducerSchema,
  DEFAULT_FORK,
  EpochDataSchema,
  EpochLedgerSchema,
  ForkSchema,
  GenesisAccountSchema,
  PermissionsSchema,
  ProofConfigSchema,
  SnarkCoordinatorSchema,
  TestConfigSchema,
  TimingSchema,
  ZkappAccountSchema,
  describeIssues,
  formatPath,
  parseTestConfig,
  snarkWorkerName,
} from "./test-config.js";
export type { EpochData, GenesisAccount, Permissions, TestConfig, TestConfigInput, Timing, ZkappAccount } from "./test-config.js";
export {
  GENESIS_WINNER_ACCOUNT,
  RuntimeAccountSchema,
  RuntimeConfigSchema,
  RuntimeEpochLedgerSchema,
  RuntimeForkSchema,
  RuntimeTimingSchema,
  addsGenesisWinner,
  minaTimestampOf,
} from "./runtime-config.js";
export type { RuntimeAccount, RuntimeConfig } from "./runtime-config.js";
export { expandNetworkConfig, peerMultiaddr } from "./network-config.js";
export type { ExpandOptions, GenesisConstants, Images, NetworkAccount, NetworkConfig, NodeSpec, ProofLevel } from "./network-config.js";

// Mina's account permissions (Permissions.user_default) in GraphQL's JSON spelling
export { TXN_VERSION_CURRENT, USER_DEFAULT_PERMISSIONS } from "./permissions.js";
export type { AuthRequired, PermissionsJson } from "./permissions.js";

// archive nodes (Mina's archive process and its PostgreSQL)
export {
  ARCHIVE_SERVER_PORT,
  DEFAULT_POSTGRES_IMAGE,
  MINA_ENGINE_POSTGRES_IMAGE,
  POSTGRES_PORT,
  RESERVED_NODE_NAME,
  archiveAddress,
  archiveNodeName,
  archiveSeedName,
  postgresServiceName,
  postgresSpec,
  postgresUri,
} from "./archive.js";
export type { ArchiveSpec, PostgresSpec } from "./archive.js";

// Mina's log lines, its structured events and their ids per release line
export { LOG_LEVELS, PUPPETEER_EVENTS } from "./events.js";
export type { LogLevel, MinaLogLine, PuppeteerEventName } from "./events.js";
export { MINA_EVENT_TYPES, minaEventId, rowFeeding, rowOfEventId } from "./event-ids.js";
export type { EventIdTable, GossipDirection, MinaEventType, StructuredEventRow } from "./event-ids.js";
export { EVENT_ID_TABLES, SIMULATOR_EVENT_ID_TABLE_NAME, eventIdTable, newestEventIdTable } from "./event-id-tables.js";
export { KNOWN_MINA_RELEASES, parseDumpStructuredEvents, parseEventIdTableFile, parseMinaVersion, pickEventIdTable } from "./pick-event-id-table.js";
export type { EventIdTableEvidence } from "./pick-event-id-table.js";

// the engine interface (Mina's Intf.Engine.S)
export { EngineOperationUnsupported } from "./intf.js";
export type { ArchiveDump, Engine, GraphqlEndpoint, LogEngine, MinaNode, Network, NetworkConfigExpander, NetworkKeypair, NetworkManager, NodeEvent, StartOptions } from "./intf.js";

// Mina's GraphQL schema (introspection JSON) and run ids
export { minaGraphqlIntrospection } from "./graphql-schema.js";
export { RUN_ID_PATTERN, newRunId } from "./run-id.js";
