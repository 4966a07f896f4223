import { MINIMUM_USER_COMMAND_FEE } from "./genesis.js";
import { applyUserCommand, liquidBalance, type Account, type Ledger } from "./ledger.js";
import type { SignedCommand } from "./transaction.js";
import { USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import { permitsSignedSend } from "./zkapp/account.js";

/** Mina's transaction-pool diff errors (Network_pool.Transaction_pool.Diff_error), with Mina's names. */
export type DiffError =
  | "Insufficient_replace_fee"
  | "Invalid_signature"
  | "Duplicate"
  | "Sender_account_does_not_exist"
  | "Invalid_nonce"
  | "Insufficient_funds"
  | "Insufficient_fee"
  | "Overflow"
  | "Expired"
  | "Overloaded"
  | "Fee_payer_account_not_found"
  | "Fee_payer_not_permitted_to_send";

/** Mina's replace_fee (indexed_pool.ml): the least fee increase of a replacement. */
export const REPLACE_FEE = 1n;

/** Mina's currency_consumed of a signed command: fee plus amount (a delegation moves no amount). */
const consumed = (command: SignedCommand): bigint => command.fee + command.amount;

/** The pending user commands, checked against the best tip's ledger as Mina's pool checks them. */
export class TransactionPool {
  readonly byHash = new Map<string, SignedCommand>();
  /** the sender's later commands a checked replacement keeps (Mina adds them again when they still fit the balance) */
  private readonly replacementPlans = new Map<string, SignedCommand[]>();

  constructor(private readonly maxSize: number) {}

  get size(): number {
    return this.byHash.size;
  }

  fromSender(publicKey: string): SignedCommand[] {
    return [...this.byHash.values()].filter((c) => c.from === publicKey).sort((a, b) => a.nonce - b.nonce);
  }

  /** The account nonce plus the sender's queued commands, as Mina's `inferred_nonce`. */
  inferredNonce(ledger: Ledger, publicKey: string): number | undefined {
    const account = ledger.get(publicKey);
    if (!account) return undefined;
    let nonce = account.nonce;
    for (const command of this.fromSender(publicKey)) if (command.nonce === nonce) nonce++;
    return nonce;
  }

  /**
   * Mina's Indexed_pool.add_from_gossip_exn (src/lib/network_pool/indexed_pool.ml, develop
   * 9f068b1c3b) against the best tip's account, with the account's liquid balance at the
   * current slot (transaction_pool.ml passes Account.liquid_balance_at_slot, so locked funds
   * of a timed account are Insufficient_funds here, before any block): the nonce must be the
   * account's with nothing queued, or the queue's next one (no future nonce is queued:
   * Invalid_nonce); the fees and amounts of the sender's queue up to the command must fit the
   * liquid balance (Insufficient_funds). A command of a queued nonce replaces it: its fee must
   * be at least the replaced one's, the sender's later commands are added again in order while
   * they fit the balance, the fee increase must pay for every one that does not, and be at
   * least Mina's replace_fee (1 nanomina) (Insufficient_replace_fee).
   */
  check(ledger: Ledger, command: SignedCommand, globalSlot: number): DiffError | undefined {
    this.replacementPlans.delete(command.hash);
    if (this.byHash.has(command.hash)) return "Duplicate";
    const account = ledger.get(command.from);
    if (!account) return "Sender_account_does_not_exist";
    // transaction_pool.ml check_command (develop 9f068b1c3b), before the indexed pool's checks
    if (!permitsSignedSend(account.permissions ?? USER_DEFAULT_PERMISSIONS)) return "Fee_payer_not_permitted_to_send";
    if (command.fee < MINIMUM_USER_COMMAND_FEE) return "Insufficient_fee";
    if (command.validUntil < globalSlot) return "Expired";
    const inferred = this.inferredNonce(ledger, command.from) ?? account.nonce;
    if (command.nonce < account.nonce || command.nonce > inferred) return "Invalid_nonce";
    const balance = liquidBalance(account, globalSlot);
    const queued = this.fromSender(command.from);
    const ahead = queued.filter((c) => c.nonce < command.nonce).reduce((sum, c) => sum + consumed(c), 0n);
    if (ahead + consumed(command) > balance) return "Insufficient_funds";
    const replaced = queued.find((c) => c.nonce === command.nonce);
    if (!replaced) return this.byHash.size >= this.maxSize ? "Overloaded" : undefined;
    if (command.fee < replaced.fee) return "Insufficient_replace_fee";
    let increment = command.fee - replaced.fee;
    let reserved = ahead + consumed(command);
    const kept: SignedCommand[] = [];
    let stillAdding = true;
    for (const later of queued.filter((c) => c.nonce > command.nonce)) {
      if (stillAdding && reserved + consumed(later) <= balance) {
        reserved += consumed(later);
        kept.push(later);
        continue;
      }
      // from the first one that no longer fits on, the later commands are dropped: the fee increase pays for them
      stillAdding = false;
      if (increment < later.fee) return "Insufficient_replace_fee";
      increment -= later.fee;
    }
    if (increment < REPLACE_FEE) return "Insufficient_replace_fee";
    this.replacementPlans.set(command.hash, kept);
    return undefined;
  }

  /** Adds a checked command; a replacement drops the command it replaces and the sender's later ones its check did not keep. */
  add(command: SignedCommand): void {
    const kept = new Set((this.replacementPlans.get(command.hash) ?? []).map((c) => c.hash));
    this.replacementPlans.delete(command.hash);
    for (const queued of this.fromSender(command.from)) if (queued.nonce >= command.nonce && !kept.has(queued.hash)) this.byHash.delete(queued.hash);
    this.byHash.set(command.hash, command);
  }

  /**
   * Drops what the new best tip included, made stale or expired, as Mina's Indexed_pool.revalidate
   * (indexed_pool.ml, 9f068b1c3b) per sender: the commands below the account's nonce; the whole
   * queue when the account's nonce is below the queue's first (a gap); then commands from the
   * end of the queue until what it reserves fits the account's liquid balance at `globalSlot`
   * (drop_until_sufficient_balance). Expired ones go too (remove_expired).
   */
  revalidate(ledger: Ledger, globalSlot: number): SignedCommand[] {
    const dropped: SignedCommand[] = [];
    const drop = (command: SignedCommand) => {
      this.byHash.delete(command.hash);
      dropped.push(command);
    };
    const senders = new Set([...this.byHash.values()].map((c) => c.from));
    for (const sender of senders) {
      const account = ledger.get(sender);
      const queue = this.fromSender(sender);
      if (!account) {
        queue.forEach(drop);
        continue;
      }
      const live = queue.filter((c) => {
        if (c.nonce >= account.nonce && c.validUntil >= globalSlot) return true;
        drop(c);
        return false;
      });
      if (live.length === 0) continue;
      if ((live[0] as SignedCommand).nonce > account.nonce) {
        live.forEach(drop);
        continue;
      }
      let reserved = live.reduce((sum, c) => sum + consumed(c), 0n);
      const balance = liquidBalance(account, globalSlot);
      while (reserved > balance && live.length > 0) {
        const last = live.pop() as SignedCommand;
        reserved -= consumed(last);
        drop(last);
      }
    }
    return dropped;
  }

  /**
   * Takes back the commands of blocks that left the best chain (a reorg), as Mina's pool
   * does on a best tip change (transaction_pool.ml handle_transition_frontier_diff:
   * Indexed_pool.add_from_backtrack, then revalidate): each one not yet applied on the new best
   * tip, in nonce order; call revalidate after it. Returns the ones taken back.
   */
  takeBack(ledger: Ledger, commands: readonly SignedCommand[], globalSlot: number): SignedCommand[] {
    const taken: SignedCommand[] = [];
    for (const command of [...commands].sort((a, b) => a.nonce - b.nonce)) {
      // never a replacement: a queued command of the same nonce stays, and the sender's later ones too
      if (this.fromSender(command.from).some((c) => c.nonce === command.nonce)) continue;
      // Mina's add_from_backtrack takes it back unchecked but for its nonce; revalidate (after) drops what no longer fits
      const account = ledger.get(command.from);
      if (!account || command.nonce < account.nonce || command.validUntil < globalSlot || this.byHash.has(command.hash)) continue;
      this.byHash.set(command.hash, command);
      taken.push(command);
    }
    return taken;
  }

  /** The commands a block on `ledger` can include: per sender in nonce order, best fee first, each one applicable. */
  select(ledger: Ledger, max: number, globalSlot: number, creationFee: bigint): SignedCommand[] {
    const scratch = new Map<string, Account>(ledger);
    const queues = new Map<string, SignedCommand[]>();
    for (const command of [...this.byHash.values()].sort((a, b) => a.nonce - b.nonce)) {
      const queue = queues.get(command.from) ?? [];
      queue.push(command);
      queues.set(command.from, queue);
    }
    const chosen: SignedCommand[] = [];
    while (chosen.length < max) {
      let best: SignedCommand | undefined;
      for (const [sender, queue] of queues) {
        const nonce = scratch.get(sender)?.nonce;
        const next = queue.find((c) => c.nonce === nonce);
        if (next && (!best || next.fee > best.fee)) best = next;
      }
      if (!best) break;
      const queue = queues.get(best.from) ?? [];
      queues.set(
        best.from,
        queue.filter((c) => c !== best),
      );
      if (applyUserCommand(scratch, best, globalSlot, creationFee).ok) chosen.push(best);
      else queues.delete(best.from);
    }
    return chosen;
  }
}
