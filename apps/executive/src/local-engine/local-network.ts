import { join } from "node:path";
import { EngineOperationUnsupported, MINA_PORTS, MinaLocalError, type GenesisConstants, type NetworkConfig, type NetworkKeypair, type NodeSpec, type StartOptions } from "@mina-local/engine";
import { runPaths } from "@mina-local/compose-generator";
import { createMinaClient } from "@mina-local/graphql-client";
import type { SwarmManager } from "@mina-local/swarm-manager";
import type { TestAccount, TestNetwork, TestNode } from "../dsl/define-test.js";
import type { ModuleLogger } from "../logger.js";
import { dumpArchiveData } from "./archive-dump.js";
import { dumpMinaLogs, dumpPrecomputedBlocks, replayerCommand } from "./node-dumps.js";
import type { NodeControl } from "./multi-host/node-control.js";

export interface LocalNetworkOptions {
  runId: string;
  runDir: string;
  config: NetworkConfig;
  swarm: SwarmManager;
  log: ModuleLogger;
  signal: AbortSignal;
  /** each node's GraphQL on 127.0.0.1 (the run's proxies): Mina's `get_ingress_uri` */
  ingress?: ReadonlyMap<string, string>;
  /** the nodes the compose file started at deploy (Mina's `should_be_running` starts true for them) */
  startedAtDeploy?: (node: NodeSpec) => boolean;
  /** told before each stop and start request, so that a node's shutdown lines are not counted as its errors */
  onStopRequested?: (node: string) => void;
  onStartRequested?: (node: string) => void;
  /** a node stop's SIGTERM-to-SIGKILL time in the forwarder (`--node-stop-timeout`) */
  nodeStopTimeoutMs?: number;
  /** how start and stop reach a node (default: the swarm manager signals its container) */
  control?: NodeControl;
}

export type LocalNetwork = TestNetwork & {
  /** a node the engine started itself (an archive node and its seed) */
  markRunning(node: string): void;
  close(): Promise<void>;
};

/**
 * The local engine's `Network` (Mina's `Engine.Network_intf`): node handles whose GraphQL
 * goes through each node's forwarder socket in the run directory (no port published) and
 * whose start/stop go through the swarm manager.
 */
