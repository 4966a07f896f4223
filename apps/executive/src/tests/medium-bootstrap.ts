import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { fetchConnectivityData, peersNotCompletelyConnected } from "../dsl/peers.js";
import { blocksToBeProduced, nodesToInitialize, nodesToSynchronize, transitionFrontierLoadedFromPersistence, withTimeouts } from "../dsl/wait-conditions.js";

/*
 * Ported from Mina's src/app/test_executive/medium_bootstrap.ml (develop 9f068b1c3b), section by
 * section, with Mina's section names (two pairs share a name, as in Mina), kinds (every one a
 * `section_hard`), k and balances. What differs, and why, is said where it differs (and in
 * docs/tests.md).
 */

/**
 * Mina's blocks_to_be_produced with twice its slots: Mina's 2n+1 slots are minutes of its
 * 2-minute slots, where the event pipeline's lag is nothing; with this test's short slots, on a
 * machine shared by several networks, it is a few slots.
 */
const blocksProduced = (n: number) => withTimeouts(blocksToBeProduced(n), { soft: { slots: 4 * n + 2 }, hard: { slots: 2 * (4 * n + 2) } });
/** Mina's nodes_to_synchronize (4 and 6 slots of minutes): a restarted daemon's start does not shrink with short slots */
const SYNC_TIMEOUTS = { soft: { slots: 24 }, hard: { slots: 48 } } as const;
/** Mina sleeps 240 s, two of its default 2-minute slots (test_config.ml), before each connectivity check: two slots here */
const SETTLE_SLOTS = 2;

/**
 * Mina's medium-bootstrap test: node-c (no stake) is stopped for 2k+1 blocks and started again
 * with a fresh state, so that it must bootstrap; it initializes and synchronizes and the network
 * is fully connected; after one more block it is stopped for one block and started on its own
 * data, loads its frontier from persistence without a fresh boot or a bootstrap, initializes and
 * synchronizes, and the network is fully connected again. `broken` expects each node to be
 * connected to itself too, which no node is: the first connectivity check fails (a Mina
 * `section_hard`: a hard error, and the test stops).
 */
export function makeMediumBootstrap(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "medium-bootstrap",
    description:
      "a node stopped for 2k+1 blocks and restarted with a fresh state, then stopped for 1 block and restarted on its data (loaded from persistence, no bootstrap), synchronizes each time; the network is fully connected after each restart",
    config: {
      k: 2,
      genesis_ledger: [
        { account_name: "node-a-key", balance: "1000" },
        { account_name: "node-b-key", balance: "1000" },
        { account_name: "node-c-key", balance: "0" },
      ],
      block_producers: [
        { node_name: "node-a", account_name: "node-a-key" },
        { node_name: "node-b", account_name: "node-b-key" },
        { node_name: "node-c", account_name: "node-c-key" },
      ],
      // Mina's slots per epoch (480) is its default; its slots are 2 minutes (test_config.ml)
      proof_config: { block_window_duration_ms: 1500 },
    },
    async run(t) {
      const allNodes = t.network.all;
      const nodeA = t.network.node("node-a");
      const nodeB = t.network.node("node-b");
      const nodeC = t.network.node("node-c");
      const producers = [nodeA.name, nodeB.name, nodeC.name];

      const fullyConnectedAfterRestart = (broken: boolean) =>
        t.sectionHard("network is fully connected after one node was restarted", async () => {
          await new Promise((resolve) => setTimeout(resolve, SETTLE_SLOTS * t.network.constants.blockWindowDurationMs));
          const problems = peersNotCompletelyConnected(await fetchConnectivityData(allNodes), { requireSelf: broken });
          if (problems.length > 0) throw new TestFailure(problems.join("; "));
        });

      await t.sectionHard("Wait for nodes to initialize", () => t.waitFor(nodesToInitialize(allNodes.map((n) => n.name))));

      await t.sectionHard("blocks are produced", () => t.waitFor(blocksProduced(1)));

      await t.sectionHard("restart node after 2k+1, ie 5, blocks", async () => {
        await nodeC.stop();
        t.log.info({ node: nodeC.name }, "$node stopped, will now wait for blocks to be produced");
        await t.waitFor(blocksProduced(5));
        await nodeC.start({ freshState: true });
        t.log.info({ node: nodeC.name }, "$node started again, will now wait for this node to initialize");
        await t.waitFor(nodesToInitialize([nodeC.name]));
        await t.waitFor(withTimeouts(nodesToSynchronize(producers), SYNC_TIMEOUTS));
      });

      await fullyConnectedAfterRestart(options.broken ?? false);

      await t.sectionHard("blocks are produced", () => t.waitFor(blocksProduced(1)));

      await t.sectionHard("restart node with the same state after 1 block", async () => {
        await nodeC.stop();
        t.log.info({ node: nodeC.name }, "$node stopped, will now wait for blocks to be produced");
        await t.waitFor(blocksProduced(1));
        // counted from before the start: the node may log them before a wait set up after start() returns
        const since = t.state();
        await nodeC.start({ freshState: false });
        t.log.info({ node: nodeC.name }, "$node started again on same data, will now wait for this node to initialize");
        await t.waitFor(transitionFrontierLoadedFromPersistence({ freshData: false, syncNeeded: false, since }));
        await t.waitFor(nodesToInitialize([nodeC.name]));
        await t.waitFor(withTimeouts(nodesToSynchronize(producers), SYNC_TIMEOUTS));
      });

      await fullyConnectedAfterRestart(false);
    },
  });
}

export default makeMediumBootstrap();
