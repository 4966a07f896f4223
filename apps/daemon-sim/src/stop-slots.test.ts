import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { buildBlock, epochDataFor, epochOf, genesisNode, stakeOf, validateBlock, type ChainNode } from "./block.js";
import { genesisFromRuntimeConfig, type Genesis } from "./genesis.js";
import { runLottery } from "./lottery.js";
import { coinbaseAt, poolRefusesAt, producesEmptyDiff, reachedSlotChainEnd, stopSlotRejection } from "./stop-slots.js";
import { signCommand } from "./transaction.js";

const signer = new Client({ network: "testnet" });
const a = signer.genKeys();
const b = signer.genKeys();

function genesisWith(daemon: Record<string, number>, extra: Record<string, unknown> = {}): Genesis {
  const result = genesisFromRuntimeConfig(
    {
      genesis: { k: 5, delta: 0, slots_per_epoch: 48, slots_per_sub_window: 2, genesis_state_timestamp: "2024-01-01T00:00:00Z" },
      proof: { level: "none", transaction_capacity: { "2_to_the": 2 }, work_delay: 1, block_window_duration_ms: 1000 },
      daemon,
      ledger: {
        accounts: [
          { pk: a.publicKey, balance: "1000" },
          { pk: b.publicKey, balance: "1000" },
        ],
      },
      ...extra,
    },
    "runtime.json",
  );
  if (!result.ok) throw new Error(result.error);
  return result.genesis;
}

/** The first slot at or after `from` that `producer` wins on top of `parent`. */
function winningSlot(genesis: Genesis, parent: ChainNode, producer: string, from: number): number {
  for (let slot = from; slot < from + 300; slot++) {
    const epochData = epochDataFor(parent, epochOf(genesis, slot));
    if (runLottery(epochData.seed, slot, producer, stakeOf(epochData, producer), epochData.distribution.total).won) return slot;
  }
  throw new Error("no winning slot");
}

describe("the runtime config's daemon.slot_tx_end and daemon.slot_chain_end", () => {
  it("are read from the runtime config, and unset means no stop slot (Mina's None)", () => {
    const genesis = genesisWith({ slot_tx_end: 30, slot_chain_end: 40 });
    expect([genesis.slotTxEnd, genesis.slotChainEnd]).toEqual([30, 40]);
    const none = genesisWith({});
    expect([none.slotTxEnd, none.slotChainEnd]).toEqual([undefined, undefined]);
    expect([producesEmptyDiff(none, 10 ** 6), reachedSlotChainEnd(none, 10 ** 6), poolRefusesAt(none, 10 ** 6)]).toEqual([false, false, undefined]);
  });

  it("block_producer.ml: from slot_tx_end on (the slot itself included) a won slot gives an empty diff with no coinbase; from slot_chain_end on, no block", () => {
    const stops = { slotTxEnd: 5, slotChainEnd: 8 };
    expect([4, 5, 6].map((s) => producesEmptyDiff(stops, s))).toEqual([false, true, true]);
    expect([7, 8, 9].map((s) => reachedSlotChainEnd(stops, s))).toEqual([false, true, true]);
    expect(coinbaseAt({ coinbase: 720n, slotTxEnd: 5 }, 4)).toBe(720n);
    expect(coinbaseAt({ coinbase: 720n, slotTxEnd: 5 }, 5)).toBe(0n);
  });

  it("indexed_pool.ml: the pool refuses every command with After_slot_tx_end once the node's clock reaches slot_tx_end", () => {
    expect(poolRefusesAt({ slotTxEnd: 5 }, 4)).toBeUndefined();
    expect(poolRefusesAt({ slotTxEnd: 5 }, 5)).toBe("After_slot_tx_end");
  });

  it("validator.ml: a received block after slot_chain_end is rejected, one after slot_tx_end must carry the empty diff", () => {
    const stops = { slotTxEnd: 5, slotChainEnd: 8 };
    const block = (globalSlot: number, commands: unknown[] = [], snarkWorks: unknown[] = []) => ({ globalSlot, commands, snarkWorks });
    expect(stopSlotRejection(stops, block(4, [1], [1]))).toBeUndefined();
    expect(stopSlotRejection(stops, block(6))).toBeUndefined();
    expect(stopSlotRejection(stops, block(6, [1]))).toBe("not empty staged ledger diff after slot_tx_end");
    expect(stopSlotRejection(stops, block(6, [], [1]))).toBe("not empty staged ledger diff after slot_tx_end");
    expect(stopSlotRejection(stops, block(8))).toBe("block after slot_chain_end");
  });

  it("a block after slot_tx_end pays no coinbase, and peers validate it; a block with a command there, or past slot_chain_end, is rejected", () => {
    // the daemon fields are not part of the chain id, so the lottery is the same with and without them
    const first = winningSlot(genesisWith({}), genesisNode(genesisWith({})), a.publicKey, 1);
    const genesis = genesisWith({ slot_tx_end: first + 1, slot_chain_end: 400 });
    const root = genesisNode(genesis);
    const early = buildBlock(genesis, root, { globalSlot: first, creator: a.publicKey, coinbaseReceiver: a.publicKey, commands: [], snarkWorks: [] });
    if (!early.ok) throw new Error(early.error);
    expect(early.node.ledger.get(a.publicKey)?.balance).toBe(1000n * 10n ** 9n + genesis.coinbase);
    const slot = winningSlot(genesis, root, a.publicKey, first + 1);
    const built = buildBlock(genesis, root, { globalSlot: slot, creator: a.publicKey, coinbaseReceiver: a.publicKey, commands: [], snarkWorks: [] });
    if (!built.ok) throw new Error(built.error);
    expect(built.node.ledger.get(a.publicKey)?.balance).toBe(1000n * 10n ** 9n);
    expect(built.node.block.stagedLedgerHash).toBe(root.block.stagedLedgerHash);
    expect(validateBlock(genesis, root, built.node.block)).toMatchObject({ ok: true });

    const payment = signCommand({ kind: "payment", from: b.publicKey, to: a.publicKey, amount: 1n, fee: 10n ** 7n, nonce: 0, memo: "", validUntil: 4294967295 }, b.privateKey);
    const withCommand = { ...built.node.block, commands: [payment] };
    expect(validateBlock(genesis, root, withCommand)).toEqual({ ok: false, error: "not empty staged ledger diff after slot_tx_end" });

    const ended = genesisWith({ slot_tx_end: first + 1, slot_chain_end: slot });
    expect(validateBlock(ended, genesisNode(ended), built.node.block)).toEqual({ ok: false, error: "block after slot_chain_end" });
  });
});

