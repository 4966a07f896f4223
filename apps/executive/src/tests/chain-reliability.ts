import { compareBestChains, fetchBestChains } from "../dsl/chains.js";
import { defineTest } from "../dsl/define-test.js";
import { blockHeightGrowth, blocksToBeProduced, nodesToInitialize, nodesToSynchronize, withTimeouts } from "../dsl/wait-conditions.js";

/**
 * Mina's blocks_to_be_produced with twice its slots: Mina's 2n+1 slots are minutes of 3-minute
 * slots, where the event pipeline's lag is nothing; with this test's 1-1.5 s slots, counting
 * chain height growth only (as Mina does), on a machine shared by several networks, it is a few slots.
 */
const blocksProduced = (n: number) => withTimeouts(blocksToBeProduced(n), { soft: { slots: 4 * n + 2 }, hard: { slots: 2 * (4 * n + 2) } });

const K = 4;

/**
 * Mina's chain-reliability test: a node restarted with a fresh state mid-run comes back,
 * agrees on the best tip, and the network keeps finality: the nodes' best chains share all
 * but at most the newest block, and no node replaced a block that is k deep on another.
 * `broken` requires the common prefix to reach one block past the highest best tip.
 */
const SYNC_TIMEOUTS = { soft: { slots: 24 }, hard: { slots: 48 } } as const;

export function makeChainReliability(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "chain-reliability",
    description: "a node restarted with a fresh state catches up and agrees on the best tip; best chains share all but the newest block and no k-deep block differs",
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
      const producers = t.network.blockProducers.map((n) => n.name);
      const nodeC = t.network.node("node-c");

      // Mina's chain_reliability_test.ml waits outside any section (a failure stops the test); every other part is a `section` (soft)
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(names)));

      await t.section("blocks are produced", () => t.waitFor(blocksProduced(2)));

      await t.section("restart a node with a fresh state: it catches up and agrees on the best tip", async () => {
        await nodeC.stop();
        await t.waitFor(blocksProduced(1));
        const freshBootsBefore = t.state().persistedFrontierFreshBoots[nodeC.name] ?? 0;
        await nodeC.start({ freshState: true });
        await t.waitFor(nodesToInitialize([nodeC.name]));
        // Mina logs Persisted_frontier_fresh_boot when the frontier database does not exist (transition_frontier.ml)
        t.assertEqual(t.state().persistedFrontierFreshBoots[nodeC.name] ?? 0, freshBootsBefore + 1, `fresh boots of ${nodeC.name}'s persisted frontier (it came back with a fresh state)`, nodeC.name);
        // Mina: soft 3 slots, hard 15 minutes, with 3-minute slots; a restarted daemon's catch-up does not shrink with 1.5 s slots
        await t.waitFor(withTimeouts(nodesToSynchronize(producers), SYNC_TIMEOUTS));
      });

      // blocks made after the restart become final (k deep) on every node, the restarted one too
      await t.section("the chain grows k+1 blocks after the restart", () =>
        t.waitFor(withTimeouts(blockHeightGrowth(K + 1), { soft: { slots: 3 * (K + 1) + 2 }, hard: { slots: 6 * (K + 1) + 4 } })),
      );

      await t.section("common prefix of all nodes is no farther back than 1 block, and k-deep blocks agree", async () => {
        await t.waitFor(withTimeouts(nodesToSynchronize(names), SYNC_TIMEOUTS));
        const comparison = compareBestChains(await fetchBestChains(t.network.all), K);
        t.log.info({ tips: comparison.tips, agreed_up_to: comparison.agreedUpTo }, "Best tips $tips; common prefix up to $agreed_up_to");
        t.assert(comparison.finalityConflicts.length === 0, `k-deep blocks differ between nodes: ${comparison.finalityConflicts.join("; ")}`);
        const required = options.broken ? comparison.highestTip + 1 : comparison.highestTip - 1;
        t.assert(
          comparison.agreedUpTo !== undefined && comparison.agreedUpTo >= required,
          `the nodes' best chains agree up to height ${comparison.agreedUpTo ?? "none"}, expected at least ${required} (best tips ${JSON.stringify(comparison.tips)})`,
        );
      });
    },
  });
}

export default makeChainReliability();
