import { USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import { liquidBalance, type Account, type Ledger } from "../ledger.js";
import { REPLACE_FEE } from "../txpool.js";
import { permitsSignedSend } from "./account.js";
import type { ZkappContext } from "./apply.js";
import { applyRecordFeePayer, feeOf, feePayerOf, keysWithInvalidSignatures, nonceOf, type ZkappCommandRecord } from "./record.js";

/** Mina's minimum user-command fee applies to zkApp commands too (0.001 MINA, genesis.ts MINIMUM_USER_COMMAND_FEE). */
const MINIMUM_FEE = 1_000_000n;

/**
 * Why a node refuses a zkApp command, in the three places Mina refuses one: well-formedness
 * (user_command.ml check_well_formedness, before the pool: its message, e.g. "Insufficient fee"),
 * the verifier (verifier/common.ml invalid_to_error, e.g. "Invalid_signature: [B62...]"), and the
 * pool's diff errors (transaction_pool.ml Diff_error and indexed_pool.ml, by name).
 */
export type ZkappRefusal = { malformed: string } | { invalid: string } | { diffError: string };

/** The GraphQL error text: mina_graphql.ml's "Couldn't send zkApp commands: " before Mina's error (a diff error as the list the pool reports). */
export function refusalMessage(refusal: ZkappRefusal): string {
  if ("diffError" in refusal) return `Couldn't send zkApp command: ${JSON.stringify([refusal.diffError])}`;
  return `Couldn't send zkApp commands: ${"malformed" in refusal ? refusal.malformed : refusal.invalid}`;
}

/** The pending zkApp commands, checked against the best tip as Mina's pool checks them. */
export class ZkappPool {
  readonly byHash = new Map<string, ZkappCommandRecord>();
  /** what a checked replacement drops: the command of its nonce and the later ones it no longer leaves room for */
  private readonly replacementPlans = new Map<string, ZkappCommandRecord[]>();

  fromFeePayer(publicKey: string): ZkappCommandRecord[] {
    return [...this.byHash.values()].filter((r) => feePayerOf(r) === publicKey).sort((a, b) => nonceOf(a) - nonceOf(b));
  }

  /**
   * Mina's checks of a zkApp command, in Mina's order: well-formedness (the minimum fee), the
   * verifier (every signature, the fee payer's and each signed account update's, against the
   * command's commitments: Invalid_signature naming the keys), then the pool
   * (transaction_pool.ml apply, develop 9f068b1c3b): Duplicate, Fee_payer_account_not_found,
   * Fee_payer_not_permitted_to_send; then Indexed_pool.add_from_gossip_exn (indexed_pool.ml): the
   * nonce is the account's, or the queue's next (appended), or one of the queue's (a
   * replacement), else Invalid_nonce; the fees of the queue up to it must fit the liquid
   * balance (Insufficient_funds; a zkApp command consumes its fee); a replacement's fee must
   * exceed the replaced one's by Mina's replace_fee (1 nanomina) and pay for the later commands
   * that no longer fit (Insufficient_replace_fee). `inferredNonce` counts the sender's queued
   * commands of both pools. Last, the fee payer's part must apply after the queued commands.
   */
  check(ledger: Ledger, record: ZkappCommandRecord, inferredNonce: number | undefined, ctx: ZkappContext): ZkappRefusal | undefined {
    this.replacementPlans.delete(record.hash);
    const fee = feeOf(record);
    if (fee < MINIMUM_FEE) return { malformed: "Insufficient fee" };
    const badKeys = keysWithInvalidSignatures(record);
    if (badKeys.length > 0) return { invalid: `Invalid_signature: [${badKeys.join(";")}]` };
    if (this.byHash.has(record.hash)) return { diffError: "Duplicate" };
    const payer = ledger.get(feePayerOf(record));
    if (!payer || inferredNonce === undefined) return { diffError: "Fee_payer_account_not_found" };
    if (!permitsSignedSend(payer.permissions ?? USER_DEFAULT_PERMISSIONS)) return { diffError: "Fee_payer_not_permitted_to_send" };
    const nonce = nonceOf(record);
    if (nonce < payer.nonce || nonce > inferredNonce) return { diffError: "Invalid_nonce" };
    const queued = this.fromFeePayer(payer.publicKey);
    const balance = liquidBalance(payer, ctx.globalSlot);
    const ahead = queued.filter((r) => nonceOf(r) < nonce).reduce((sum, r) => sum + feeOf(r), 0n);
    if (ahead + fee > balance) return { diffError: "Insufficient_funds" };
    const replaced = queued.find((r) => nonceOf(r) === nonce);
    if (replaced) {
      if (fee < feeOf(replaced)) return { diffError: "Insufficient_replace_fee" };
      let increment = fee - feeOf(replaced);
      let reserved = ahead + fee;
      const dropped = [replaced];
      let stillAdding = true;
      for (const later of queued.filter((r) => nonceOf(r) > nonce)) {
        if (stillAdding && reserved + feeOf(later) <= balance) {
          reserved += feeOf(later);
          continue;
        }
        // from the first one that no longer fits on, the later commands are dropped: the fee increase pays for them
        stillAdding = false;
        if (increment < feeOf(later)) return { diffError: "Insufficient_replace_fee" };
        increment -= feeOf(later);
        dropped.push(later);
      }
      if (increment < REPLACE_FEE) return { diffError: "Insufficient_replace_fee" };
      this.replacementPlans.set(record.hash, dropped);
    }
    // the fee payer part on a ledger where the queued commands ahead already raised the nonce and paid
    const scratch = new Map<string, Account>(ledger);
    scratch.set(payer.publicKey, { ...payer, nonce, balance: payer.balance - ahead });
    const applied = applyRecordFeePayer(scratch, record, ctx);
    if (!applied.ok) return { diffError: applied.error.includes("cannot pay") ? "Insufficient_funds" : applied.error };
    return undefined;
  }

  /** Adds a checked command; a replacement drops what its check said it drops. */
  add(record: ZkappCommandRecord): void {
    for (const dropped of this.replacementPlans.get(record.hash) ?? []) this.byHash.delete(dropped.hash);
    this.replacementPlans.delete(record.hash);
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