describe("the runtime config's epoch_data", () => {
  const seed = "2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA";
  const nextSeed = "2vbcBoM44Am71SWBbT8z9g2c2MEtgxUU2dwSPGQqPnh9ehVfQGUQ";

  it("gives the genesis block its staking epoch ledger and seed: the lottery runs on them, not on the genesis ledger", () => {
    const genesis = genesisWith(
      {},
      {
        ledger: {
          accounts: [
            { pk: a.publicKey, balance: "0" },
            { pk: b.publicKey, balance: "0" },
          ],
        },
        epoch_data: {
          staking: {
            accounts: [
              { pk: a.publicKey, balance: "1000" },
              { pk: b.publicKey, balance: "1000" },
            ],
            seed,
          },
          next: {
            accounts: [
              { pk: a.publicKey, balance: "0" },
              { pk: b.publicKey, balance: "0" },
            ],
            seed: nextSeed,
          },
        },
      },
    );
    const root = genesisNode(genesis);
    expect(root.epochData.seed).toBe(seed);
    expect(stakeOf(root.epochData, a.publicKey)).toBe(1000n * 10n ** 9n);
    expect(root.epochData.distribution.total).toBe(2000n * 10n ** 9n);
    expect(genesis.epochLedgers?.next?.seed).toBe(nextSeed);
    // with the genesis ledger's zero balances alone nobody could win a slot; with the staking ledger a producer does
    const slot = winningSlot(genesis, root, a.publicKey, 1);
    const built = buildBlock(genesis, root, { globalSlot: slot, creator: a.publicKey, coinbaseReceiver: a.publicKey, commands: [], snarkWorks: [] });
    if (!built.ok) throw new Error(built.error);
    expect(validateBlock(genesis, root, built.node.block)).toMatchObject({ ok: true });
  });

  it("without epoch_data, the staking ledger is the genesis ledger; a bad epoch ledger account names its field", () => {
    const genesis = genesisWith({});
    expect(genesisNode(genesis).epochData.distribution.total).toBe(2000n * 10n ** 9n);
    const bad = genesisFromRuntimeConfig(
      {
        genesis: { k: 5, delta: 0, slots_per_epoch: 48, slots_per_sub_window: 2, genesis_state_timestamp: "2024-01-01T00:00:00Z" },
        proof: { level: "none", transaction_capacity: { "2_to_the": 2 }, work_delay: 1, block_window_duration_ms: 1000 },
        ledger: { accounts: [{ pk: a.publicKey, balance: "1" }] },
        epoch_data: {
          staking: {
            accounts: [
              { pk: a.publicKey, balance: "1" },
              { pk: a.publicKey, balance: "2" },
            ],
            seed,
          },
        },
      },
      "runtime.json",
    );
    expect(bad).toEqual({ ok: false, error: `runtime.json: epoch_data.staking.accounts[1].pk: duplicate account ${a.publicKey}` });
  });
});
