import { DEFAULT_COINBASE, formatMina, parseMina } from "@mina-local/engine";
import { signPayment } from "@mina-local/graphql-client";
import { commandsToBeIncluded } from "../dsl/chain-waits.js";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { rewardsOver, snapshotRewards } from "../dsl/reward-accounting.js";
import { ledgerProofsEmittedSinceGenesis, nodesToInitialize } from "../dsl/wait-conditions.js";

const mina = (text: string) => parseMina(text) ?? 0n;
const SNARK_WORKER_FEE = "0.25";

/**
 * Mina's snark test: with a snark coordinator and two workers, transactions become snark
 * work, the work is gossiped and bought by the producer, ledger proofs are emitted since
 * genesis, and the coordinator's balance grows by its fee for every bundle the best chain
 * bought (the producer paying it out of its coinbase). `broken` expects one fee too many.
 */
export function makeSnark(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "snark",
    description: "snark workers produce work for the coordinator, ledger proofs are emitted since genesis, and the coordinator is paid its fee for every bundle the best chain bought",
    config: {
      genesis_ledger: [
        { account_name: "bp1-key", balance: "600000" },
        { account_name: "snark-node-key", balance: "10" },
        { account_name: "fish-key", balance: "1000" },
        { account_name: "receiver-key", balance: "10" },
      ],
      block_producers: [{ node_name: "bp1", account_name: "bp1-key" }],
      snark_coordinator: { node_name: "snark-node", account_name: "snark-node-key", worker_nodes: 2 },
      snark_worker_fee: SNARK_WORKER_FEE,
      k: 40,
      slots_per_epoch: 120,
      proof_config: { block_window_duration_ms: 1000, transaction_capacity_log_2: 2, work_delay: 1 },
    },
    async run(t) {
      const [bp1] = t.network.blockProducers;
      const coordinator = t.network.snarkCoordinator;
      if (!bp1 || !coordinator) throw new TestFailure("the test needs a block producer and a snark coordinator");
      const producer = t.network.account("bp1-key");
      const prover = t.network.account("snark-node-key");
      const fish = t.network.account("fish-key");
      const receiver = t.network.account("receiver-key");
      const fee = mina(SNARK_WORKER_FEE);
      // the workers run no daemon: they log no Node_initialization
      const daemons = t.network.all.filter((n) => n.role !== "snark-worker").map((n) => n.name);

      // Mina's snark_test.ml (newest): the payments and the wait for ledger proofs are one section_hard ("send out a
      // bunch more txns to fill up the snark ledger, then wait for proofs to be emitted"), and its (commented-out)
      // check of the snark worker's balance a section_hard too; payments_test.ml's fee checks are section_hard: a failure stops the test
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(daemons)));
      const start = t.state();

      await t.sectionHard("send payments so that there is transaction work to prove", async () => {
        const hashes: string[] = [];
        for (let nonce = 0; nonce < 3; nonce++) {
          const signed = signPayment(fish.privateKey, { from: fish.publicKey, to: receiver.publicKey, amount: mina("1"), fee: mina("0.1"), nonce });
          hashes.push((await bp1.graphql.sendSignedPayment(signed.payment, signed.signature)).hash);
        }
        await t.waitFor(commandsToBeIncluded(hashes, "payments", { soft: { slots: 10 }, hard: { slots: 20 } }));
      });

      await t.sectionHard("wait for ledger proofs to be emitted since genesis", () => t.waitFor(ledgerProofsEmittedSinceGenesis(2, t.network.constants)));

      await t.sectionHard("check the snark work was gossiped and the coordinator paid its fee", async () => {
        const state = t.state();
        const workSent = (state.gossip.snarkWorkSent[coordinator.name] ?? 0) - (start.gossip.snarkWorkSent[coordinator.name] ?? 0);
        const workReceived = (state.gossip.snarkWorkReceived[bp1.name] ?? 0) - (start.gossip.snarkWorkReceived[bp1.name] ?? 0);
        t.assert(workSent > 0, "the coordinator gossiped no snark work", coordinator.name);
        t.assert(workReceived > 0, "the producer received no snark work by gossip", bp1.name);
        t.assertEqual(state.snarkWorkFailed, 0, "snark work failures");

        const snapshot = await snapshotRewards(bp1.graphql, [prover.publicKey, producer.publicKey]);
        const bought = snapshot.blocks.flatMap((b) => b.snarkJobs.filter((w) => w.prover === prover.publicKey));
        t.assert(bought.length > 0, "no block of the best chain bought the coordinator's work", bp1.name);
        for (const work of bought) t.assertEqual(work.fee, fee, `fee of snark work ${work.workIds.join(",")}`, bp1.name);
        const transferred = snapshot.blocks
          .flatMap((b) => b.feeTransfers)
          .filter((f) => f.recipient === prover.publicKey)
          .reduce((sum, f) => sum + f.fee, 0n);
        t.assertEqual(transferred, BigInt(bought.length) * fee, "fee transfers to the coordinator in the best chain", bp1.name);
        t.log.info({ bundles: bought.length, paid: formatMina(transferred) }, "The best chain bought $bundles bundles of the coordinator's work for $paid MINA");

        const expectedProver = prover.balance + BigInt(bought.length + (options.broken ? 1 : 0)) * fee;
        t.assertEqual(snapshot.balances[prover.publicKey], expectedProver, `coordinator's balance (genesis + ${bought.length} x ${SNARK_WORKER_FEE} MINA)`, coordinator.name);
        const expectedProducer = producer.balance + rewardsOver(snapshot.blocks, producer.publicKey, DEFAULT_COINBASE);
        t.assertEqual(snapshot.balances[producer.publicKey], expectedProducer, "producer's balance (genesis + coinbases - snark fees + command fees)", bp1.name);
      });
    },
  });
}

export default makeSnark();
