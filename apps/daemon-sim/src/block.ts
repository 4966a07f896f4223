import { z } from "zod";
import { negativeOne, updateConsensus, type ConsensusTrack } from "./consensus-state.js";
import { epochSeedOf, fieldDigest, stateHashOf } from "./encoding.js";
import type { Genesis } from "./genesis.js";
import { applyBlock, ledgerHash, minimumBalanceAt, stakeDistribution, type CommandStatus, type Ledger, type StakeDistribution } from "./ledger.js";
import { runLottery } from "./lottery.js";
import { advanceScanState, canComplete, EMPTY_SCAN_STATE, type ScanState } from "./scan-state.js";
import { producesEmptyDiff, stopSlotRejection } from "./stop-slots.js";
import { commandFromWire, commandToWire, SignedCommandWireSchema, type SignedCommand } from "./transaction.js";
import type { ZkappStatus } from "./zkapp/apply.js";
import { applyZkappCommands, ZkappCommandRecordSchema, type ZkappCommandRecord } from "./zkapp/record.js";

export interface CompletedWork {
  workIds: number[];
  fee: bigint;
  prover: string;
}

/** A block as it is gossiped: what the producer chose, and the results every peer re-checks. */
export interface Block {
  stateHash: string;
  previousStateHash: string;
  height: number;
  globalSlot: number;
  creator: string;
  coinbaseReceiver: string;
  /** ms since the Unix epoch: the start of the block's slot */
  timestamp: number;
  commands: SignedCommand[];
  /** zkApp commands, applied after the signed commands (zkapp/record.ts) */
  zkappCommands?: ZkappCommandRecord[];
  snarkWorks: CompletedWork[];
  stagedLedgerHash: string;
  snarkedLedgerHash: string;
  justEmittedAProof: boolean;
  /** transactions covered by the ledger proof this block emitted (0 when none) */
  provedTransactions: number;
}

/** An epoch ledger (Mina's Epoch_ledger: hash and total currency), with the accounts it snapshots. */
export interface EpochLedgerSnapshot {
  hash: string;
  ledger: Ledger;
  distribution: StakeDistribution;
}

/**
 * The epoch data of a block's consensus state (Mina's staking_epoch_data / next_epoch_data,
 * src/lib/consensus/proof_of_stake.ml at 9f068b1c3b): the staking ledger the lottery of the
 * block's epoch runs against (`ledgerHash`, `distribution`, `ledger`) and the next epoch's
 * ledger (`next`), which becomes the staking ledger one epoch later.
 */
export interface EpochData {
  epoch: number;
  seed: string;
  distribution: StakeDistribution;
  ledgerHash: string;
  /** the staking epoch ledger's accounts (the supercharged coinbase looks at the winner's timing there) */
  ledger: Ledger;
  next: EpochLedgerSnapshot;
  /** Mina's blockchain_state.genesis_ledger_hash: while the snarked ledger is still it, the next epoch ledger stays */
  genesisLedgerHash: string;
}

export function epochLedgerOf(ledger: Ledger, hash: string = ledgerHash(ledger)): EpochLedgerSnapshot {
  return { hash, ledger, distribution: stakeDistribution(ledger) };
}

/** A block in the frontier with everything derived from applying it. */
export interface ChainNode {
  block: Block;
  ledger: Ledger;
  /** the ledger of `block.snarkedLedgerHash` (the last ledger proof's target), what the next epoch ledger is taken from */
  snarkedLedger: Ledger;
  /** Mina's supercharge_coinbase of the block's consensus state: its winner's account had no locked tokens */
  superchargeCoinbase: boolean;
  /** the coinbase the block paid (coinbaseAmount), what GraphQL and the archive report */
  coinbase: bigint;
  statuses: CommandStatus[];
  zkappStatuses?: ZkappStatus[];
  epochData: EpochData;
  /** Mina's epoch count, checkpoints and window densities for this block */
  consensus: ConsensusTrack;
  scan: ScanState;
}

const decimal = z.string().regex(/^\d+$/);

