import { CONTAINER_PATHS, MINA_PORTS, MinaLocalError, peerMultiaddr, type NetworkConfig, type NodeSpec } from "@mina-local/engine";
import { archiveCommand } from "./archive-services.js";

export { ARCHIVE_SERVER_PORT } from "@mina-local/engine";

export interface ForwarderFlags {
  /** logproc expression applied inside the container before lines reach the FIFO */
  logFilter?: string;
  /** Mina level below which the forwarder drops lines (structured events always pass); absent: it drops none */
  logLevel?: string;
  /** false: the container starts with the daemon stopped (a later SIGUSR2 starts it) */
  autostart: boolean;
}

const keyFile = (node: NodeSpec, ext: "key" | "libp2p") => `${CONTAINER_PATHS.keysDir}/${node.name}.${ext}`;

/** The forwarder's part of the command line, ending with `--`: the container's entrypoint. */
export function forwarderEntrypoint(node: NodeSpec, flags: ForwarderFlags): string[] {
  return [
    CONTAINER_PATHS.forwarder,
    "--node", node.name,
    "--role", node.role,
    "--fifo", CONTAINER_PATHS.fifo,
    "--socket", `${CONTAINER_PATHS.socketsDir}/${node.name}.sock`,
    "--graphql-port", String(MINA_PORTS.graphql),
    ...(flags.logFilter !== undefined ? ["--filter", flags.logFilter] : []),
    ...(flags.logLevel !== undefined ? ["--log-level", flags.logLevel] : []),
    ...(flags.autostart ? [] : ["--no-autostart"]),
    "--",
  ];
}

/** Flags every `mina daemon` of the network gets, as Mina's own engines pass them. */
function baseDaemonFlags(node: NodeSpec): string[] {
  return [
    "-config-file", CONTAINER_PATHS.runtimeConfig,
    "-config-directory", CONTAINER_PATHS.stateDir,
    "-external-port", String(MINA_PORTS.external),
    "-client-port", String(MINA_PORTS.client),
    "-rest-port", String(MINA_PORTS.graphql),
    "-insecure-rest-server",
    "-log-json",
    // stdout at Trace: several of the executive's events (Applying_diffs, Added_breadcrumb_user_commands,
    // the persistence events) are logged at Trace; the forwarder drops what the user did not ask for
    "-log-level", "Trace",
    "-libp2p-keypair", keyFile(node, "libp2p"),
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
 * The real Mina command line of a node, for its role. An archive node runs `mina-archive run`
 * (archive-services.ts); the seed that feeds it gets `-archive-address <archive>:3086`.
 */
export function daemonCommand(node: NodeSpec, network: NetworkConfig): string[] {
  switch (node.role) {
    case "seed":
      return [
        "mina", "daemon", ...baseDaemonFlags(node), "-seed",
        ...(node.archiveAddress !== undefined ? ["-archive-address", node.archiveAddress] : []),
        ...peerFlags(network, node),
      ];
    case "block-producer":
      requireAccount(node);
      return ["mina", "daemon", ...baseDaemonFlags(node), ...peerFlags(network, node), "-block-producer-key", keyFile(node, "key")];
    case "snark-coordinator":
      return [
        "mina", "daemon", ...baseDaemonFlags(node), ...peerFlags(network, node),
        "-run-snark-coordinator", requireAccount(node),
        "-snark-worker-fee", node.snarkWorkerFee ?? network.snarkWorkerFee,
        "-work-selection", "seq",
      ];
    case "snark-worker": {
      if (!node.coordinator) throw inconsistent(node, "no snark coordinator to work for");
      return ["mina", "internal", "snark-worker", "-daemon-address", `${node.coordinator}:${MINA_PORTS.client}`, "-proof-level", "none"];
    }
    case "archive":
      return archiveCommand(node);
    case "node":
      return ["mina", "daemon", ...baseDaemonFlags(node), ...peerFlags(network, node)];
  }
}
