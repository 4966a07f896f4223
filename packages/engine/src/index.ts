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
export {
  CODA_LIBP2P_PASS,
  MINA_LIBP2P_PASS,
  MINA_PRIVKEY_PASS,
  libp2pKeyFile,
  libp2pKeypairOfString,
  libp2pKeypairToString,
  minaKeyFile,
  openLibp2pKeyFile,
  openMinaKeyFile,
} from "./key-files.js";
export type { KeyFileOptions } from "./key-files.js";

// Mina's Test_config, the runtime config (genesis ledger) and the expanded network config
export {
  BlockProducerSchema,
  GenesisAccountSchema,
  ProofConfigSchema,
  SnarkCoordinatorSchema,
  TestConfigSchema,
  TimingSchema,
  describeIssues,
  formatPath,
  parseTestConfig,
  snarkWorkerName,
} from "./test-config.js";
export type { GenesisAccount, TestConfig, TestConfigInput, Timing } from "./test-config.js";
export { RuntimeAccountSchema, RuntimeConfigSchema, RuntimeTimingSchema } from "./runtime-config.js";
export type { RuntimeAccount, RuntimeConfig } from "./runtime-config.js";
export { expandNetworkConfig, peerMultiaddr } from "./network-config.js";
export type { ExpandOptions, GenesisConstants, Images, NetworkAccount, NetworkConfig, NodeSpec } from "./network-config.js";

// Mina's log lines and event ids
export { LOG_LEVELS, PUPPETEER_EVENTS, STRUCTURED_EVENTS, STRUCTURED_EVENT_NAMES, eventIdOf, eventNameOfId } from "./events.js";
export type { LogLevel, MinaLogLine, PuppeteerEventName, StructuredEventName } from "./events.js";

// the engine interface (Mina's Intf.Engine.S)
export type { Engine, GraphqlEndpoint, LogEngine, MinaNode, Network, NetworkManager, NodeEvent, StartOptions } from "./intf.js";

// Mina's GraphQL schema (introspection JSON) and run ids
export { minaGraphqlIntrospection } from "./graphql-schema.js";
export { RUN_ID_PATTERN, newRunId } from "./run-id.js";
