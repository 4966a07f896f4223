import { DEFAULT_COINBASE, formatMina, parseMina } from "@mina-local/engine";
import { signPayment } from "@mina-local/graphql-client";
import { blocksToBeProducedByEach, commandsToBeIncluded } from "../dsl/chain-waits.js";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { blocksCreatedBy, rewardsOver, snapshotRewards } from "../dsl/reward-accounting.js";
import { nodesToInitialize } from "../dsl/wait-conditions.js";

const mina = (text: string) => parseMina(text) ?? 0n;

/** Mina's supercharged_coinbase_factor for this test (develop 9f068b1c3b builds have 1; the runtime config may set it) */
const SUPERCHARGED_COINBASE_FACTOR = 2;

/**
 * Mina's block-reward test (src/app/test_executive/block_reward_test.ml, develop 9f068b1c3b:
 * one producer's balance is its genesis balance + 720 MINA after a block), for every block
 * of the best chain and two producers: Mina's coinbase is constraint_constants.coinbase_amount
 * (720 MINA, src/config/coinbase/realistic.mlh), times supercharged_coinbase_factor when the
 * block's winner has no locked tokens in the staking ledger (block_producer.ml,
 * Staged_ledger.can_apply_supercharged_coinbase_exn / coinbase_amount). The factor is set to
 * 2 here (proof_config.supercharged_coinbase_factor) so that the rule shows: bp1 is untimed
 * (supercharged: 1440 MINA), bp2's whole balance is locked (720 MINA). A producer's balance
 * grows by its blocks' coinbases plus their commands' fees minus the snark fees, accounted
 * block by block from genesis (k is large enough for the whole chain to stay in the
 * frontier). `broken` expects one coinbase too many for each producer.
 */
export function makeBlockReward(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "block-reward",
    description: "each block producer's balance grows by Mina's coinbase (720 MINA, supercharged x2 for the unlocked producer) plus its commands' fees for every block of the best chain it produced",
    config: {
      genesis_ledger: [
        { account_name: "bp1-key", balance: "400000" },
        // every token locked until slot 100000: bp2's coinbase is never supercharged
        { account_name: "bp2-key", balance: "300000", timing: { initial_minimum_balance: "300000", cliff_time: 100000, cliff_amount: "300000", vesting_period: 1, vesting_increment: "0" } },
        { account_name: "fish-key", balance: "1000" },
        { account_name: "receiver-key", balance: "10" },
      ],
      block_producers: [
        { node_name: "bp1", account_name: "bp1-key" },
        { node_name: "bp2", account_name: "bp2-key" },
      ],
      k: 40,
      slots_per_epoch: 120,
      proof_config: { block_window_duration_ms: 1000, supercharged_coinbase_factor: SUPERCHARGED_COINBASE_FACTOR },
    },
    async run(t) {
      const [bp1, bp2] = t.network.blockProducers;
      if (!bp1 || !bp2) throw new TestFailure("the test needs two block producers");
      const supercharged = DEFAULT_COINBASE * BigInt(SUPERCHARGED_COINBASE_FACTOR);
      const producers = [
        { node: bp1, account: t.network.account("bp1-key"), coinbase: supercharged },
        { node: bp2, account: t.network.account("bp2-key"), coinbase: DEFAULT_COINBASE },
      ];
      const coinbaseOf = (creator: string) => producers.find((p) => p.account.publicKey === creator)?.coinbase;
      const fish = t.network.account("fish-key");
      const receiver = t.network.account("receiver-key");

      // Mina's block_reward_test.ml waits outside any section, then section_hard "wait for 1 block to be produced":
      // a failure there stops the test; its balance check is a `section` (soft)
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));

      await t.sectionHard("send payments with fees from an account that produces no blocks", async () => {
        const fees = ["0.1", "0.25", "0.5"].map(mina);
        const hashes: string[] = [];
        for (const [nonce, fee] of fees.entries()) {
          const signed = signPayment(fish.privateKey, { from: fish.publicKey, to: receiver.publicKey, amount: mina("1"), fee, nonce });
          const sent = await bp1.graphql.sendSignedPayment(signed.payment, signed.signature);
          t.assertEqual(sent.hash, signed.hash, `hash of payment ${nonce}`);
          hashes.push(sent.hash);
        }
        await t.waitFor(commandsToBeIncluded(hashes, "payments with fees", { soft: { slots: 10 }, hard: { slots: 20 } }));
      });

      await t.sectionHard("wait for each producer to produce blocks", () => t.waitFor(blocksToBeProducedByEach([bp1.name, bp2.name], 2, { soft: { slots: 20 }, hard: { slots: 40 } })));

      await t.section("check each producer's balance: genesis + Mina's coinbase and fees for every block it produced", async () => {
        const constants = await bp1.graphql.genesisConstants();
        t.assertEqual(constants.coinbase, DEFAULT_COINBASE, "the network's coinbase (720 MINA)", bp1.name);
        // a producer's blocks may all have lost to others of the same height: wait for more until each has one on the best chain
        let snapshot = await snapshotRewards(
          bp1.graphql,
          producers.map((p) => p.account.publicKey),
        );
        for (let attempt = 0; attempt < 4; attempt++) {
          const without = producers.filter((p) => blocksCreatedBy(snapshot.blocks, p.account.publicKey).length === 0).map((p) => p.node.name);
          if (without.length === 0) break;
          t.log.info({ nodes: without.join(", ") }, "No block of $nodes on the best chain yet: waiting for more");
          await t.waitFor(blocksToBeProducedByEach(without, 1, { soft: { slots: 12 }, hard: { slots: 24 } }));
          snapshot = await snapshotRewards(
            bp1.graphql,
            producers.map((p) => p.account.publicKey),
          );
        }
        for (const block of snapshot.blocks.filter((b) => b.height > 1)) {
          t.assertEqual(
            block.coinbase,
            coinbaseOf(block.creator),
            `coinbase of block ${block.stateHash} (height ${block.height}) by ${block.creator} (720 MINA, x${SUPERCHARGED_COINBASE_FACTOR} for an unlocked winner)`,
            bp1.name,
          );
          t.assertEqual(block.coinbaseReceiver, block.creator, `coinbase receiver of block ${block.stateHash}`, bp1.name);
        }
        const paidFees = snapshot.blocks.flatMap((b) => b.userCommands).filter((c) => c.from === fish.publicKey);
        t.assertEqual(paidFees.length, 3, "payments with fees in the best chain", bp1.name);
        for (const { node, account, coinbase } of producers) {
          const won = blocksCreatedBy(snapshot.blocks, account.publicKey);
          t.assert(won.length > 0, `${node.name} produced no block of the best chain ${snapshot.tip}`, node.name);
          const fees = won.flatMap((b) => b.userCommands).reduce((sum, c) => sum + c.fee, 0n);
          const expected = account.balance + rewardsOver(snapshot.blocks, account.publicKey, coinbase) + (options.broken ? coinbase : 0n);
          t.log.info(
            { node: node.name, blocks: won.length, fees: formatMina(fees), balance: formatMina(snapshot.balances[account.publicKey] ?? 0n) },
            "$node produced $blocks blocks of the best chain with $fees MINA of fees; balance $balance MINA",
          );
          t.assertEqual(
            snapshot.balances[account.publicKey],
            expected,
            `${node.name}'s balance (genesis + ${won.length} x ${formatMina(coinbase)} MINA + ${formatMina(fees)} MINA of fees)`,
            node.name,
          );
        }
      });
    },
  });
}

export default makeBlockReward();
