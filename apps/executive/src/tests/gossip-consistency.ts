import { defineTest } from "../dsl/define-test.js";
import { TestAborted } from "../dsl/errors.js";
import { transactionDiffsReceived, transactionGossipStats } from "../dsl/gossip-coverage.js";
import { networkStatePredicate, nodesToInitialize, signedCommandToBeIncluded, withTimeouts } from "../dsl/wait-conditions.js";

/*
 * Ported from Mina's src/app/test_executive/gossip_consistency.ml (develop 9f068b1c3b), step by
 * step. Mina's test has no section: it waits, sends and waits outside any section (a hard error
 * stops the test) and reports its two checks as soft errors. Here each step is a sectionHard
 * named after what Mina logs, and the checks record Mina's soft errors in theirs.
 */
const NUM_PAYMENTS = 3;
const THRESHOLD = 0.95;
const nanomina = (n: number) => BigInt(n);
/** Mina: Currency.Fee.of_nanomina_int_exn 10_000_000 and the same amount */
const FEE = nanomina(10_000_000);
const AMOUNT = nanomina(10_000_000);

/**
 * Mina's gossip-consistency test: node-b sends 3 payments to node-a and waits for them to be
 * included; then (soft errors) at least num_payments - 1 transactions were seen in gossip, and
 * the ratio of the transaction diffs seen by every node (node-b excluded) to those seen by some
 * is at least 0.95. `broken` expects two payments more than were sent to have been seen.
 */
export function makeGossipConsistency(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "gossip-consistency",
    description: `node-b's ${NUM_PAYMENTS} payments to node-a are seen in gossip, and the transactions seen by every node (node-b excluded) are at least ${THRESHOLD * 100}% of those seen by some`,
    config: {
      genesis_ledger: [
        { account_name: "node-a-key", balance: "1000" },
        { account_name: "node-b-key", balance: "1000" },
      ],
      block_producers: [
        { node_name: "node-a", account_name: "node-a-key" },
        { node_name: "node-b", account_name: "node-b-key" },
      ],
      // Mina: the default k (20) and 3-minute slots; 1 s slots keep the test short (k only bounds forks here)
      k: 20,
      slots_per_epoch: 60,
      proof_config: { block_window_duration_ms: 1000 },
    },
    async run(t) {
      const names = t.network.all.map((n) => n.name);
      const receiverBp = t.network.node("node-a");
      const senderBp = t.network.node("node-b");
      const receiverPubKey = t.network.account("node-a-key").publicKey;
      const senderPubKey = t.network.account("node-b-key").publicKey;
      t.log.info({}, "gossip_consistency test: starting...");

      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(names)));
      t.log.info({}, "gossip_consistency test: done waiting for initializations");

      // Mina's send_payments (test_common.ml): must_send_online_payment, node-b signs with the key it holds
      const hashes = await t.sectionHard(`send ${NUM_PAYMENTS} payments from node-b to node-a`, async () => {
        t.log.info({ count: NUM_PAYMENTS }, "gossip_consistency test: will now send $count payments");
        const sent: string[] = [];
        for (let n = NUM_PAYMENTS; n > 0; n--) {
          const payment = await senderBp.graphql.sendPayment({ from: senderPubKey, to: receiverPubKey, amount: AMOUNT, fee: FEE });
          t.log.info({ n, hash: payment.hash, nonce: payment.nonce }, "sending multiple payments: payment #$n sent with hash of $hash and nonce of $nonce.");
          sent.push(payment.hash);
        }
        return sent;
      });

      await t.sectionHard("wait for payments", async () => {
        t.log.info({}, "gossip_consistency test: sending payments done. will now wait for payments");
        // Mina's wait_for_payments: each included in some node's frontier
        for (const [i, hash] of hashes.entries()) {
          await t.waitFor(signedCommandToBeIncluded(hash));
          t.log.info({ n: NUM_PAYMENTS - i, hash }, "wait for multiple payments: payment #$n with hash $hash successfully included in frontier.");
        }
        // ours: Mina reads the gossip state at once (with minutes-long slots every node has logged the payments' gossip long
        // before their block); here a block can come within a second, before the last gossip line of another node reached
        // the executive's bus (lines of different nodes arrive in any order): give it up to 2 slots, never failing here
        const counted = names.filter((n) => n !== senderBp.name);
        const settled = networkStatePredicate("every node but node-b to have received the payments' gossip", (state) =>
          counted.every((n) => hashes.every((h) => state.gossip.transactionsReceived[n]?.[h])),
        );
        // (the soft timeout past the hard one: ending early is never a soft error, the hard timeout only ends the wait)
        await t.waitFor(withTimeouts(settled, { soft: { slots: 4 }, hard: { slots: 2 } })).catch((error: unknown) => {
          if (error instanceof TestAborted) throw error;
          t.log.info({}, "not every node logged the payments' gossip within 2 slots");
        });
        t.log.info({}, "gossip_consistency test: finished waiting for payments");
      });

      await t.sectionHard("check the number of transactions seen in gossip", async () => {
        const expected = NUM_PAYMENTS + (options.broken ? 2 : 0);
        const seen = transactionDiffsReceived(t.state(), names);
        t.log.info({ seen }, "gossip_consistency test: num_transactions_seen = $seen");
        if (seen < expected - 1) {
          t.softError(`transactions seen = ${seen}, which is less than (numpayments = ${expected}) - 1`);
        } else t.log.info({}, "gossip_consistency test: num_transactions_seen OK");
      });

      await t.sectionHard(`check the consistency ratio of transactions seen by all nodes but node-b (threshold ${THRESHOLD})`, async () => {
        const { seenByAll, seenBySome } = transactionGossipStats(t.state(), names, { exclusionList: [senderBp.name] });
        t.log.info({ inter: seenByAll, union: seenBySome }, "gossip_consistency test: inter = $inter; union = $union");
        const ratio = seenBySome === 0 ? 1 : seenByAll / seenBySome;
        t.log.info({ ratio }, "gossip_consistency test: consistency ratio = $ratio");
        if (ratio < THRESHOLD) t.softError(`consistency ratio = ${ratio}, which is less than threshold = ${THRESHOLD}`, receiverBp.name);
        else t.log.info({}, "gossip_consistency test: consistency ratio OK");
      });
      t.log.info({}, "gossip_consistency test: test finished!!");
    },
  });
}

export default makeGossipConsistency();