export function localTestNetwork(options: LocalNetworkOptions): LocalNetwork {
  const { runId, runDir, config, swarm, log, signal } = options;
  // the forwarder's SIGKILL comes at the node stop timeout; the stop is awaited a little beyond it
  const stopWaitMs = (options.nodeStopTimeoutMs ?? 600_000) + 30_000;
  const paths = runPaths(runDir);
  const running = new Set(config.nodes.filter((n) => options.startedAtDeploy?.(n) ?? false).map((n) => n.name));
  const nodes: TestNode[] = config.nodes.map((spec) => {
    const socketPath = paths.socketOf(spec.name);
    const endpoint = { url: `http://localhost:${MINA_PORTS.graphql}/graphql`, socketPath };
    const graphql = createMinaClient({
      node: spec.name,
      endpoint,
      signal,
      // node-signed commands unlock the sender first: its key was imported with the run's key password
      unlockPassword: config.keyPassword,
    });
    const nodeLog = join(runDir, "logs", `${spec.name}.log`);
    const keypair = spec.account && keypairOf(spec.account.name, spec.account.keypair);
    return {
      name: spec.name,
      role: spec.role,
      publicKey: spec.account?.keypair.publicKey,
      graphql,
      networkKeypair: () => keypair,
      shouldBeRunning: () => running.has(spec.name),
      getIngressUri: () => {
        const url = options.ingress?.get(spec.name);
        return url ? { url } : endpoint;
      },
      async start(startOptions: StartOptions = {}) {
        log.info({ node: spec.name, fresh_state: startOptions.freshState === true }, "Starting node $node");
        options.onStartRequested?.(spec.name);
        running.add(spec.name);
        if (options.control) await options.control.start(spec.name, { freshState: startOptions.freshState === true });
        else await swarm.startNode(runId, spec.name, { freshState: startOptions.freshState === true, stateDir: paths.stateDirOf(spec.name) });
      },
      async stop() {
        log.info({ node: spec.name }, "Stopping node $node");
        options.onStopRequested?.(spec.name);
        running.delete(spec.name);
        if (options.control) await options.control.stop(spec.name);
        else await swarm.stopNode(runId, spec.name, { timeoutMs: stopWaitMs });
      },
      dumpArchiveData: (dump = {}) => dumpArchiveData({ runId, runDir, config, swarm, log, node: spec.name, ...(dump.dataFile && { dataFile: dump.dataFile }) }),
      async runReplayer(replay = {}) {
        const command = replayerCommand(config, spec.name, replay.startSlotSinceGenesis ?? 0);
        log.info({ node: spec.name }, "Running replayer on archived data (node: $node)");
        const result = await swarm.execInNode(runId, spec.name, command, { timeoutMs: 600_000 });
        // sh's "command not found": an archive image without Mina's replayer (the simulator's has none)
        if (result.exitCode === 127) {
          throw new EngineOperationUnsupported(
            "local",
            "run_replayer",
            `the archive image ${config.images.archive ?? config.images.mina} has no mina-replayer (${result.stderr.trim().slice(0, 300)})`,
            {
              node: spec.name,
              hint: "pass --archive-image with Mina's archive image, which carries mina-replayer",
            },
          );
        }
        if (result.exitCode !== 0) {
          throw new MinaLocalError("docker", `run_replayer on ${spec.name}: mina-replayer exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 1000)}`, {
            hint: "the archive image must have sh and mina-replayer (Mina's archive images do)",
          });
        }
        return result.stdout;
      },
      async dumpMinaLogs({ logFile }) {
        log.info({ node: spec.name, file: logFile }, "Dumping mina logs of $node to file $file");
        await dumpMinaLogs({ node: spec.name, nodeLog, logFile });
      },
      dumpPrecomputedBlocks: (dump = {}) =>
        dumpPrecomputedBlocks({ node: spec.name, nodeLog, dir: dump.dir ?? join(runDir, "precomputed-blocks"), log: (message) => log.info({ node: spec.name }, message) }),
    };
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ofRole = (role: TestNode["role"]) => nodes.filter((n) => n.role === role);
  const constants: GenesisConstants = config.constants;
  const genesisKeypairs = new Map(config.accounts.map((a) => [a.name, keypairOf(a.name, a.keypair)]));
  const node = (name: string): TestNode => {
    const found = byName.get(name);
    if (!found) throw new MinaLocalError("invalid-arguments", `the network has no node named "${name}" (nodes: ${[...byName.keys()].join(", ")})`);
    return found;
  };
  const daemons = nodes.filter((n) => n.role !== "archive");
  return {
    runId,
    seeds: ofRole("seed"),
    allNonSeedNodes: nodes.filter((n) => n.role !== "seed"),
    blockProducers: ofRole("block-producer"),
    snarkCoordinator: ofRole("snark-coordinator")[0],
    snarkCoordinators: ofRole("snark-coordinator"),
    snarkWorkers: ofRole("snark-worker"),
    archiveNodes: ofRole("archive"),
    all: daemons,
    allDaemonNodes: daemons,
    allNodes: nodes,
    constants,
    genesisKeypairs,
    node,
    nodeExn: node,
    blockProducerExn(name) {
      const found = node(name);
      if (found.role !== "block-producer")
        throw new MinaLocalError(
          "invalid-arguments",
          `${name} is not a block producer (block producers: ${ofRole("block-producer")
            .map((n) => n.name)
            .join(", ")})`,
        );
      return found;
    },
    genesisKeypairExn(name) {
      const keypair = genesisKeypairs.get(name);
      if (!keypair) throw new MinaLocalError("invalid-arguments", `the genesis ledger has no account named "${name}"`);
      return keypair;
    },
    account(name): TestAccount {
      const account = config.accounts.find((a) => a.name === name);
      if (!account) throw new MinaLocalError("invalid-arguments", `the genesis ledger has no account named "${name}"`);
      return { name, publicKey: account.keypair.publicKey, privateKey: account.keypair.privateKey, balance: account.balance };
    },
    markRunning: (name) => void running.add(name),
    async close() {
      await Promise.all(nodes.map((n) => n.graphql.close()));
    },
  };
}

function keypairOf(name: string, keypair: { publicKey: string; privateKey: string }): NetworkKeypair {
  return { keypairName: name, publicKey: keypair.publicKey, privateKey: keypair.privateKey };
}
