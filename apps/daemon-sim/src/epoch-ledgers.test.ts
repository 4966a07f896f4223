import { NANOMINA_PER_MINA } from "@mina-local/engine";
import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { buildBlock, epochDataFor, epochOf, genesisNode, stakeOf, type ChainNode } from "./block.js";
import { Frontier, frontierFromSnapshot } from "./frontier.js";
import { genesisFromRuntimeConfig, type Genesis } from "./genesis.js";
import { ledgerHash } from "./ledger.js";
import { openWorkIds } from "./scan-state.js";
import { signCommand, UINT32_MAX, type SignedCommand } from "./transaction.js";

/**
 * The staking and next epoch ledgers as Mina's Epoch_data.update_pair takes them
 * (src/lib/consensus/proof_of_stake.ml, develop 9f068b1c3b), and Mina's supercharged coinbase
 * (block_producer.ml, Staged_ledger.can_apply_supercharged_coinbase_exn / coinbase_amount).
 */
const signer = new Client({ network: "testnet" });
const producer = signer.genKeys();
const delegate = signer.genKeys();
const delegator = signer.genKeys();
const timedProducer = signer.genKeys();
const MINA = NANOMINA_PER_MINA;
const SLOTS_PER_EPOCH = 10;

function testGenesis(extra: { accounts?: object[]; factor?: number; k?: number } = {}): Genesis {
  const result = genesisFromRuntimeConfig(
    {
      genesis: { k: extra.k ?? 100, delta: 0, slots_per_epoch: SLOTS_PER_EPOCH, slots_per_sub_window: 2, genesis_state_timestamp: "2024-01-01T00:00:00Z" },
      proof: {
        level: "none",
        transaction_capacity: { "2_to_the": 1 },
        work_delay: 0,
        block_window_duration_ms: 1000,
        ...(extra.factor !== undefined && { supercharged_coinbase_factor: extra.factor }),
      },
      ledger: {
        accounts: extra.accounts ?? [
          { pk: producer.publicKey, balance: "1000" },
          { pk: delegate.publicKey, balance: "1" },
          { pk: delegator.publicKey, balance: "5000" },
        ],
      },
    },
    "test.json",
  );
  if (!result.ok) throw new Error(result.error);
  return result.genesis;
}

const delegation: SignedCommand = signCommand(
  { kind: "delegation", from: delegator.publicKey, to: delegate.publicKey, amount: 0n, fee: MINA / 10n, nonce: 0, memo: "", validUntil: UINT32_MAX },
  delegator.privateKey,
);

/**
 * A chain with a block at every slot up to `lastSlot` (the lottery is not what is tested
 * here), the delegation in the block at slot 2; with `proving`, every block buys the work
 * of all open jobs, so ledger proofs follow the transactions closely.
 */
function chain(genesis: Genesis, lastSlot: number, proving: boolean): ChainNode[] {
  const nodes: ChainNode[] = [genesisNode(genesis)];
  for (let slot = 1; slot <= lastSlot; slot++) {
    const parent = nodes[nodes.length - 1] as ChainNode;
    const open = proving ? openWorkIds(parent.scan) : [];
    const snarkWorks = [];
    for (let i = 0; i < open.length; i += 2) snarkWorks.push({ workIds: open.slice(i, i + 2), fee: 0n, prover: producer.publicKey });
    const built = buildBlock(genesis, parent, { globalSlot: slot, creator: producer.publicKey, coinbaseReceiver: producer.publicKey, commands: slot === 2 ? [delegation] : [], snarkWorks });
    if (!built.ok) throw new Error(built.error);
    nodes.push(built.node);
  }
  return nodes;
}

const inEpoch = (nodes: ChainNode[], epoch: number) => nodes.filter((n) => epochOf(testGenesis(), n.block.globalSlot) === epoch && n.block.height > 1);

