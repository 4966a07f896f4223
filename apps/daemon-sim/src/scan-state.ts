import type { Ledger } from "./ledger.js";

/**
 * A simplified scan state. Every transaction a block adds (its coinbase and user commands)
 * becomes a job with a work id; snark workers complete jobs (in bundles of one or two ids)
 * and blocks include the completed work. Once the oldest 2^transaction_capacity_log_2 jobs
 * are all completed, and the newest of them is at least `work_delay` blocks old, the block
 * emits a ledger proof for them: its snarked ledger hash becomes the staged ledger hash of
 * the block that added the batch's last transaction. No SNARK is computed.
 */
export interface ScanJob {
  id: number;
  /** height of the block that added the transaction */
  height: number;
  /** staged ledger hash after that block */
  ledgerHash: string;
  /** the staged ledger after that block: a proof's snarked ledger, which the next epoch ledger is taken from */
  ledger: Ledger;
  completed: boolean;
}

export interface ScanState {
  nextWorkId: number;
  /** jobs not yet covered by a ledger proof, oldest first */
  pending: readonly ScanJob[];
}

export const EMPTY_SCAN_STATE: ScanState = { nextWorkId: 0, pending: [] };

/** Work ids a bundle may complete: pending and not yet completed. */
export function openWorkIds(scan: ScanState): number[] {
  return scan.pending.filter((job) => !job.completed).map((job) => job.id);
}

export function canComplete(scan: ScanState, workIds: readonly number[]): boolean {
  const open = new Set(openWorkIds(scan));
  return workIds.length > 0 && workIds.every((id) => open.has(id));
}

export interface ScanStep {
  scan: ScanState;
  proof?: { snarkedLedgerHash: string; snarkedLedger: Ledger; transactions: number };
}

/** Completes the included work, adds this block's transactions, and emits at most one ledger proof (as Mina's blocks do). */
export function advanceScanState(
  scan: ScanState,
  block: { height: number; ledgerHash: string; ledger: Ledger; transactionCount: number; completedWorkIds: readonly number[] },
  capacity: number,
  workDelay: number,
): ScanStep {
  const done = new Set(block.completedWorkIds);
  let pending: ScanJob[] = scan.pending.map((job) => (done.has(job.id) ? { ...job, completed: true } : job));
  let nextWorkId = scan.nextWorkId;
  for (let i = 0; i < block.transactionCount; i++) {
    pending.push({ id: nextWorkId++, height: block.height, ledgerHash: block.ledgerHash, ledger: block.ledger, completed: false });
  }
  const batch = pending.slice(0, capacity);
  const last = batch[batch.length - 1];
  if (batch.length === capacity && last && batch.every((job) => job.completed) && block.height - last.height >= workDelay) {
    pending = pending.slice(capacity);
    return { scan: { nextWorkId, pending }, proof: { snarkedLedgerHash: last.ledgerHash, snarkedLedger: last.ledger, transactions: capacity } };
  }
  return { scan: { nextWorkId, pending } };
}
