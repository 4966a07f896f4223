import { z } from "zod";
import { blockFromWire, blockToWire, BlockWireSchema, epochLedgerOf, isBetterTip, validateBlock, type Block, type ChainNode, type EpochData } from "./block.js";
import type { Genesis } from "./genesis.js";
import { ledgerFromWire, ledgerHash, ledgerToWire, stakeDistribution, type AccountWire, type Ledger } from "./ledger.js";
import type { ScanState } from "./scan-state.js";

/** Mina's transition frontier diffs as Applying_diffs writes them (Diff.to_yojson, transition_frontier/frontier_base/diff.ml). */
export type FrontierDiff = { New_node: string } | { Best_tip_changed: string } | { Root_transitioned: { new_root: string; garbage: string[]; just_emitted_a_proof: boolean } };

export type AddResult =
  | { status: "added"; node: ChainNode; diffs: FrontierDiff[]; bestTipChanged: boolean }
  | { status: "known" }
  | { status: "missing-parent" }
  | { status: "too-old" }
  | { status: "invalid"; error: string };

/**
 * The transition frontier: the root (the newest block more than k deep on the best chain)
 * and every block descending from it. Blocks that do not descend from the root are gone.
 */
export class Frontier {
  readonly nodes = new Map<string, ChainNode>();
  rootHash: string;
  bestHash: string;

  constructor(
    readonly genesis: Genesis,
    root: ChainNode,
  ) {
    this.nodes.set(root.block.stateHash, root);
    this.rootHash = root.block.stateHash;
    this.bestHash = root.block.stateHash;
  }

  get root(): ChainNode {
    return this.nodes.get(this.rootHash) as ChainNode;
  }

  get best(): ChainNode {
    return this.nodes.get(this.bestHash) as ChainNode;
  }

  has(hash: string): boolean {
    return this.nodes.has(hash);
  }

  get(hash: string): ChainNode | undefined {
    return this.nodes.get(hash);
  }

  /** Validates and adds a block whose parent is in the frontier. */
  add(block: Block): AddResult {
    if (this.nodes.has(block.stateHash)) return { status: "known" };
    const parent = this.nodes.get(block.previousStateHash);
    if (!parent) return block.height <= this.root.block.height ? { status: "too-old" } : { status: "missing-parent" };
    const built = validateBlock(this.genesis, parent, block);
    if (!built.ok) return { status: "invalid", error: built.error };
    return this.insert(built.node);
  }

  /** Adds a node this daemon built itself (already valid by construction). */
  insert(node: ChainNode): AddResult {
    const hash = node.block.stateHash;
    this.nodes.set(hash, node);
    // Mina's order (Full_frontier.calculate_diffs): New_node, then Root_transitioned, then Best_tip_changed
    const diffs: FrontierDiff[] = [{ New_node: hash }];
    let bestTipChanged = false;
    if (isBetterTip(node.block, this.best.block)) {
      this.bestHash = hash;
      bestTipChanged = true;
      const transition = this.moveRoot();
      if (transition) diffs.push({ Root_transitioned: transition });
      diffs.push({ Best_tip_changed: hash });
    }
    return { status: "added", node, diffs, bestTipChanged };
  }

  /** Path from the root to `hash` (inclusive), oldest first. */
  path(hash: string = this.bestHash): ChainNode[] {
    const out: ChainNode[] = [];
    let node = this.nodes.get(hash);
    while (node) {
      out.push(node);
      if (node.block.stateHash === this.rootHash) break;
      node = this.nodes.get(node.block.previousStateHash);
    }
    return out.reverse();
  }

