import type { GenesisConstants } from "@mina-local/engine";
import type { TestNetwork } from "../dsl/define-test.js";

/** A network with no node, for DSL tests that only feed events: every lookup fails naming the fake. */
export function emptyTestNetwork(constants: GenesisConstants): TestNetwork {
  const none =
    (what: string) =>
    (name: string): never => {
      throw new Error(`no ${what} ${name} in this fake network`);
    };
  return {
    runId: "fake",
    seeds: [],
    allNonSeedNodes: [],
    blockProducers: [],
    snarkCoordinator: undefined,
    snarkCoordinators: [],
    snarkWorkers: [],
    archiveNodes: [],
    all: [],
    allDaemonNodes: [],
    allNodes: [],
    constants,
    genesisKeypairs: new Map(),
    node: none("node"),
    nodeExn: none("node"),
    blockProducerExn: none("block producer"),
    genesisKeypairExn: none("account"),
    account: none("account"),
  };
}
