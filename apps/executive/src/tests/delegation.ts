import { parseMina } from "@mina-local/engine";
import { signStakeDelegation, type Block } from "@mina-local/graphql-client";
import { blocksToBeProducedByEach } from "../dsl/chain-waits.js";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { blockProducerKnown, nodesToInitialize, producerOf, signedCommandToBeIncluded } from "../dsl/wait-conditions.js";

const mina = (text: string) => parseMina(text) ?? 0n;
const SLOTS_PER_EPOCH = 24;

/**
 * Mina's delegation test: an account that runs no node delegates its stake to a producer
 * whose own stake is negligible. The delegation is included, GraphQL reports the new
 * delegate, and the delegate starts winning slots with the delegated stake from the epoch
 * after the one the delegation landed in (the simulator's staking ledger is the ledger at
 * the end of the previous epoch), never before. `broken` expects the delegate's first block
 * in the delegation's own epoch.
 */
export function makeDelegation(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "delegation",
    description: "a delegation is included, GraphQL shows the new delegate, and the delegate produces blocks with the stake from the next epoch on, not before",
    config: {
      genesis_ledger: [
        { account_name: "bp1-key", balance: "600000" },
        // negligible stake: bp2 wins no slot on its own
        { account_name: "bp2-key", balance: "1" },
        { account_name: "delegator-key", balance: "400000" },
      ],
      block_producers: [
        { node_name: "bp1", account_name: "bp1-key" },
        { node_name: "bp2", account_name: "bp2-key" },
      ],
      k: 8,
      slots_per_epoch: SLOTS_PER_EPOCH,
      proof_config: { block_window_duration_ms: 1000 },
    },
    async run(t) {
      const [bp1, bp2] = t.network.blockProducers;
      if (!bp1 || !bp2) throw new TestFailure("the test needs two block producers");
      const delegator = t.network.account("delegator-key");
      const delegate = t.network.account("bp2-key");
      const fee = mina("0.1");
      const epochOf = (slot: number) => Math.floor(slot / SLOTS_PER_EPOCH);

      // Mina's delegation_test.ml waits outside any section (a failure stops the test); its delegation part is a `section` (soft)
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));

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

      await t.section("check bp2 produces with the delegated stake from the next epoch on, not before", async () => {
        const landedIn = delegationEpoch;
        if (landedIn === undefined) throw new TestFailure("the delegation's epoch is not known (its section failed)");
        await t.waitFor(blocksToBeProducedByEach([bp2.name], 1, { soft: { slots: 2 * SLOTS_PER_EPOCH }, hard: { slots: 3 * SLOTS_PER_EPOCH } }));
        const mine = Object.values(t.state().producedStateHashes).filter((b) => b.node === bp2.name);
        const firstEpoch = Math.min(...mine.map((b) => epochOf(b.slot)));
        const expectedEpoch = landedIn + (options.broken ? 0 : 1);
        t.assertEqual(firstEpoch, expectedEpoch, `epoch of bp2's first block (the delegation landed in epoch ${landedIn})`, bp2.name);
        // a block of bp2 may lose to bp1's of the same height: wait for more until one is on the best chain
        let won: Block[] = [];
        for (let attempt = 0; attempt < 4; attempt++) {
          won = (await bp2.graphql.bestChain(SLOTS_PER_EPOCH)).filter((b) => b.creator === delegate.publicKey);
          if (won.length > 0) break;
          await t.waitFor(blocksToBeProducedByEach([bp2.name], 1, { soft: { slots: 12 }, hard: { slots: 24 } }));
        }
        t.assert(won.length > 0, "bp2's best chain holds none of its blocks", bp2.name);
        t.assert(won.every((b) => b.epoch >= landedIn + 1), `bp2 has blocks before epoch ${landedIn + 1}: ${won.map((b) => `${b.height}@${b.epoch}`).join(", ")}`, bp2.name);
        t.log.info({ blocks: won.length, epoch: firstEpoch }, "bp2 produced from epoch $epoch on ($blocks blocks in its best chain)");
      });
    },
  });
}

export default makeDelegation();
