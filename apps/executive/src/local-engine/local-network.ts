import { MINA_PORTS, MinaLocalError, type GenesisConstants, type NetworkConfig, type StartOptions } from "@mina-local/engine";
import { dumpArchiveData } from "./archive-dump.js";
import { runPaths } from "@mina-local/compose-generator";
import { createMinaClient } from "@mina-local/graphql-client";
import type { SwarmManager } from "@mina-local/swarm-manager";
import type { TestAccount, TestNetwork, TestNode } from "../dsl/define-test.js";
import type { ModuleLogger } from "../logger.js";

/**
 * The network a test drives: node handles whose GraphQL goes through each node's
 * forwarder socket in the run directory (no port published) and whose start/stop go
 * through the swarm manager.
 */
export function localTestNetwork(options: {
  runId: string;
  runDir: string;
  config: NetworkConfig;
  swarm: SwarmManager;
  log: ModuleLogger;
  signal: AbortSignal;
  /** told before each stop and start request, so that a node's shutdown lines are not counted as its errors */
  onStopRequested?: (node: string) => void;
  onStartRequested?: (node: string) => void;
  /** a node stop's SIGTERM-to-SIGKILL time in the forwarder (`--node-stop-timeout`) */
  nodeStopTimeoutMs?: number;
}): TestNetwork & { close(): Promise<void> } {
  const { runId, runDir, config, swarm, log, signal } = options;
  // the forwarder's SIGKILL comes at the node stop timeout; the stop is awaited a little beyond it
  const stopWaitMs = (options.nodeStopTimeoutMs ?? 600_000) + 30_000;
  const paths = runPaths(runDir);
  const nodes: TestNode[] = config.nodes.map((spec) => {
    const graphql = createMinaClient({
      node: spec.name,
      endpoint: { url: `http://localhost:${MINA_PORTS.graphql}/graphql`, socketPath: paths.socketOf(spec.name) },
      signal,
      // node-signed commands unlock the sender first: its key was imported with the run's key password
      unlockPassword: config.keyPassword,
    });
    return {
      name: spec.name,
      role: spec.role,
      publicKey: spec.account?.keypair.publicKey,
      graphql,
      async start(startOptions: StartOptions = {}) {
        log.info({ node: spec.name, fresh_state: startOptions.freshState === true }, "Starting node $node");
        options.onStartRequested?.(spec.name);
        await swarm.startNode(runId, spec.name, { freshState: startOptions.freshState === true, stateDir: paths.stateDirOf(spec.name) });
      },
      async stop() {
        log.info({ node: spec.name }, "Stopping node $node");
        options.onStopRequested?.(spec.name);
        await swarm.stopNode(runId, spec.name, { timeoutMs: stopWaitMs });
      },
      dumpArchiveData: () => dumpArchiveData({ runId, runDir, config, swarm, log, node: spec.name }),
    };
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ofRole = (role: TestNode["role"]) => nodes.filter((n) => n.role === role);
  const constants: GenesisConstants = config.constants;
  return {
    seeds: ofRole("seed"),
    blockProducers: ofRole("block-producer"),
    snarkCoordinator: ofRole("snark-coordinator")[0],
    snarkWorkers: ofRole("snark-worker"),
    archiveNodes: ofRole("archive"),
    all: nodes.filter((n) => n.role !== "archive"),
    constants,
    node(name) {
      const node = byName.get(name);
      if (!node) throw new MinaLocalError("invalid-arguments", `the network has no node named "${name}" (nodes: ${[...byName.keys()].join(", ")})`);
      return node;
    },
    account(name): TestAccount {
      const account = config.accounts.find((a) => a.name === name);
      if (!account) throw new MinaLocalError("invalid-arguments", `the genesis ledger has no account named "${name}"`);
      return { name, publicKey: account.keypair.publicKey, privateKey: account.keypair.privateKey, balance: account.balance };
    },
    async close() {
      await Promise.all(nodes.map((n) => n.graphql.close()));
    },
  };
}
