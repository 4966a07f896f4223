import { parseMina } from "@mina-local/engine";
import { signPayment } from "@mina-local/graphql-client";
import { blocksOnTopOf, commandsToBeIncluded } from "../dsl/chain-waits.js";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { snapshotRewards } from "../dsl/reward-accounting.js";
import { nodesToInitialize } from "../dsl/wait-conditions.js";

const mina = (text: string) => parseMina(text) ?? 0n;
const PAYMENTS = 20;
const CAPACITY_LOG_2 = 2;

/**
 * Mina's block-production-priority test: one sender floods the pool with many payments at
 * once; block production goes on under the load: every block the loaded node builds is
 * full until the last payment, every payment is included exactly once, in nonce order, never
 * more than a block's capacity per block, and the chain keeps growing on top of the last
 * one. `broken` expects one payment more than was sent.
 */
export function makeBlockProductionPriority(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "block-production-priority",
    description: `${PAYMENTS} payments from one sender sent at once are all included, in nonce order, in full blocks of the loaded producer, while block production goes on`,
    config: {
      genesis_ledger: [
        { account_name: "bp1-key", balance: "400000" },
        { account_name: "bp2-key", balance: "300000" },
        { account_name: "sender-key", balance: "10000" },
        { account_name: "receiver-key", balance: "10" },
      ],
      block_producers: [
        { node_name: "bp1", account_name: "bp1-key" },
        { node_name: "bp2", account_name: "bp2-key" },
      ],
      k: 40,
      slots_per_epoch: 120,
      proof_config: { block_window_duration_ms: 1000, transaction_capacity_log_2: CAPACITY_LOG_2 },
    },
    async run(t) {
      const [bp1] = t.network.blockProducers;
      if (!bp1) throw new TestFailure("the test needs a block producer");
      const bp1Key = t.network.account("bp1-key").publicKey;
      const sender = t.network.account("sender-key");
      const receiver = t.network.account("receiver-key");
      const amount = mina("1");
      const fee = mina("0.01");
      const capacity = 2 ** CAPACITY_LOG_2;
      const expectedCount = PAYMENTS + (options.broken ? 1 : 0);

      // Mina's block_production_priority.ml waits outside any section: a failure stops the test
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));

      // Mina: section_hard "spawn transaction sending"
      const hashes = await t.sectionHard(`send ${PAYMENTS} payments from one sender at once`, async () => {
        // signed up front so that they reach the node back to back
        const signedPayments = Array.from({ length: PAYMENTS }, (_, nonce) =>
          signPayment(sender.privateKey, { from: sender.publicKey, to: receiver.publicKey, amount, fee, nonce, memo: `load ${nonce}` }),
        );
        const sent: string[] = [];
        for (const [nonce, signed] of signedPayments.entries()) {
          const accepted = await bp1.graphql.sendSignedPayment(signed.payment, signed.signature);
          t.assertEqual(accepted.hash, signed.hash, `hash of payment ${nonce}`, bp1.name);
          sent.push(accepted.hash);
        }
        t.log.info({ count: sent.length }, "Sent $count payments");
        return sent;
      });
      // blocks of later slots were built with every payment in the producers' pools
      const { genesisStateTimestamp, blockWindowDurationMs } = t.network.constants;
      const firstSlotAfterLoad = Math.floor((Date.now() - Date.parse(genesisStateTimestamp)) / blockWindowDurationMs) + 1;

      // Mina: section "wait for payments to be processed" and section "checked produced blocks": their failures are soft, the test goes on
      let lastBlock: string | undefined;
      await t.section("wait for every payment to be included while blocks are produced", async () => {
        const blocksNeeded = Math.ceil(PAYMENTS / capacity);
        await t.waitFor(commandsToBeIncluded(hashes, "payments", { soft: { slots: 8 + 3 * blocksNeeded }, hard: { slots: 2 * (8 + 3 * blocksNeeded) } }));
        const last = t.state().includedCommands[hashes[hashes.length - 1] ?? ""];
        if (!last) throw new TestFailure("the last payment's block is not known");
        lastBlock = last.stateHash;
      });

      await t.section("wait for block production to go on on top of the load", () => {
        if (lastBlock === undefined) throw new TestFailure("the last payment's block is not known (its section failed)");
        return t.waitFor(blocksOnTopOf(lastBlock, 3, { soft: { slots: 10 }, hard: { slots: 20 } }));
      });

      await t.section("check every payment was included once, in nonce order, and the balances", async () => {
        const snapshot = await snapshotRewards(bp1.graphql, [sender.publicKey, receiver.publicKey]);
        const mine = snapshot.blocks.map((b) => ({ block: b, commands: b.userCommands.filter((c) => c.from === sender.publicKey) }));
        for (const { block, commands } of mine) {
          t.assert(block.userCommands.length <= capacity, `block ${block.stateHash} holds ${block.userCommands.length} commands, more than the capacity ${capacity}`, bp1.name);
          if (commands.length > 0) t.log.info({ height: block.height, count: commands.length, creator: block.creator }, "Block at height $height holds $count of the payments");
        }
        const nonces = mine.flatMap((m) => m.commands).map((c) => c.nonce);
        const failed = mine.flatMap((m) => m.commands).filter((c) => c.failureReason !== undefined);
        t.assert(failed.length === 0, `payments failed: ${failed.map((c) => `${c.nonce}: ${c.failureReason}`).join(", ")}`, bp1.name);
        t.assertEqual(nonces.length, expectedCount, "payments from the sender in the best chain", bp1.name);
        t.assertEqual(nonces.join(","), Array.from({ length: expectedCount }, (_, i) => i).join(","), "nonces of the sender's payments, in chain order", bp1.name);
        // block production priority: bp1 took every payment on its GraphQL, so each block it built after the
        // load was in, up to the last payment, is full of them (bp2's pool may lag behind gossip)
        const lastWithPayments = mine.findLastIndex((m) => m.commands.length > 0);
        const underLoad = mine.slice(0, lastWithPayments).filter((m) => m.block.slot >= firstSlotAfterLoad && m.block.creator === bp1Key);
        const notFull = underLoad.filter((m) => m.commands.length !== capacity);
        t.assert(
          notFull.length === 0,
          `blocks bp1 built while payments were pending are not full of them: ${notFull.map((m) => `height ${m.block.height}: ${m.commands.length} of ${capacity}`).join(", ")}`,
          bp1.name,
        );
        t.assertEqual(snapshot.nonces[sender.publicKey], expectedCount, "sender's nonce", bp1.name);
        t.assertEqual(snapshot.balances[sender.publicKey], sender.balance - BigInt(expectedCount) * (amount + fee), "sender's balance (genesis - payments - fees)", bp1.name);
        t.assertEqual(snapshot.balances[receiver.publicKey], receiver.balance + BigInt(expectedCount) * amount, "receiver's balance (genesis + payments)", bp1.name);
      });
    },
  });
}

export default makeBlockProductionPriority();