  /** Moves the root along the best chain so that the best tip is at most k blocks above it. */
  private moveRoot(): { new_root: string; garbage: string[]; just_emitted_a_proof: boolean } | undefined {
    const targetHeight = this.best.block.height - this.genesis.k;
    if (targetHeight <= this.root.block.height) return undefined;
    const newRoot = this.path().find((n) => n.block.height === targetHeight);
    if (!newRoot) return undefined;
    const keep = new Set<string>([newRoot.block.stateHash]);
    // nodes are kept when their ancestry reaches the new root
    const sorted = [...this.nodes.values()].sort((a, b) => a.block.height - b.block.height);
    for (const node of sorted) if (keep.has(node.block.previousStateHash)) keep.add(node.block.stateHash);
    const garbage = sorted.filter((n) => !keep.has(n.block.stateHash)).map((n) => n.block.stateHash);
    for (const hash of garbage) this.nodes.delete(hash);
    this.rootHash = newRoot.block.stateHash;
    // the heir's just_emitted_a_proof (Full_frontier.calculate_root_transition_diff)
    return { new_root: this.rootHash, garbage, just_emitted_a_proof: newRoot.block.justEmittedAProof };
  }

  toSnapshot(): FrontierSnapshot {
    const root = this.root;
    const blocks = [...this.nodes.values()]
      .filter((n) => n.block.stateHash !== this.rootHash)
      .sort((a, b) => a.block.height - b.block.height)
      .map((n) => blockToWire(n.block));
    return {
      chainId: this.genesis.genesisStateHash,
      root: {
        block: blockToWire(root.block),
        ledger: ledgerToWire(root.ledger),
        epochData: {
          epoch: root.epochData.epoch,
          seed: root.epochData.seed,
          ledgerHash: root.epochData.ledgerHash,
          nextLedgerHash: root.epochData.next.hash,
          genesisLedgerHash: root.epochData.genesisLedgerHash,
        },
        snarkedLedgerHash: root.block.snarkedLedgerHash,
        superchargeCoinbase: root.superchargeCoinbase,
        coinbase: root.coinbase.toString(),
        // every ledger the root refers to (epoch ledgers, snarked ledger, the pending jobs' ledgers), once each
        ledgers: [...ledgersOf(root).values()].map(ledgerToWire),
        scan: { nextWorkId: root.scan.nextWorkId, pending: root.scan.pending.map(({ id, height, ledgerHash, completed }) => ({ id, height, ledgerHash, completed })) },
        consensus: root.consensus,
      },
      blocks,
    };
  }
}

const accountWire = z.object({
  publicKey: z.string(),
  tokenId: z.string().optional(),
  balance: z.string().regex(/^\d+$/),
  nonce: z.number().int().nonnegative(),
  delegate: z.string().nullable(),
  timing: z.object({ initialMinimumBalance: z.string(), cliffTime: z.number(), cliffAmount: z.string(), vestingPeriod: z.number().int().positive(), vestingIncrement: z.string() }).optional(),
  // what zkApp commands set (zkapp/account.ts), kept as it was written
  zkappFields: z.custom<NonNullable<AccountWire["zkappFields"]>>((v) => typeof v === "object" && v !== null).optional(),
}) satisfies z.ZodType<AccountWire>;

const checkpointsWire = z.object({ startCheckpoint: z.string(), lockCheckpoint: z.string(), epochLength: z.number().int().positive() });

/** A frontier as it is persisted to the config directory and handed to a bootstrapping peer. */
export const FrontierSnapshotSchema = z.object({
  chainId: z.string(),
  root: z.object({
    block: BlockWireSchema,
    ledger: z.array(accountWire),
    epochData: z.object({ epoch: z.number().int(), seed: z.string(), ledgerHash: z.string(), nextLedgerHash: z.string(), genesisLedgerHash: z.string() }),
    snarkedLedgerHash: z.string(),
    superchargeCoinbase: z.boolean(),
    coinbase: z.string().regex(/^\d+$/),
    ledgers: z.array(z.array(accountWire)),
    scan: z.object({
      nextWorkId: z.number().int(),
      pending: z.array(z.object({ id: z.number().int(), height: z.number().int(), ledgerHash: z.string(), completed: z.boolean() })),
    }),
    consensus: z.object({
      epochCount: z.number().int().nonnegative(),
      minWindowDensity: z.number().int().nonnegative(),
      subWindowDensities: z.array(z.number().int().nonnegative()),
      stakingEpoch: checkpointsWire,
      nextEpoch: checkpointsWire,
    }),
  }),
  blocks: z.array(BlockWireSchema),
});
export type FrontierSnapshot = z.infer<typeof FrontierSnapshotSchema>;

