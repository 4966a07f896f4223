import { parseMina } from "@mina-local/engine";
import { signStakeDelegation, type Block } from "@mina-local/graphql-client";
import { blocksToBeProducedByEach } from "../dsl/chain-waits.js";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { blockProducerKnown, nodesToInitialize, producerOf, signedCommandToBeIncluded } from "../dsl/wait-conditions.js";

const mina = (text: string) => parseMina(text) ?? 0n;
const SLOTS_PER_EPOCH = 24;

/**
 * Mina's delegation test (src/app/test_executive/delegation_test.ml, develop 9f068b1c3b): an
 * account that runs no node delegates its stake to a producer whose own stake is negligible.
 * The delegation is included and GraphQL reports the new delegate (Mina's test ends there,
 * with its replayer); then, ours, the delegate wins slots with the delegated stake, never
 * before Mina's consensus lets it: the staking ledger of epoch e is the snarked ledger at the
 * end of epoch e-2 (Epoch_data.update_pair, src/lib/consensus/proof_of_stake.ml), so not
 * before two epochs after the delegation's, and only once a ledger proof covers it (hence
 * the snark coordinator). `broken` expects the delegate's first block one epoch after the
 * delegation's (the simulator's old one-epoch lag).
 */
export function makeDelegation(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "delegation",
    description: "a delegation is included, GraphQL shows the new delegate, and the delegate produces blocks with the stake, not before two epochs after the delegation's (Mina's staking ledger lag)",
    config: {
      genesis_ledger: [
        { account_name: "bp1-key", balance: "600000" },
        // negligible stake: bp2 wins no slot on its own
        { account_name: "bp2-key", balance: "1" },
        { account_name: "delegator-key", balance: "400000" },
        { account_name: "snark-node-key", balance: "10" },
      ],
      block_producers: [
        { node_name: "bp1", account_name: "bp1-key" },
        { node_name: "bp2", account_name: "bp2-key" },
      ],
      // ledger proofs: the next epoch ledger is taken from the snarked ledger (no proof, no stake change)
      snark_coordinator: { node_name: "snark-node", account_name: "snark-node-key", worker_nodes: 2 },
      snark_worker_fee: "0.01",
      k: 8,
      slots_per_epoch: SLOTS_PER_EPOCH,
      proof_config: { block_window_duration_ms: 1000, transaction_capacity_log_2: 2, work_delay: 1 },
    },
    async run(t) {
      const [bp1, bp2] = t.network.blockProducers;
      if (!bp1 || !bp2) throw new TestFailure("the test needs two block producers");
      const delegator = t.network.account("delegator-key");
      const delegate = t.network.account("bp2-key");
      const fee = mina("0.1");
      const epochOf = (slot: number) => Math.floor(slot / SLOTS_PER_EPOCH);

      // Mina's delegation_test.ml waits outside any section (a failure stops the test); its delegation part is a `section` (soft)
      // the workers run no daemon: they log no Node_initialization
      const daemons = t.network.all.filter((n) => n.role !== "snark-worker").map((n) => n.name);
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(daemons)));

      let delegationEpoch: number | undefined;
      await t.section("send a delegation to bp2 and wait for its inclusion", async () => {
        const signed = signStakeDelegation(delegator.privateKey, { from: delegator.publicKey, to: delegate.publicKey, fee, nonce: 0 });
        const sent = await bp1.graphql.sendSignedDelegation(signed.delegation, signed.signature);
        t.assertEqual(sent.hash, signed.hash, "hash of the signed delegation", bp1.name);
        await t.waitFor(signedCommandToBeIncluded(sent.hash, "delegator -> bp2"));
        const included = t.state().includedCommands[sent.hash];
        if (!included) throw new TestFailure("the delegation's block is not known");
        // another node's Breadcrumb_added can reach the bus before the producer's Block_produced: wait for the latter (bounded)
        await t.waitFor(blockProducerKnown(included.stateHash));
        const block = producerOf(t.state(), included.stateHash);
        if (!block) throw new TestFailure(`the block that included the delegation (${included.stateHash}) was not produced by a node of the network`);
        delegationEpoch = epochOf(block.slot);
        t.log.info({ height: block.height, slot: block.slot, epoch: delegationEpoch, producer: block.node }, "The delegation is in $producer's block at height $height, slot $slot, epoch $epoch");
      });

      await t.section("check the new delegate through GraphQL", async () => {
        const account = await bp1.graphql.account(delegator.publicKey);
        if (!account) throw new TestFailure(`bp1 has no account ${delegator.publicKey}`, "hard", bp1.name);
        t.assertEqual(account.delegate, delegate.publicKey, "the delegator's delegate", bp1.name);
        t.assertEqual(account.nonce, 1, "the delegator's nonce", bp1.name);
        t.assertEqual(account.balance.total, delegator.balance - fee, "the delegator's balance (genesis - fee)", bp1.name);
      });

      await t.section("check bp2 produces with the delegated stake, not before two epochs after the delegation's", async () => {
        const landedIn = delegationEpoch;
        if (landedIn === undefined) throw new TestFailure("the delegation's epoch is not known (its section failed)");
        // epoch landedIn + 2 at the earliest, + 3 when no ledger proof covered the delegation before its epoch ended
        await t.waitFor(blocksToBeProducedByEach([bp2.name], 1, { soft: { slots: 3 * SLOTS_PER_EPOCH }, hard: { slots: 4 * SLOTS_PER_EPOCH } }));
        const mine = Object.values(t.state().producedStateHashes).filter((b) => b.node === bp2.name);
        const firstEpoch = Math.min(...mine.map((b) => epochOf(b.slot)));
        if (options.broken) t.assertEqual(firstEpoch, landedIn + 1, `epoch of bp2's first block (the delegation landed in epoch ${landedIn})`, bp2.name);
        else t.assert(firstEpoch >= landedIn + 2, `bp2's first block is in epoch ${firstEpoch}, before epoch ${landedIn + 2}: the delegation (epoch ${landedIn}) counted too early`, bp2.name);
        // a block of bp2 may lose to bp1's of the same height: wait for more until one is on the best chain
        let won: Block[] = [];
        for (let attempt = 0; attempt < 4; attempt++) {
          won = (await bp2.graphql.bestChain(SLOTS_PER_EPOCH)).filter((b) => b.creator === delegate.publicKey);
          if (won.length > 0) break;
          await t.waitFor(blocksToBeProducedByEach([bp2.name], 1, { soft: { slots: 12 }, hard: { slots: 24 } }));
        }
        t.assert(won.length > 0, "bp2's best chain holds none of its blocks", bp2.name);
        t.assert(
          won.every((b) => b.epoch >= landedIn + 2),
          `bp2 has blocks before epoch ${landedIn + 2}: ${won.map((b) => `${b.height}@${b.epoch}`).join(", ")}`,
          bp2.name,
        );
        t.log.info({ blocks: won.length, epoch: firstEpoch }, "bp2 produced from epoch $epoch on ($blocks blocks in its best chain)");
      });
    },
  });
}

export default makeDelegation();
