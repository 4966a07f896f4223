import { CONTAINER_PATHS, MINA_PORTS, MinaLocalError, peerMultiaddr, type LogLevel, type NetworkConfig, type NodeSpec } from "@mina-local/engine";
import { archiveCommand } from "./archive-services.js";

export { ARCHIVE_SERVER_PORT } from "@mina-local/engine";

/** Where Mina's puppeteer stops waiting: never; Mina's local engine waits for the daemon with no limit. We stop at 10 minutes. */
export const DEFAULT_NODE_STOP_TIMEOUT_MS = 600_000;
/** At container shutdown (teardown) the daemon's state no longer matters: the forwarder gives it this long. */
export const SHUTDOWN_GRACE_MS = 5_000;

export interface ForwarderFlags {
  /** logproc expression applied inside the container before lines reach the FIFO */
  logFilter?: string;
  /** Mina level below which the forwarder drops lines (structured events always pass); absent: it drops none */
  logLevel?: string;
  /** false: the container starts with the daemon stopped (a later SIGUSR2 starts it) */
  autostart: boolean;
  /** a node stop's SIGTERM-to-SIGKILL time (`--node-stop-timeout`); default 10 minutes */
  nodeStopTimeoutMs?: number;
}

/**
 * What changes the daemon command lines beyond the network config: the event ids the
 * executive waits on (`--start-filtered-logs`, once per id: the ids of the event table in
 * use) and the level of the daemon's stdout (Trace, so Trace-level events reach the forwarder).
 */
export interface DaemonCommandOptions {
  startFilteredLogs?: readonly string[];
  logLevel?: LogLevel;
}

const keyFile = (node: NodeSpec, ext: "key" | "libp2p") => `${CONTAINER_PATHS.keysDir}/${node.name}.${ext}`;

/**
 * The forwarder's part of the command line, ending with `--`: the container's entrypoint.
 * `--prepare` runs Mina's container preparation (docker_node_config.ml's entrypoint script)
 * before the daemon's first start; an archive node runs `mina-archive`, which has no keys, no
 * wallet and no libp2p identity to prepare (and an archive image may have no `mina` at all).
 */
export function forwarderEntrypoint(node: NodeSpec, flags: ForwarderFlags): string[] {
  return [
    CONTAINER_PATHS.forwarder,
    "--node",
    node.name,
    "--role",
    node.role,
    "--fifo",
    CONTAINER_PATHS.fifo,
    "--socket",
    `${CONTAINER_PATHS.socketsDir}/${node.name}.sock`,
    "--graphql-port",
    String(MINA_PORTS.graphql),
    ...(node.role === "archive" ? [] : ["--prepare", "--keys-dir", CONTAINER_PATHS.keysDir]),
    "--stop-grace-ms",
    String(flags.nodeStopTimeoutMs ?? DEFAULT_NODE_STOP_TIMEOUT_MS),
    "--shutdown-grace-ms",
    String(SHUTDOWN_GRACE_MS),
    ...(flags.logFilter !== undefined ? ["--filter", flags.logFilter] : []),
    ...(flags.logLevel !== undefined ? ["--log-level", flags.logLevel] : []),
    ...(flags.autostart ? [] : ["--no-autostart"]),
    "--",
  ];
}

/**
 * Flags every `mina daemon` of the network gets, in the order of Mina's local engine
 * (Base_node_config.to_list in docker_node_config.ml, MinaProtocol/mina 331fcde0cd), with
 * mina-local's ports and paths and an explicit -config-directory (the forwarder reads it).
 */
function baseDaemonFlags(node: NodeSpec, network: NetworkConfig, options: DaemonCommandOptions): string[] {
  return [
    "-log-level",
    options.logLevel ?? "Trace",
    "-log-snark-work-gossip",
    "true",
    "-log-txn-pool-gossip",
    "true",
    "-generate-genesis-proof",
    "true",
    "-client-port",
    String(MINA_PORTS.client),
    "-rest-port",
    String(MINA_PORTS.graphql),
    "-external-port",
    String(MINA_PORTS.external),
    "-metrics-port",
    String(MINA_PORTS.metrics),
    "--libp2p-keypair",
    keyFile(node, "libp2p"),
    "-log-json",
    "--insecure-rest-server",
    // without it the daemon looks for its public address on the internet
    "-external-ip",
    "0.0.0.0",
    "-config-file",
    CONTAINER_PATHS.runtimeConfig,
    "-config-directory",
    CONTAINER_PATHS.stateDir,
    ...peerFlags(network, node),
    ...(options.startFilteredLogs ?? []).flatMap((id) => ["--start-filtered-logs", id]),
  ];
}

