import { compareBestChains, fetchBestChains } from "../dsl/chains.js";
import { defineTest } from "../dsl/define-test.js";
import { blockHeightToPassTipOf, blocksToBeProduced, nodeToInitializeAfterBootstraps, nodesToInitialize, nodesToSynchronize, persistedFrontierLoaded, withTimeouts } from "../dsl/wait-conditions.js";

/**
 * Mina's blocks_to_be_produced with twice its slots: Mina's 2n+1 slots are minutes of 3-minute
 * slots, where the event pipeline's lag is nothing; with this test's 1-1.5 s slots, counting
 * chain height growth only (as Mina does), on a machine shared by several networks, it is a few slots.
 */
const blocksProduced = (n: number) => withTimeouts(blocksToBeProduced(n), { soft: { slots: 4 * n + 2 }, hard: { slots: 2 * (4 * n + 2) } });

const K = 3;

/**
 * Mina's medium-bootstrap test: a node down while the chain grows more than k blocks past
 * its best tip finds its persisted frontier too old when it comes back, bootstraps (once),
 * and then agrees with the network. `broken` expects it to come back without bootstrapping.
 */
export function makeMediumBootstrap(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "medium-bootstrap",
    description: "a node down for more than k blocks loads its old frontier, bootstraps once, and then agrees with the network's best chain",
    config: {
      genesis_ledger: [
        { account_name: "node-a-key", balance: "450000" },
        { account_name: "node-b-key", balance: "450000" },
        { account_name: "node-c-key", balance: "100000" },
      ],
      block_producers: [
        { node_name: "node-a", account_name: "node-a-key" },
        { node_name: "node-b", account_name: "node-b-key" },
        { node_name: "node-c", account_name: "node-c-key" },
      ],
      k: K,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: 1500 },
    },
    async run(t) {
      const names = t.network.all.map((n) => n.name);
      const nodeC = t.network.node("node-c");

      // every part of Mina's medium_bootstrap.ml is a section_hard: a failure stops the test
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(names)));

      await t.sectionHard("blocks are produced", () => t.waitFor(blocksProduced(1)));

      await t.sectionHard(`stop a node while the chain grows more than k (${K}) blocks past its best tip`, async () => {
        await nodeC.stop();
        // two past k: the chain may not reach the restarted node before it asks for the best tip
        await t.waitFor(blockHeightToPassTipOf(nodeC.name, K + 2));
      });

      await t.sectionHard("restart it: it loads its persisted frontier and bootstraps", async () => {
        // counted from before the start: the node may log them before a wait set up after start() begins
        const since = t.state();
        await nodeC.start();
        // Mina's 4/8 slots are 12/24 minutes of 3-minute slots; a daemon's restart does not shrink with 1 s slots
        await t.waitFor(withTimeouts(persistedFrontierLoaded(nodeC.name, { since }), { soft: { ms: 180_000 }, hard: { ms: 300_000 } }));
        await t.waitFor(nodeToInitializeAfterBootstraps(nodeC.name, options.broken ? 0 : 1, { since }));
      });

      await t.sectionHard("the bootstrapped node agrees with the network", async () => {
        await t.waitFor(withTimeouts(nodesToSynchronize(names), { soft: { slots: 24 }, hard: { slots: 48 } }));
        const comparison = compareBestChains(await fetchBestChains(t.network.all), K);
        t.log.info({ tips: comparison.tips, agreed_up_to: comparison.agreedUpTo }, "Best tips $tips; common prefix up to $agreed_up_to");
        t.assert(comparison.finalityConflicts.length === 0, `k-deep blocks differ between nodes: ${comparison.finalityConflicts.join("; ")}`);
        t.assert(
          comparison.agreedUpTo !== undefined && comparison.agreedUpTo >= comparison.highestTip - 1,
          `the nodes' best chains agree up to height ${comparison.agreedUpTo ?? "none"}, expected at least ${comparison.highestTip - 1} (best tips ${JSON.stringify(comparison.tips)})`,
        );
      });
    },
  });
}

export default makeMediumBootstrap();