/** The ledgers a root refers to besides its own, by hash. */
function ledgersOf(root: ChainNode): Map<string, Ledger> {
  const ledgers = new Map<string, Ledger>();
  ledgers.set(root.epochData.ledgerHash, root.epochData.ledger);
  ledgers.set(root.epochData.next.hash, root.epochData.next.ledger);
  ledgers.set(root.block.snarkedLedgerHash, root.snarkedLedger);
  for (const job of root.scan.pending) ledgers.set(job.ledgerHash, job.ledger);
  ledgers.delete(root.block.stagedLedgerHash);
  return ledgers;
}

/**
 * Rebuilds a frontier from a snapshot: the root is taken as given (as a real node trusts a
 * root whose snarked ledger is proved), every other block is validated again.
 */
export function frontierFromSnapshot(genesis: Genesis, snapshot: FrontierSnapshot): { ok: true; frontier: Frontier; added: ChainNode[] } | { ok: false; error: string } {
  if (snapshot.chainId !== genesis.genesisStateHash) return { ok: false, error: `it belongs to another chain (${snapshot.chainId}, ours is ${genesis.genesisStateHash})` };
  const rootBlock = blockFromWire(snapshot.root.block);
  if (!rootBlock) return { ok: false, error: "its root block has an invalid signed command" };
  const ledgers = new Map<string, Ledger>();
  for (const accounts of snapshot.root.ledgers) {
    const ledger = ledgerFromWire(accounts);
    ledgers.set(ledgerHash(ledger), ledger);
  }
  const rootLedger = ledgerFromWire(snapshot.root.ledger);
  ledgers.set(ledgerHash(rootLedger), rootLedger);
  const find = (hash: string, what: string): Ledger => {
    const ledger = ledgers.get(hash);
    if (!ledger) throw new Error(`the snapshot lacks the ${what} ledger ${hash}`);
    return ledger;
  };
  let root: ChainNode;
  try {
    const e = snapshot.root.epochData;
    const staking = find(e.ledgerHash, "staking epoch");
    const epochData: EpochData = {
      epoch: e.epoch,
      seed: e.seed,
      ledgerHash: e.ledgerHash,
      ledger: staking,
      distribution: stakeDistribution(staking),
      next: epochLedgerOf(find(e.nextLedgerHash, "next epoch"), e.nextLedgerHash),
      genesisLedgerHash: e.genesisLedgerHash,
    };
    const scan: ScanState = {
      nextWorkId: snapshot.root.scan.nextWorkId,
      pending: snapshot.root.scan.pending.map((job) => ({ ...job, ledger: find(job.ledgerHash, `scan job ${job.id}'s`) })),
    };
    const snarkedLedger = find(snapshot.root.snarkedLedgerHash, "snarked");
    root = {
      block: rootBlock,
      ledger: rootLedger,
      snarkedLedger,
      superchargeCoinbase: snapshot.root.superchargeCoinbase,
      coinbase: BigInt(snapshot.root.coinbase),
      statuses: [],
      epochData,
      consensus: snapshot.root.consensus,
      scan,
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const frontier = new Frontier(genesis, root);
  const added: ChainNode[] = [];
  for (const wire of snapshot.blocks) {
    const block = blockFromWire(wire);
    if (!block) return { ok: false, error: `block ${wire.stateHash} has an invalid signed command` };
    const result = frontier.add(block);
    if (result.status === "added") added.push(result.node);
    else if (result.status !== "known") return { ok: false, error: `block ${wire.stateHash} at height ${wire.height}: ${result.status === "invalid" ? result.error : result.status}` };
  }
  return { ok: true, frontier, added };
}