describe("staking and next epoch ledgers (Epoch_data.update_pair)", () => {
  const genesis = testGenesis();
  const nodes = chain(genesis, 4 * SLOTS_PER_EPOCH - 1, true);
  const stake = (node: ChainNode, key: string) => stakeOf(node.epochData, key);

  it("moves a delegation's stake two epochs later: the staking ledger of epoch e is the snarked ledger at the end of epoch e-2", () => {
    const delegated = 5000n * MINA - MINA / 10n; // the delegation's fee
    // the delegation is in epoch 0; a proof covers it within epoch 0
    const lastOfEpoch0 = inEpoch(nodes, 0).at(-1) as ChainNode;
    expect(lastOfEpoch0.snarkedLedger.get(delegator.publicKey)?.delegate).toBe(delegate.publicKey);
    for (const node of [...inEpoch(nodes, 0), ...inEpoch(nodes, 1)]) {
      expect(stake(node, delegate.publicKey)).toBe(1n * MINA);
      expect(stake(node, delegator.publicKey)).toBe(5000n * MINA);
    }
    for (const node of inEpoch(nodes, 2)) {
      expect(stake(node, delegate.publicKey)).toBe(1n * MINA + delegated);
      expect(node.epochData.ledgerHash).toBe(lastOfEpoch0.block.snarkedLedgerHash);
    }
  });

  it("takes the next epoch ledger at the epoch start and keeps it for the epoch; it becomes the staking ledger one epoch later", () => {
    const lastOfEpoch0 = inEpoch(nodes, 0).at(-1) as ChainNode;
    const lastOfEpoch1 = inEpoch(nodes, 1).at(-1) as ChainNode;
    for (const node of inEpoch(nodes, 1)) expect(node.epochData.next.hash).toBe(lastOfEpoch0.block.snarkedLedgerHash);
    for (const node of inEpoch(nodes, 2)) expect(node.epochData.ledgerHash).toBe(lastOfEpoch1.epochData.next.hash);
    for (const node of inEpoch(nodes, 3)) expect(node.epochData.ledgerHash).toBe(lastOfEpoch1.block.snarkedLedgerHash);
  });

  it("keeps the genesis epoch ledgers while the snarked ledger is still the genesis ledger (no ledger proof yet)", () => {
    const unproved = chain(genesis, 4 * SLOTS_PER_EPOCH - 1, false);
    const genesisHash = ledgerHash(genesis.ledger);
    for (const node of unproved) {
      expect(node.block.snarkedLedgerHash).toBe(genesisHash);
      expect(node.epochData.ledgerHash).toBe(genesisHash);
      expect(node.epochData.next.hash).toBe(genesisHash);
      expect(stake(node, delegate.publicKey)).toBe(1n * MINA);
    }
  });

  it("starts from the runtime config's genesis epoch ledgers when given (create_genesis): the next one is staking from epoch 1", () => {
    const base = testGenesis();
    const stakingLedger = new Map([[producer.publicKey, { publicKey: producer.publicKey, balance: 7n * MINA, nonce: 0, delegate: producer.publicKey }]]);
    const nextLedger = new Map([[delegate.publicKey, { publicKey: delegate.publicKey, balance: 9n * MINA, nonce: 0, delegate: delegate.publicKey }]]);
    const withEpochData: Genesis = { ...base, epochLedgers: { staking: { ledger: stakingLedger, seed: "2vbTheSeed" }, next: { ledger: nextLedger, seed: "2vbNextSeed" } } };
    const unproved = chain(withEpochData, 2 * SLOTS_PER_EPOCH - 1, false);
    const genesisData = (unproved[0] as ChainNode).epochData;
    expect([genesisData.seed, genesisData.ledgerHash, genesisData.next.hash]).toEqual(["2vbTheSeed", ledgerHash(stakingLedger), ledgerHash(nextLedger)]);
    for (const node of inEpoch(unproved, 0)) expect(stake(node, producer.publicKey)).toBe(7n * MINA);
    for (const node of inEpoch(unproved, 1)) {
      expect(stake(node, delegate.publicKey)).toBe(9n * MINA);
      // no proof yet: the next epoch ledger stays
      expect(node.epochData.next.hash).toBe(ledgerHash(nextLedger));
    }
  });

  it("makes one shift when epochs are skipped, as update_pair does", () => {
    const parent = inEpoch(nodes, 0).at(-1) as ChainNode;
    const skipped = epochDataFor(parent, 3);
    expect(skipped.ledgerHash).toBe(parent.epochData.next.hash);
    expect(skipped.next.hash).toBe(parent.block.snarkedLedgerHash);
  });

  it("keeps the root's epoch ledgers, snarked ledger and scan jobs through a persisted frontier", () => {
    const small = testGenesis({ k: 2 });
    const built = chain(small, 3 * SLOTS_PER_EPOCH - 1, true);
    const frontier = new Frontier(small, built[0] as ChainNode);
    for (const node of built.slice(1)) frontier.insert(node);
    // the root alone: the blocks above it are validated again on load, lottery included, which this chain does not pass
    const snapshot = { ...frontier.toSnapshot(), blocks: [] };
    const restored = frontierFromSnapshot(small, JSON.parse(JSON.stringify(snapshot)));
    if (!restored.ok) throw new Error(restored.error);
    const [before, after] = [frontier.root, restored.frontier.root];
    expect(before.block.height).toBeGreaterThan(2 * SLOTS_PER_EPOCH);
    expect(after.scan.pending.map((j) => j.ledger)).toEqual(before.scan.pending.map((j) => j.ledger));
    expect(after.epochData.ledgerHash).toBe(before.epochData.ledgerHash);
    expect(after.epochData.next.hash).toBe(before.epochData.next.hash);
    expect(after.snarkedLedger).toEqual(before.snarkedLedger);
    expect(stakeOf(after.epochData, delegate.publicKey)).toBe(stakeOf(before.epochData, delegate.publicKey));
  });
});