/** Every seed of the network but the node itself (a seed does not dial its own address). */
function peerFlags(network: NetworkConfig, node: NodeSpec): string[] {
  const own = peerMultiaddr(node);
  return network.seedPeers.filter((peer) => peer !== own).flatMap((peer) => ["-peer", peer]);
}

const inconsistent = (node: NodeSpec, what: string) =>
  new MinaLocalError("invalid-config", `${what}: the network config is inconsistent`, {
    where: `node "${node.name}" (${node.role})`,
    hint: "build the network config with expandNetworkConfig from a validated test config",
  });

function requireAccount(node: NodeSpec): string {
  if (!node.account) throw inconsistent(node, "no genesis account for its key");
  return node.account.keypair.publicKey;
}

/**
 * The real Mina command line of a node, for its role, as Mina's local engine builds it
 * (docker_node_config.ml): the role's own words and flags first, then the common flags. An
 * archive node runs `mina-archive run` (archive-services.ts); the seed that feeds it gets
 * `-archive-address <archive>:3086`.
 */
export function daemonCommand(node: NodeSpec, network: NetworkConfig, options: DaemonCommandOptions = {}): string[] {
  const base = () => baseDaemonFlags(node, network, options);
  switch (node.role) {
    case "seed":
      return ["mina", "daemon", "-seed", ...(node.archiveAddress !== undefined ? ["-archive-address", node.archiveAddress] : []), ...base()];
    case "block-producer":
      requireAccount(node);
      return ["mina", "daemon", "-block-producer-key", keyFile(node, "key"), "-enable-flooding", "true", "-enable-peer-exchange", "true", ...base()];
    case "snark-coordinator":
      return ["mina", "daemon", "-run-snark-coordinator", requireAccount(node), "-snark-worker-fee", node.snarkWorkerFee ?? network.snarkWorkerFee, "-work-selection", "seq", ...base()];
    case "snark-worker": {
      if (!node.coordinator) throw inconsistent(node, "no snark coordinator to work for");
      // not a daemon: no common flags, no runtime config; the proof level is the network's (Mina hard-codes full)
      return [
        "mina",
        "internal",
        "snark-worker",
        "-proof-level",
        network.runtimeConfig.proof.level,
        "-daemon-address",
        `${node.coordinator}:${MINA_PORTS.client}`,
        // without it the worker exits when the coordinator is not up yet
        "--shutdown-on-disconnect",
        "false",
      ];
    }
    case "archive":
      return archiveCommand(node);
    case "node":
      return ["mina", "daemon", ...base()];
  }
}

/** Mina's client trustlist default in its local engine (Snark_coordinator_config, docker_node_config.ml). */
export const MINA_DEFAULT_CLIENT_TRUSTLIST = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16";

/**
 * The environment Mina's local engine gives each container (Base_node_config.to_docker_env_vars,
 * and the coordinator's snark_coordinator_default_env), with mina-local's ports and password.
 * `trustlist`: the coordinator's MINA_CLIENT_TRUSTLIST (the run network's subnet): its client
 * port refuses the workers otherwise.
 */
export function nodeEnvironment(node: NodeSpec, network: NetworkConfig, trustlist: string): Record<string, string> {
  const env: Record<string, string> = {
    DAEMON_REST_PORT: String(MINA_PORTS.graphql),
    DAEMON_CLIENT_PORT: String(MINA_PORTS.client),
    DAEMON_METRICS_PORT: String(MINA_PORTS.metrics),
    DAEMON_EXTERNAL_PORT: String(MINA_PORTS.external),
    RAYON_NUM_THREADS: "8",
    // the run's one password for the key files' secret boxes (see README)
    MINA_PRIVKEY_PASS: network.keyPassword,
    MINA_LIBP2P_PASS: network.keyPassword,
    LIBP2P_ENABLE_MDNS: "true",
  };
  if (node.role === "snark-coordinator") {
    Object.assign(env, {
      MINA_SNARK_KEY: requireAccount(node),
      MINA_SNARK_FEE: node.snarkWorkerFee ?? network.snarkWorkerFee,
      WORK_SELECTION: "seq",
      MINA_CLIENT_TRUSTLIST: trustlist,
    });
  }
  return env;
}
