import type { Account, Ledger } from "../ledger.js";
import type { ZkappContext } from "./apply.js";
import { applyRecordFeePayer, feeOf, feePayerOf, nonceOf, type ZkappCommandRecord } from "./record.js";

/** Mina's minimum user-command fee applies to zkApp commands too (0.001 MINA, genesis.ts MINIMUM_USER_COMMAND_FEE). */
const MINIMUM_FEE = 1_000_000n;

/** The pending zkApp commands, checked against the best tip as Mina's pool checks them. */
export class ZkappPool {
  readonly byHash = new Map<string, ZkappCommandRecord>();

  fromFeePayer(publicKey: string): ZkappCommandRecord[] {
    return [...this.byHash.values()].filter((r) => feePayerOf(r) === publicKey).sort((a, b) => nonceOf(a) - nonceOf(b));
  }

  /**
   * Mina's pool diff errors for a zkApp command (Duplicate, Insufficient_fee, Invalid_nonce,
   * Insufficient_funds, Sender_account_does_not_exist); `inferredNonce` counts the sender's queued
   * commands of both pools. The fee payer's part must apply on the best tip's ledger after them.
   */
  check(ledger: Ledger, record: ZkappCommandRecord, inferredNonce: number | undefined, ctx: ZkappContext): string | undefined {
    if (this.byHash.has(record.hash)) return "Duplicate";
    const payer = ledger.get(feePayerOf(record));
    if (!payer || inferredNonce === undefined) return "Sender_account_does_not_exist";
    if (feeOf(record) < MINIMUM_FEE) return "Insufficient_fee";
    if (nonceOf(record) !== inferredNonce) return "Invalid_nonce";
    // the fee payer part on a ledger where the queued commands already raised the nonce
    const scratch = new Map<string, Account>(ledger);
    scratch.set(payer.publicKey, { ...payer, nonce: nonceOf(record) });
    const applied = applyRecordFeePayer(scratch, record, ctx);
    if (!applied.ok) return applied.error.includes("Invalid_signature") ? "Invalid_signature" : applied.error.includes("cannot pay") ? "Insufficient_funds" : applied.error;
    return undefined;
  }

  add(record: ZkappCommandRecord): void {
    this.byHash.set(record.hash, record);
  }

  /**
   * Drops what the new best tip included or made stale, and, as Mina's pool revalidates, the
   * commands whose fee payer part no longer applies (its balance, or a send permission a
   * signature no longer satisfies).
   */
  revalidate(ledger: Ledger, ctx: ZkappContext): ZkappCommandRecord[] {
    const dropped: ZkappCommandRecord[] = [];
    for (const record of this.byHash.values()) {
      const account = ledger.get(feePayerOf(record));
      const scratch = new Map<string, Account>(ledger);
      if (account) scratch.set(account.publicKey, { ...account, nonce: nonceOf(record) });
      if (!account || nonceOf(record) < account.nonce || !applyRecordFeePayer(scratch, record, ctx).ok) {
        this.byHash.delete(record.hash);
        dropped.push(record);
      }
    }
    return dropped;
  }

  /** The commands a block can include on `ledger` (after its signed commands): per fee payer in nonce order, best fee first, each one's fee payer part applicable. */
  select(ledger: Ledger, max: number, ctx: ZkappContext): ZkappCommandRecord[] {
    const scratch = new Map<string, Account>(ledger);
    const chosen: ZkappCommandRecord[] = [];
    const pending = [...this.byHash.values()].sort((a, b) => (feeOf(b) > feeOf(a) ? 1 : feeOf(b) < feeOf(a) ? -1 : nonceOf(a) - nonceOf(b)));
    let progress = true;
    while (progress && chosen.length < max) {
      progress = false;
      for (const record of pending) {
        if (chosen.includes(record) || chosen.length >= max) continue;
        if (scratch.get(feePayerOf(record))?.nonce !== nonceOf(record)) continue;
        // a block applies every fee payer part before any account update (record.ts): only those decide
        if (applyRecordFeePayer(scratch, record, ctx).ok) {
          chosen.push(record);
          progress = true;
        }
      }
    }
    return chosen;
  }
}