describe("supercharged coinbase (can_apply_supercharged_coinbase_exn, coinbase_amount)", () => {
  const timing = { initial_minimum_balance: "500", cliff_time: "15", cliff_amount: "500", vesting_period: "1", vesting_increment: "0" };
  const accounts = [
    { pk: producer.publicKey, balance: "1000" },
    { pk: timedProducer.publicKey, balance: "1000", timing },
  ];
  const produce = (genesis: Genesis, creator: string, slot: number) => {
    const built = buildBlock(genesis, genesisNode(genesis), { globalSlot: slot, creator, coinbaseReceiver: creator, commands: [], snarkWorks: [] });
    if (!built.ok) throw new Error(built.error);
    return built.node;
  };

  it("pays an unlocked winner the coinbase times supercharged_coinbase_factor, a winner with locked tokens the plain coinbase", () => {
    const genesis = testGenesis({ accounts, factor: 2 });
    const unlocked = produce(genesis, producer.publicKey, 1);
    expect(unlocked.superchargeCoinbase).toBe(true);
    expect(unlocked.ledger.get(producer.publicKey)?.balance).toBe(1000n * MINA + 2n * genesis.coinbase);
    const locked = produce(genesis, timedProducer.publicKey, 1);
    expect(locked.superchargeCoinbase).toBe(false);
    expect(locked.ledger.get(timedProducer.publicKey)?.balance).toBe(1000n * MINA + genesis.coinbase);
  });

  it("counts a timed account whose minimum balance has reached 0 as unlocked", () => {
    const genesis = testGenesis({ accounts, factor: 2 });
    const vested = produce(genesis, timedProducer.publicKey, 15);
    expect(vested.superchargeCoinbase).toBe(true);
    expect(vested.ledger.get(timedProducer.publicKey)?.balance).toBe(1000n * MINA + 2n * genesis.coinbase);
  });

  it("uses develop 9f068b1c3b's factor 1 when the runtime config gives none: Mina's 720 MINA for an unlocked winner", () => {
    const genesis = testGenesis({ accounts });
    expect(genesis.superchargedCoinbaseFactor).toBe(1);
    const unlocked = produce(genesis, producer.publicKey, 1);
    expect(unlocked.superchargeCoinbase).toBe(true);
    expect(unlocked.ledger.get(producer.publicKey)?.balance).toBe(1000n * MINA + 720n * MINA);
  });
});