export const BlockWireSchema = z.object({
  stateHash: z.string(),
  previousStateHash: z.string(),
  height: z.number().int().positive(),
  globalSlot: z.number().int().nonnegative(),
  creator: z.string(),
  coinbaseReceiver: z.string(),
  timestamp: z.number(),
  commands: z.array(SignedCommandWireSchema),
  zkappCommands: z.array(ZkappCommandRecordSchema).optional(),
  snarkWorks: z.array(z.object({ workIds: z.array(z.number().int().nonnegative()).min(1).max(2), fee: decimal, prover: z.string() })),
  stagedLedgerHash: z.string(),
  snarkedLedgerHash: z.string(),
  justEmittedAProof: z.boolean(),
  provedTransactions: z.number().int().nonnegative(),
});
export type BlockWire = z.infer<typeof BlockWireSchema>;

export function blockToWire(block: Block): BlockWire {
  return {
    ...block,
    commands: block.commands.map(commandToWire),
    snarkWorks: block.snarkWorks.map((w) => ({ workIds: w.workIds, fee: w.fee.toString(), prover: w.prover })),
  };
}

export function blockFromWire(wire: BlockWire): Block | undefined {
  const commands: SignedCommand[] = [];
  for (const c of wire.commands) {
    const command = commandFromWire(c);
    if (!command) return undefined;
    commands.push(command);
  }
  return { ...wire, commands, snarkWorks: wire.snarkWorks.map((w) => ({ workIds: w.workIds, fee: BigInt(w.fee), prover: w.prover })) };
}

export function computeStateHash(block: Omit<Block, "stateHash">): string {
  return stateHashOf(
    fieldDigest(
      "state",
      block.previousStateHash,
      String(block.height),
      String(block.globalSlot),
      block.creator,
      block.coinbaseReceiver,
      String(block.timestamp),
      block.commands.map((c) => c.hash).join(","),
      ...(block.zkappCommands?.length ? [block.zkappCommands.map((c) => c.hash).join(",")] : []),
      block.snarkWorks.map((w) => `${w.workIds.join("+")}:${w.fee}:${w.prover}`).join(","),
      block.stagedLedgerHash,
      block.snarkedLedgerHash,
    ),
  );
}

export function epochOf(genesis: Genesis, globalSlot: number): number {
  return Math.floor(globalSlot / genesis.slotsPerEpoch);
}

/** The public key Mina's genesis block names as its creator and coinbase receiver. */
export const GENESIS_WINNER_PUBLIC_KEY = "B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg";

export function genesisNode(genesis: Genesis): ChainNode {
  const hash = ledgerHash(genesis.ledger);
  const previousStateHash = stateHashOf(fieldDigest("pre-genesis", genesis.genesisStateHash));
  return {
    block: {
      stateHash: genesis.genesisStateHash,
      previousStateHash,
      height: 1,
      globalSlot: 0,
      // Mina's genesis block names the genesis winner, a key no account of the test holds
      creator: GENESIS_WINNER_PUBLIC_KEY,
      coinbaseReceiver: GENESIS_WINNER_PUBLIC_KEY,
      timestamp: genesis.genesisTimestamp,
      commands: [],
      snarkWorks: [],
      stagedLedgerHash: hash,
      snarkedLedgerHash: hash,
      justEmittedAProof: false,
      provedTransactions: 0,
    },
    ledger: genesis.ledger,
    snarkedLedger: genesis.ledger,
    superchargeCoinbase: false,
    coinbase: 0n,
    statuses: [],
    epochData: genesisEpochData(genesis, hash),
    // Mina's genesis consensus state is the update of negative_one to slot 0 (create_genesis_from_transition)
    consensus: updateConsensus(genesis, negativeOne(genesis), 0, 0, previousStateHash),
    scan: EMPTY_SCAN_STATE,
  };
}

/**
 * The genesis block's epoch data (proof_of_stake.ml Consensus_state.create_genesis at
 * 9f068b1c3b): the runtime config's epoch_data staking ledger and seed, its next ledger (else
 * the staking one), when it has them; else both ledgers are the genesis ledger.
 */
function genesisEpochData(genesis: Genesis, genesisLedgerHash: string): EpochData {
  const data = genesis.epochLedgers;
  const staking = data ? epochLedgerOf(data.staking.ledger) : epochLedgerOf(genesis.ledger, genesisLedgerHash);
  const next = data?.next ? epochLedgerOf(data.next.ledger) : staking;
  const seed = data?.staking.seed ?? genesis.genesisSeed;
  return { epoch: 0, seed, ledgerHash: staking.hash, distribution: staking.distribution, ledger: staking.ledger, next, genesisLedgerHash };
}

