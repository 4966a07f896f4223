import { DEFAULT_COINBASE, MinaLocalError, parseMina } from "@mina-local/engine";
import { signPayment } from "@mina-local/graphql-client";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { producerRewards, snapshotAccount, type ChainSnapshot } from "../dsl/ledger-accounting.js";
import { pollUntil } from "../dsl/poll.js";
import type { TestContext, TestNode } from "../dsl/define-test.js";
import { nodesToInitialize, signedCommandToBeIncluded } from "../dsl/wait-conditions.js";

const mina = (text: string) => parseMina(text) ?? 0n;

/**
 * An account read at a best tip whose chain holds the command: a block holding it may
 * lose a fork after the inclusion event, and then the command waits for its next block.
 */
async function accountWithCommand(t: TestContext, observer: TestNode, publicKey: string, hash: string): Promise<ChainSnapshot> {
  let snapshot: ChainSnapshot | undefined;
  await pollUntil(
    t,
    `command ${hash.slice(0, 12)} in ${observer.name}'s best chain`,
    async () => {
      snapshot = await snapshotAccount(observer.graphql, publicKey);
      const held = snapshot.blocks.some((block) => block.transactions.userCommands.some((command) => command.hash === hash));
      return held ? { done: true } : { done: false, waitingFor: "the command's block left the best chain; waiting for it to be included again" };
    },
    { softTimeout: { slots: 8 }, hardTimeout: { slots: 16 } },
  );
  if (!snapshot) throw new TestFailure(`no snapshot of ${publicKey} on ${observer.name}`);
  return snapshot;
}

/** Mina's payments test: a payment from a producer's key, one signed with mina-signer, and two that must be refused. */
export default defineTest({
  name: "send-payment",
  description: "a producer's payment and a mina-signer-signed payment are included with exact balances and nonces; a wrong nonce and an overdraft are refused",
  config: {
    genesis_ledger: [
      { account_name: "bp1-key", balance: "400000" },
      { account_name: "bp2-key", balance: "300000" },
      { account_name: "receiver-key", balance: "1000" },
      { account_name: "fish-key", balance: "100" },
    ],
    block_producers: [
      { node_name: "bp1", account_name: "bp1-key" },
      { node_name: "bp2", account_name: "bp2-key" },
    ],
    k: 6,
    slots_per_epoch: 48,
    proof_config: { block_window_duration_ms: 2000 },
  },
  async run(t) {
    const [bp1, bp2] = t.network.blockProducers;
    if (!bp1 || !bp2) throw new TestFailure("the test needs two block producers");
    const sender = t.network.account("bp1-key");
    const receiver = t.network.account("receiver-key");
    const fish = t.network.account("fish-key");
    const amount = mina("10");
    const fee = mina("0.1");

    // Mina's payments_test.ml waits outside any section (a failure stops the test); its payment parts are
    // `section`s (soft: the test goes on to the next)
    await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));

    let payment: { hash: string } | undefined;
    await t.section("send a payment from a block producer's key", async () => {
      const sent = await bp1.graphql.sendPayment({ from: sender.publicKey, to: receiver.publicKey, amount, fee, memo: "mina-local payment" });
      t.log.info({ hash: sent.hash }, "Sent payment $hash");
      await t.waitFor(signedCommandToBeIncluded(sent.hash, "bp1 -> receiver"));
      payment = sent;
    });

    await t.section("check the receiver's and the sender's balances and the sender's nonce", async () => {
      if (payment === undefined) throw new TestFailure("no payment to check (its section failed)");
      const observer = t.network.node(t.state().includedCommands[payment.hash]?.node ?? bp1.name);
      const receiverNow = await accountWithCommand(t, observer, receiver.publicKey, payment.hash);
      t.assertEqual(receiverNow.balance, receiver.balance + amount, "receiver balance (genesis + amount)", observer.name);
      const senderNow = await accountWithCommand(t, observer, sender.publicKey, payment.hash);
      const rewards = producerRewards(senderNow.blocks, sender.publicKey, DEFAULT_COINBASE);
      t.assertEqual(senderNow.balance, sender.balance - amount - fee + rewards, "sender balance (genesis - amount - fee + its block rewards)", observer.name);
      t.assertEqual(senderNow.nonce, 1, "sender nonce", observer.name);
    });

    await t.section("send a payment signed with mina-signer", async () => {
      const signed = signPayment(fish.privateKey, { from: fish.publicKey, to: receiver.publicKey, amount: mina("5"), fee, nonce: 0 });
      const sent = await bp2.graphql.sendSignedPayment(signed.payment, signed.signature);
      t.assertEqual(sent.hash, signed.hash, "hash of the signed payment");
      await t.waitFor(signedCommandToBeIncluded(sent.hash, "fish -> receiver (signed)"));
      const observer = t.network.node(t.state().includedCommands[sent.hash]?.node ?? bp2.name);
      const fishNow = await accountWithCommand(t, observer, fish.publicKey, sent.hash);
      t.assertEqual(fishNow.balance, fish.balance - mina("5") - fee, "signer's balance", observer.name);
      t.assertEqual(fishNow.nonce, 1, "signer's nonce", observer.name);
    });

    const expectRefusal = async (what: string, nonce: number, value: bigint, pattern: RegExp) => {
      const signed = signPayment(fish.privateKey, { from: fish.publicKey, to: receiver.publicKey, amount: value, fee, nonce });
      try {
        const sent = await bp2.graphql.sendSignedPayment(signed.payment, signed.signature);
        throw new TestFailure(`${what} was accepted (hash ${sent.hash}); it must be refused`, "hard", bp2.name);
      } catch (error) {
        if (!(error instanceof MinaLocalError)) throw error;
        t.assert(pattern.test(error.message), `${what} was refused, but not for the expected reason: ${error.message}`, bp2.name);
        t.log.info({ reason: error.message }, `${what} refused: $reason`);
      }
    };

    await t.section("refuse a payment with a wrong nonce", () => expectRefusal("a payment with nonce 5 (expected 1)", 5, mina("1"), /nonce/i));
    await t.section("refuse a payment of more than the balance", () => expectRefusal("a payment of 1000 MINA from 94.9 MINA", 1, mina("1000"), /insufficient|balance|funds/i));
  },
});
