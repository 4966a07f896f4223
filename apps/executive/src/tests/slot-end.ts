import { parseMina } from "@mina-local/engine";
import { sleepUntil } from "../dsl/clock.js";
import { defineTest } from "../dsl/define-test.js";
import { spawnTestPayments } from "../dsl/test-payments.js";
import { nodesToInitialize } from "../dsl/wait-conditions.js";

const mina = (text: string) => parseMina(text) ?? 0n;

/*
 * Ported from Mina's src/app/test_executive/slot_end_test.ml (MinaProtocol/mina 032cc00266),
 * section by section. Mina's slots: slot_tx_end 5, slot_chain_end 8, with the integration
 * tests' block window. Ours are shorter (2 s) and so the stop slots later (30 and 33), so that
 * the receiver produces for several slots before slot_tx_end also on a machine several
 * networks share: the genesis timestamp is the time the config is made, as Mina's
 * (mina_automation.ml's Network_config.expand at 9f068b1c3b), and a producer here starts
 * producing some 10-20 s after it on an idle machine, 50 s under heavy load (a CI run with
 * 15 at 36d90e6 sent its first payment after slot_tx_end: `After_slot_tx_end`).
 */
const BLOCK_WINDOW_MS = 2000;
const SLOT_TX_END = 30;
const SLOT_CHAIN_END = 33;
/** Mina: 100 extra keys, split over 3 sending nodes */
const NUM_EXTRA_KEYS = 20;
const SENDER_ACCOUNT_PREFIX = "sender-account-";
const SENDER_NODES = ["sender-1", "sender-2"];
/** Mina: 5000 ms with its longer slots; here one slot */
const TX_DELAY_MS = BLOCK_WINDOW_MS;

/**
 * Mina's slot-end test: a network with `slot_tx_end` and `slot_chain_end` set takes payments
 * (sendTestPayments from many keys through every sending node) until slot_tx_end; from then
 * on its blocks are empty (no command, no snark work, no coinbase), and from slot_chain_end on
 * there are none. `broken` expects a block at or after slot_chain_end.
 */
export function makeSlotEnd(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "slot-end",
    description: `blocks carry transactions before slot_tx_end (${SLOT_TX_END}), are empty from it on, and stop at slot_chain_end (${SLOT_CHAIN_END})`,
    config: {
      genesis_ledger: [
        { account_name: "receiver-key", balance: "9999999" },
        ...SENDER_NODES.map((node) => ({ account_name: `${node}-key`, balance: "0" })),
        { account_name: "snark-node-key", balance: "0" },
        ...Array.from({ length: NUM_EXTRA_KEYS }, (_, i) => ({ account_name: `${SENDER_ACCOUNT_PREFIX}${i}`, balance: "1000" })),
      ],
      block_producers: [{ node_name: "receiver", account_name: "receiver-key" }, ...SENDER_NODES.map((node) => ({ node_name: node, account_name: `${node}-key` }))],
      // Mina: 4 workers
      snark_coordinator: { node_name: "snark-node", account_name: "snark-node-key", worker_nodes: 1 },
      snark_worker_fee: "0.0002",
      txpool_max_size: 100_000,
      k: 10,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: BLOCK_WINDOW_MS, work_delay: 1, transaction_capacity_log_2: 2 },
      slot_tx_end: SLOT_TX_END,
      slot_chain_end: SLOT_CHAIN_END,
    },
    async run(t) {
      const numSlots = SLOT_CHAIN_END + 2;
      const receiver = t.network.node("receiver");
      const receiverKey = t.network.account("receiver-key").publicKey;
      const senderKeys = Array.from({ length: NUM_EXTRA_KEYS }, (_, i) => t.network.account(`${SENDER_ACCOUNT_PREFIX}${i}`).privateKey);
      t.log.info({ receiver: receiverKey }, "receiver: $receiver");
      const { genesisStateTimestamp, blockWindowDurationMs } = t.network.constants;
      const endTime = Date.parse(genesisStateTimestamp) + numSlots * blockWindowDurationMs;

      // Mina waits for all_mina_nodes outside any section: a failure stops the test (the workers run no daemon: they log no Node_initialization)
      const daemons = t.network.all.filter((n) => n.role !== "snark-worker").map((n) => n.name);
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(daemons)));

      await t.sectionHard("spawn transaction sending", () =>
        spawnTestPayments(
          t,
          SENDER_NODES.map((name) => t.network.node(name)),
          { senderKeys, receiver: receiverKey, amount: mina("0.01"), fee: mina("0.01"), numPayments: Math.floor((numSlots * blockWindowDurationMs) / TX_DELAY_MS), delayMs: TX_DELAY_MS },
        ),
      );

      await t.section(`wait until slot ${numSlots}`, () => sleepUntil(endTime, t.signal));

      // Mina's must_get_best_chain_for_slot_end_test, outside any section: a failure stops the test
      const blocks = await t.sectionHard("get the receiver's best chain", () => receiver.graphql.bestChainRewards(2 * numSlots));
      const produced = blocks.filter((b) => b.height > 1);
      const describe = (b: (typeof blocks)[number]) => `block slot since genesis: ${b.slot}, txn count: ${b.userCommands.length}, snark work count: ${b.snarkJobs.length}, coinbase: ${b.coinbase}`;
      t.log.info(
        { blocks: produced.map((b) => ({ slot: b.slot, txns: b.userCommands.length, snark_works: b.snarkJobs.length, coinbase: b.coinbase.toString() })) },
        "The receiver's best chain: $blocks",
      );
      const isEmpty = (b: (typeof blocks)[number]) => b.userCommands.length === 0 && b.snarkJobs.length === 0 && b.coinbase === 0n;

      await t.section("blocks produced before slot_tx_end", async () => {
        t.assert(
          produced.some((b) => b.slot < SLOT_TX_END && !isEmpty(b)),
          "only empty blocks were produced before slot_tx_end",
          receiver.name,
        );
      });

      await t.section("blocks produced after slot_tx_end", async () => {
        for (const block of produced) t.assert(block.slot < SLOT_TX_END || isEmpty(block), `non-empty block after slot_tx_end. ${describe(block)}`, receiver.name);
      });

      await t.section("blocks produced before slot_chain_end", async () => {
        t.assert(
          produced.some((b) => b.slot < SLOT_CHAIN_END),
          "no block produced before slot_chain_end",
          receiver.name,
        );
      });

      await t.section("no blocks produced after slot_chain_end", async () => {
        const after = produced.filter((b) => b.slot >= SLOT_CHAIN_END);
        if (options.broken) t.assert(after.length > 0, "no block produced at or after slot_chain_end (the broken variant expects one)", receiver.name);
        else t.assert(after.length === 0, `blocks produced after slot_chain_end: ${after.map(describe).join("; ")}`, receiver.name);
      });
    },
  });
}

export default makeSlotEnd();