/**
 * The epoch data of a block in `epoch` whose parent is `parent`, as Mina's
 * Epoch_data.update_pair takes it (src/lib/consensus/proof_of_stake.ml, develop 9f068b1c3b):
 * unchanged within an epoch; when the epoch increases, the parent's next epoch ledger
 * becomes the staking ledger, and the next epoch ledger becomes the parent's snarked ledger
 * (the protocol state's snarked_ledger_hash), unless that is still the genesis ledger, when
 * the next epoch ledger stays. So the staking ledger of epoch e is the snarked ledger at the
 * end of epoch e-2: a delegation or a balance change moves stake two epochs later at the
 * earliest, once a ledger proof covers it. One shift however many epochs were skipped, as
 * update_pair. The seeds stay the simulator's own.
 */
export function epochDataFor(parent: ChainNode, epoch: number): EpochData {
  const previous = parent.epochData;
  if (epoch === previous.epoch) return previous;
  const snarkedHash = parent.block.snarkedLedgerHash;
  const next = snarkedHash === previous.genesisLedgerHash ? previous.next : epochLedgerOf(parent.snarkedLedger, snarkedHash);
  return {
    epoch,
    seed: epochSeedOf(fieldDigest("seed", previous.seed, parent.block.stateHash, String(epoch))),
    ledgerHash: previous.next.hash,
    distribution: previous.next.distribution,
    ledger: previous.next.ledger,
    next,
    genesisLedgerHash: previous.genesisLedgerHash,
  };
}

/**
 * Mina's supercharge_coinbase (block_producer.ml, Staged_ledger.can_apply_supercharged_coinbase_exn,
 * develop 9f068b1c3b): the winner's account in the staking epoch ledger has no locked tokens
 * at the block's global slot (Account.has_locked_tokens: untimed, or a minimum balance of 0).
 * The simulator's winner is the block's creator (its lottery runs on the stake delegated to
 * it, Mina's on each delegator's account).
 */
export function canSuperchargeCoinbase(epochData: EpochData, winner: string, globalSlot: number): boolean {
  const account = epochData.ledger.get(winner);
  if (!account) return false;
  return minimumBalanceAt(account.timing, globalSlot) === 0n;
}

/** Mina's Staged_ledger.coinbase_amount: the coinbase, times supercharged_coinbase_factor when supercharged. */
export function coinbaseAmount(genesis: Genesis, supercharge: boolean): bigint {
  return supercharge ? genesis.coinbase * BigInt(genesis.superchargedCoinbaseFactor) : genesis.coinbase;
}

export function stakeOf(epochData: EpochData, producer: string): bigint {
  return epochData.distribution.stakes.get(producer) ?? 0n;
}

export type BuildResult = { ok: true; node: ChainNode } | { ok: false; error: string };

export interface BlockChoice {
  globalSlot: number;
  creator: string;
  coinbaseReceiver: string;
  commands: SignedCommand[];
  zkappCommands?: ZkappCommandRecord[];
  snarkWorks: CompletedWork[];
}

