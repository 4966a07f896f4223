import { parseMina } from "@mina-local/engine";
import { commonPrefixOf, compareBestChains, fetchBestChains } from "../dsl/chains.js";
import { defineTest } from "../dsl/define-test.js";
import { blocksToBeProduced, nodesToInitialize, nodesToSynchronize, signedCommandToBeIncluded, withTimeouts } from "../dsl/wait-conditions.js";

/*
 * Ported from Mina's src/app/test_executive/chain_reliability_test.ml (develop 9f068b1c3b),
 * section by section, with Mina's section names and balances.
 */

/**
 * Mina's blocks_to_be_produced with twice its slots: Mina's 2n+1 slots are minutes of 3-minute
 * slots, where the event pipeline's lag is nothing; with this test's 1-1.5 s slots, counting
 * chain height growth only (as Mina does), on a machine shared by several networks, it is a few slots.
 */
const blocksProduced = (n: number) => withTimeouts(blocksToBeProduced(n), { soft: { slots: 4 * n + 2 }, hard: { slots: 2 * (4 * n + 2) } });

const K = 4;
/** Mina: soft 3 slots, hard 15 minutes, of 3-minute slots; a restarted daemon's catch-up does not shrink with 1.5 s slots */
const SYNC_TIMEOUTS = { soft: { slots: 24 }, hard: { slots: 48 } } as const;
const mina = (text: string) => parseMina(text) ?? 0n;

/**
 * Mina's chain-reliability test: node-c (no stake) is stopped while blocks are produced and
 * restarted with a fresh state; it initializes and synchronizes with the others; three
 * payments are included; then the nodes' best chains share all but at most one block (Mina's
 * check_common_prefixes, tolerance 1), and (ours) no node replaced a block k deep on another.
 * `broken` requires the common prefix to be one block longer than the longest best chain.
 */
export function makeChainReliability(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "chain-reliability",
    description: "a node restarted with a fresh state initializes and synchronizes; payments are included; best chains share all but the newest block and no k-deep block differs",
    config: {
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
      k: K,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: 1500 },
    },
    async run(t) {
      const names = t.network.all.map((n) => n.name);
      const producers = t.network.blockProducers.map((n) => n.name);
      const nodeA = t.network.node("node-a");
      const nodeB = t.network.node("node-b");
      const nodeC = t.network.node("node-c");

      // Mina waits outside any section (a failure stops the test); every other part is a `section` (soft)
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(names)));

      await t.section("blocks are produced", () => t.waitFor(blocksProduced(2)));

      await t.section("short bootstrap", async () => {
        await nodeC.stop();
        t.log.info({ node: nodeC.name }, "$node stopped, will now wait for blocks to be produced");
        await t.waitFor(blocksProduced(2));
        const freshBootsBefore = t.state().persistedFrontierFreshBoots[nodeC.name] ?? 0;
        await nodeC.start({ freshState: true });
        t.log.info({ node: nodeC.name }, "$node started again, will now wait for this node to initialize");
        await t.waitFor(nodesToInitialize([nodeC.name]));
        // ours: Mina logs Persisted_frontier_fresh_boot when the frontier database does not exist (transition_frontier.ml)
        t.assertEqual(t.state().persistedFrontierFreshBoots[nodeC.name] ?? 0, freshBootsBefore + 1, `fresh boots of ${nodeC.name}'s persisted frontier (it came back with a fresh state)`, nodeC.name);
        await t.waitFor(withTimeouts(nodesToSynchronize(producers), SYNC_TIMEOUTS));
      });

      await t.section("set up for checking for shared state, send a several payments and wait for them to be added to chain", async () => {
        const receiver = t.network.account("node-a-key").publicKey;
        const sender = t.network.account("node-b-key").publicKey;
        const numPayments = 3;
        t.log.info({ count: numPayments }, "chain_reliability_test: will now send $count payments");
        // Mina's send_payments: node-b signs each with the key it holds (must_send_online_payment)
        const hashes: string[] = [];
        for (let i = 0; i < numPayments; i++) {
          const sent = await nodeB.graphql.sendPayment({ from: sender, to: receiver, amount: mina("10"), fee: mina("1") });
          t.log.info({ n: i + 1, hash: sent.hash, nonce: sent.nonce }, "sending multiple payments: payment #$n sent with hash of $hash and nonce of $nonce.");
          hashes.push(sent.hash);
        }
        // Mina's wait_for_payments: each included on any node
        for (const hash of hashes) await t.waitFor(signedCommandToBeIncluded(hash));
        t.log.info({}, "chain_reliability_test: finished waiting for payments");
      });

      await t.section("common prefix of all nodes is no farther back than 1 block", async () => {
        // ours: Mina fetches at once, with 3-minute slots the nodes agree at almost any instant; with 1.5 s slots a
        // block can be in flight, so the nodes synchronize first
        await t.waitFor(withTimeouts(nodesToSynchronize(names), SYNC_TIMEOUTS));
        const chains = await fetchBestChains(t.network.all);
        for (const [node, chain] of Object.entries(chains)) t.log.info({ node, chain: chain.map((b) => b.stateHash) }, "chain of $node: $chain");
        const prefix = commonPrefixOf(chains);
        const tolerance = 1;
        const ok = options.broken ? prefix.commonLength > prefix.longestLength : prefix.difference <= tolerance;
        t.assert(
          ok,
          `Chains have common prefix of ${prefix.commonLength} blocks, longest absolute chain is ${prefix.longestLength} blocks.  the difference is ${prefix.difference} blocks, which is greater than allowed tolerance of ${options.broken ? -1 : tolerance} blocks`,
          nodeA.name,
        );
        // ours: finality, a block k deep on one node's best chain is on every other node's at its height
        const comparison = compareBestChains(chains, K);
        t.assert(comparison.finalityConflicts.length === 0, `k-deep blocks differ between nodes: ${comparison.finalityConflicts.join("; ")}`);
      });
    },
  });
}

export default makeChainReliability();
