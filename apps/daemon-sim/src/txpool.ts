import { MINIMUM_USER_COMMAND_FEE } from "./genesis.js";
import { applyUserCommand, liquidBalance, type Account, type Ledger } from "./ledger.js";
import type { SignedCommand } from "./transaction.js";

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
  | "Overloaded";

/** The pending user commands, checked against the best tip's ledger as Mina's pool checks them. */
export class TransactionPool {
  readonly byHash = new Map<string, SignedCommand>();

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

  check(ledger: Ledger, command: SignedCommand, globalSlot: number): DiffError | undefined {
    if (this.byHash.has(command.hash)) return "Duplicate";
    const account = ledger.get(command.from);
    if (!account) return "Sender_account_does_not_exist";
    if (command.fee < MINIMUM_USER_COMMAND_FEE) return "Insufficient_fee";
    if (command.validUntil < globalSlot) return "Expired";
    const inferred = this.inferredNonce(ledger, command.from) ?? account.nonce;
    if (command.nonce < account.nonce || command.nonce > inferred) return "Invalid_nonce";
    const queued = this.fromSender(command.from);
    const replaced = queued.find((c) => c.nonce === command.nonce);
    if (replaced && command.fee <= replaced.fee) return "Insufficient_replace_fee";
    const cost = (c: SignedCommand) => c.fee + c.amount;
    const ahead = queued.filter((c) => c.nonce < command.nonce).reduce((sum, c) => sum + cost(c), 0n);
    if (cost(command) + ahead < cost(command)) return "Overflow";
    if (ahead + cost(command) > liquidBalance(account, globalSlot)) return "Insufficient_funds";
    if (!replaced && this.byHash.size >= this.maxSize) return "Overloaded";
    return undefined;
  }

  /** Adds a checked command; a replacement drops the command it replaces and the sender's later ones. */
  add(command: SignedCommand): void {
    for (const queued of this.fromSender(command.from)) if (queued.nonce >= command.nonce) this.byHash.delete(queued.hash);
    this.byHash.set(command.hash, command);
  }

  /** Drops what the new best tip included, made stale or expired. */
  revalidate(ledger: Ledger, globalSlot: number): SignedCommand[] {
    const dropped: SignedCommand[] = [];
    for (const command of this.byHash.values()) {
      const account = ledger.get(command.from);
      if (!account || command.nonce < account.nonce || command.validUntil < globalSlot) {
        this.byHash.delete(command.hash);
        dropped.push(command);
      }
    }
    return dropped;
  }

  /**
   * Takes back the commands of blocks that left the best chain (a reorg), as Mina's pool
   * does on a best tip change: each one still valid on the new best tip's ledger, in nonce
   * order. Returns the ones taken back.
   */
  takeBack(ledger: Ledger, commands: readonly SignedCommand[], globalSlot: number): SignedCommand[] {
    const taken: SignedCommand[] = [];
    for (const command of [...commands].sort((a, b) => a.nonce - b.nonce)) {
      // never a replacement: a queued command of the same nonce stays, and the sender's later ones too
      if (this.fromSender(command.from).some((c) => c.nonce === command.nonce)) continue;
      if (this.check(ledger, command, globalSlot) !== undefined) continue;
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
      queues.set(best.from, queue.filter((c) => c !== best));
      if (applyUserCommand(scratch, best, globalSlot, creationFee).ok) chosen.push(best);
      else queues.delete(best.from);
    }
    return chosen;
  }
}