/** Applies a producer's choice on `parent`: the block with its results (state hash, ledger hashes, proof). */
export function buildBlock(genesis: Genesis, parent: ChainNode, choice: BlockChoice): BuildResult {
  const epochData = epochDataFor(parent, epochOf(genesis, choice.globalSlot));
  const superchargeCoinbase = canSuperchargeCoinbase(epochData, choice.creator, choice.globalSlot);
  // an empty diff after slot_tx_end carries no coinbase (stop-slots.ts)
  const coinbase = producesEmptyDiff(genesis, choice.globalSlot) ? 0n : coinbaseAmount(genesis, superchargeCoinbase);
  const applied = applyBlock(parent.ledger, {
    commands: choice.commands,
    coinbaseReceiver: choice.coinbaseReceiver,
    coinbase,
    snarkFees: choice.snarkWorks.map((w) => ({ prover: w.prover, fee: w.fee })),
    globalSlot: choice.globalSlot,
    accountCreationFee: genesis.accountCreationFee,
  });
  if (!applied.ok) return applied;
  const zkappCommands = choice.zkappCommands ?? [];
  const zk = applyZkappCommands(applied.ledger, zkappCommands, { globalSlot: choice.globalSlot, blockchainLength: parent.block.height + 1, accountCreationFee: genesis.accountCreationFee });
  if (!zk.ok) return zk;
  // the zkApp commands' fees go to the coinbase receiver, as the signed commands' do (applyBlock)
  const receiver = zk.ledger.get(choice.coinbaseReceiver);
  if (receiver && zk.fees > 0n) zk.ledger.set(receiver.publicKey, { ...receiver, balance: receiver.balance + zk.fees });
  const ledger: Ledger = zk.ledger;
  const height = parent.block.height + 1;
  const stagedLedgerHash = ledgerHash(ledger);
  const step = advanceScanState(
    parent.scan,
    {
      height,
      ledgerHash: stagedLedgerHash,
      ledger,
      transactionCount: choice.commands.length + zkappCommands.length + (coinbase > 0n ? 1 : 0),
      completedWorkIds: choice.snarkWorks.flatMap((w) => w.workIds),
    },
    genesis.transactionCapacity,
    genesis.workDelay,
  );
  const partial = {
    previousStateHash: parent.block.stateHash,
    height,
    globalSlot: choice.globalSlot,
    creator: choice.creator,
    coinbaseReceiver: choice.coinbaseReceiver,
    timestamp: genesis.genesisTimestamp + choice.globalSlot * genesis.blockWindowMs,
    commands: choice.commands,
    ...(zkappCommands.length > 0 && { zkappCommands }),
    snarkWorks: choice.snarkWorks,
    stagedLedgerHash,
    snarkedLedgerHash: step.proof?.snarkedLedgerHash ?? parent.block.snarkedLedgerHash,
    justEmittedAProof: step.proof !== undefined,
    provedTransactions: step.proof?.transactions ?? 0,
  };
  const block: Block = { stateHash: computeStateHash(partial), ...partial };
  const consensus = updateConsensus(genesis, parent.consensus, parent.block.globalSlot, choice.globalSlot, parent.block.stateHash);
  const snarkedLedger = step.proof?.snarkedLedger ?? parent.snarkedLedger;
  return {
    ok: true,
    node: {
      block,
      ledger,
      snarkedLedger,
      superchargeCoinbase,
      coinbase,
      statuses: applied.statuses,
      ...(zkappCommands.length > 0 && { zkappStatuses: zk.statuses }),
      epochData,
      consensus,
      scan: step.scan,
    },
  };
}

/** Checks a received block against its parent: slot order, the creator's lottery win, the work, and every result. */
export function validateBlock(genesis: Genesis, parent: ChainNode, block: Block): BuildResult {
  if (block.previousStateHash !== parent.block.stateHash) return { ok: false, error: "parent mismatch" };
  if (block.globalSlot <= parent.block.globalSlot) return { ok: false, error: `slot ${block.globalSlot} is not after its parent's slot ${parent.block.globalSlot}` };
  const stopped = stopSlotRejection(genesis, block);
  if (stopped) return { ok: false, error: stopped };
  const epochData = epochDataFor(parent, epochOf(genesis, block.globalSlot));
  const lottery = runLottery(epochData.seed, block.globalSlot, block.creator, stakeOf(epochData, block.creator), epochData.distribution.total);
  if (!lottery.won) return { ok: false, error: `${block.creator} did not win slot ${block.globalSlot}` };
  if (block.coinbaseReceiver !== block.creator) return { ok: false, error: "the coinbase receiver must be the block creator" };
  const seen = new Set<number>();
  for (const work of block.snarkWorks) {
    if (!canComplete(parent.scan, work.workIds) || work.workIds.some((id) => seen.has(id))) return { ok: false, error: `snark work ${work.workIds.join(",")} does not match an open job` };
    for (const id of work.workIds) seen.add(id);
  }
  const built = buildBlock(genesis, parent, block);
  if (!built.ok) return built;
  const mine = built.node.block;
  const claimed: (keyof Block)[] = ["stateHash", "height", "timestamp", "stagedLedgerHash", "snarkedLedgerHash", "justEmittedAProof", "provedTransactions"];
  const differing = claimed.filter((field) => mine[field] !== block[field]);
  if (differing.length > 0) {
    return { ok: false, error: `recomputed ${differing.join(", ")} differ from the block's (state hash ${block.stateHash}, recomputed ${mine.stateHash})` };
  }
  return built;
}

/** Chain selection: the longer chain wins; between equal lengths, the smaller state hash (a deterministic tie-break every peer agrees on). */
export function isBetterTip(candidate: Block, current: Block): boolean {
  if (candidate.height !== current.height) return candidate.height > current.height;
  return candidate.stateHash < current.stateHash;
}
