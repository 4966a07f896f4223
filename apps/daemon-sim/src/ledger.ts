import { fieldDigest, ledgerHashOf } from "./encoding.js";
import type { SignedCommand } from "./transaction.js";
import type { ZkappFields } from "./zkapp/account.js";

/** Mina's vesting schedule, in global slots and nanomina. */
export interface Timing {
  initialMinimumBalance: bigint;
  cliffTime: number;
  cliffAmount: bigint;
  vestingPeriod: number;
  vestingIncrement: bigint;
}

/** Mina's Token_id.default (MINA) in base58, as the Berkeley-era schema prints it. */
export const DEFAULT_TOKEN_ID = "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf";

/**
 * zkApp commands (zkapp/apply.ts) set the ZkappFields; a plain account has none of them. An
 * account is Mina's (public key, token id) pair: `tokenId` absent is the default token.
 */
export interface Account extends ZkappFields {
  publicKey: string;
  /** a custom token's id (Account_id.derive_token_id), base58; absent for MINA */
  tokenId?: string;
  balance: bigint;
  nonce: number;
  /** null is Mina's None: an account of a custom token has no delegate (Account.create) */
  delegate: string | null;
  timing?: Timing;
}

/**
 * A ledger is never mutated once built: every update returns a new map, so blocks can share
 * them. Keyed by accountKey: a MINA account by its public key alone, so every lookup of a fee
 * payer, sender, receiver or block producer is `ledger.get(publicKey)`.
 */
export type Ledger = ReadonlyMap<string, Account>;

export const isDefaultToken = (tokenId: string | undefined): boolean => tokenId === undefined || tokenId === DEFAULT_TOKEN_ID;

/** The ledger key of Mina's Account_id (public key, token id). */
export function accountKey(publicKey: string, tokenId?: string): string {
  return isDefaultToken(tokenId) ? publicKey : `${tokenId}/${publicKey}`;
}

export const keyOf = (account: Account): string => accountKey(account.publicKey, account.tokenId);

/** Mina's `min_balance_at_slot`: the initial minimum until the cliff, then released by the cliff amount and each vesting period. */
export function minimumBalanceAt(timing: Timing | undefined, globalSlot: number): bigint {
  if (!timing) return 0n;
  if (globalSlot < timing.cliffTime) return timing.initialMinimumBalance;
  const periods = BigInt(Math.floor((globalSlot - timing.cliffTime) / timing.vestingPeriod));
  const remaining = timing.initialMinimumBalance - timing.cliffAmount - periods * timing.vestingIncrement;
  return remaining > 0n ? remaining : 0n;
}

export function lockedBalance(account: Account, globalSlot: number): bigint {
  const minimum = minimumBalanceAt(account.timing, globalSlot);
  return minimum < account.balance ? minimum : account.balance;
}

export function liquidBalance(account: Account, globalSlot: number): bigint {
  return account.balance - lockedBalance(account, globalSlot);
}

/** Mina's transaction statuses: Applied, or Failed with Mina's failure reason. */
export type CommandStatus = { applied: true } | { applied: false; reason: string };

export interface BlockEffects {
  /** every user command must have a payable fee, else the block is invalid */
  commands: readonly SignedCommand[];
  coinbaseReceiver: string;
  coinbase: bigint;
  /** snark work fees, paid out of the coinbase */
  snarkFees: readonly { prover: string; fee: bigint }[];
  globalSlot: number;
  accountCreationFee: bigint;
}

export type ApplyResult = { ok: true; ledger: Ledger; statuses: CommandStatus[] } | { ok: false; error: string };

/**
 * Applies a block's transactions in Mina's order: user commands (the fee is always charged
 * and the nonce incremented; the body may fail with a reason), then the coinbase minus the
 * snark fees to the producer with the user commands' fees, then the snark fee transfers.
 */
export function applyBlock(ledger: Ledger, effects: BlockEffects): ApplyResult {
  const next = new Map(ledger);
  const statuses: CommandStatus[] = [];
  let fees = 0n;
  for (const command of effects.commands) {
    const result = applyUserCommand(next, command, effects.globalSlot, effects.accountCreationFee);
    if (!result.ok) return result;
    statuses.push(result.status);
    fees += command.fee;
  }
  const snarkTotal = effects.snarkFees.reduce((sum, work) => sum + work.fee, 0n);
  if (snarkTotal > effects.coinbase) return { ok: false, error: "snark fees exceed the coinbase" };
  credit(next, effects.coinbaseReceiver, effects.coinbase - snarkTotal + fees, effects.accountCreationFee);
  for (const work of effects.snarkFees) credit(next, work.prover, work.fee, effects.accountCreationFee);
  return { ok: true, ledger: next, statuses };
}

/** Credits an amount, creating the account (minus Mina's creation fee) when it is new. */
function credit(ledger: Map<string, Account>, publicKey: string, amount: bigint, creationFee: bigint): void {
  const account = ledger.get(publicKey);
  if (account) {
    ledger.set(publicKey, { ...account, balance: account.balance + amount });
  } else if (amount >= creationFee) {
    ledger.set(publicKey, { publicKey, balance: amount - creationFee, nonce: 0, delegate: publicKey });
  }
}

type CommandResult = { ok: true; status: CommandStatus } | { ok: false; error: string };

/**
 * A signed command as Mina's apply_user_command_unchecked (src/lib/transaction_logic/
 * mina_transaction_logic.ml, develop 9f068b1c3b): the fee is charged and the nonce bumped
 * even when the body fails; a fee that breaks the vesting schedule rejects the command (it
 * cannot be in a block). A payment to a new account pays constraint_constants.
 * account_creation_fee out of its amount (Amount_insufficient_to_create_account when it is
 * less); spending into the locked balance (Account.min_balance_at_slot) fails with
 * Source_minimum_balance_violation.
 */
export function applyUserCommand(ledger: Map<string, Account>, command: SignedCommand, globalSlot: number, creationFee: bigint): CommandResult {
  const payer = ledger.get(command.from);
  if (!payer) return { ok: false, error: `fee payer ${command.from} is not in the ledger` };
  if (payer.nonce !== command.nonce) return { ok: false, error: `nonce ${command.nonce} of ${command.hash} is not the account nonce ${payer.nonce}` };
  if (command.validUntil < globalSlot) return { ok: false, error: `${command.hash} expired at slot ${command.validUntil}` };
  if (payer.balance < command.fee) return { ok: false, error: `fee payer ${command.from} cannot pay the fee of ${command.hash}` };
  const afterFee = { ...payer, balance: payer.balance - command.fee, nonce: payer.nonce + 1 };
  if (afterFee.balance < minimumBalanceAt(payer.timing, globalSlot)) {
    return { ok: false, error: `the fee of ${command.hash} would break the vesting schedule of ${command.from}` };
  }
  ledger.set(command.from, afterFee);
  const fail = (reason: string): CommandResult => ({ ok: true, status: { applied: false, reason } });

  if (command.kind === "delegation") {
    if (!ledger.has(command.to)) return fail("Receiver_not_present");
    ledger.set(command.from, { ...afterFee, delegate: command.to });
    return { ok: true, status: { applied: true } };
  }
  if (afterFee.balance < command.amount) return fail("Source_insufficient_balance");
  if (afterFee.balance - command.amount < minimumBalanceAt(payer.timing, globalSlot)) return fail("Source_minimum_balance_violation");
  const receiver = ledger.get(command.to);
  if (!receiver && command.amount < creationFee) return fail("Amount_insufficient_to_create_account");
  ledger.set(command.from, { ...afterFee, balance: afterFee.balance - command.amount });
  const current = ledger.get(command.to);
  if (current) ledger.set(command.to, { ...current, balance: current.balance + command.amount });
  else ledger.set(command.to, { publicKey: command.to, balance: command.amount - creationFee, nonce: 0, delegate: command.to });
  return { ok: true, status: { applied: true } };
}

export function ledgerHash(ledger: Ledger): string {
  const entries = [...ledger.values()]
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
    .map((a) => `${keyOf(a)}:${a.balance}:${a.nonce}:${a.delegate ?? ""}${zkappFieldsOf(a) ? `:${JSON.stringify(zkappFieldsOf(a))}` : ""}`);
  return ledgerHashOf(fieldDigest("ledger", ...entries));
}

function zkappFieldsOf(a: Account): ZkappFields | undefined {
  const { permissions, zkapp, receiptChainHash, receiptChainHashAtNonce, tokenSymbol, votingFor } = a;
  const fields: ZkappFields = {
    ...(permissions && { permissions }),
    ...(zkapp && { zkapp }),
    ...(receiptChainHash !== undefined && { receiptChainHash }),
    ...(receiptChainHashAtNonce !== undefined && { receiptChainHashAtNonce }),
    ...(tokenSymbol !== undefined && { tokenSymbol }),
    ...(votingFor !== undefined && { votingFor }),
  };
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** MINA in the ledger: a custom token's balances are not currency (Mina's total_currency counts the default token). */
export function totalCurrency(ledger: Ledger): bigint {
  let total = 0n;
  for (const account of ledger.values()) if (isDefaultToken(account.tokenId)) total += account.balance;
  return total;
}

/** Stake per delegate: the MINA balance of every account counts for its delegate (locked tokens stake too, as in Mina; a custom token's accounts have no delegate). */
export interface StakeDistribution {
  stakes: ReadonlyMap<string, bigint>;
  total: bigint;
}

export function stakeDistribution(ledger: Ledger): StakeDistribution {
  const stakes = new Map<string, bigint>();
  let total = 0n;
  for (const account of ledger.values()) {
    if (account.delegate === null || !isDefaultToken(account.tokenId)) continue;
    stakes.set(account.delegate, (stakes.get(account.delegate) ?? 0n) + account.balance);
    total += account.balance;
  }
  return { stakes, total };
}

export interface AccountWire {
  publicKey: string;
  tokenId?: string;
  balance: string;
  nonce: number;
  delegate: string | null;
  timing?: { initialMinimumBalance: string; cliffTime: number; cliffAmount: string; vestingPeriod: number; vestingIncrement: string };
  zkappFields?: ZkappFields;
}

export function ledgerToWire(ledger: Ledger): AccountWire[] {
  return [...ledger.values()].map((a) => ({
    publicKey: a.publicKey,
    ...(a.tokenId !== undefined && { tokenId: a.tokenId }),
    balance: a.balance.toString(),
    nonce: a.nonce,
    delegate: a.delegate,
    ...(zkappFieldsOf(a) && { zkappFields: zkappFieldsOf(a) }),
    ...(a.timing && {
      timing: {
        initialMinimumBalance: a.timing.initialMinimumBalance.toString(),
        cliffTime: a.timing.cliffTime,
        cliffAmount: a.timing.cliffAmount.toString(),
        vestingPeriod: a.timing.vestingPeriod,
        vestingIncrement: a.timing.vestingIncrement.toString(),
      },
    }),
  }));
}

export function ledgerFromWire(accounts: readonly AccountWire[]): Ledger {
  return new Map(
    accounts.map((a) => [
      accountKey(a.publicKey, a.tokenId),
      {
        publicKey: a.publicKey,
        ...(a.tokenId !== undefined && { tokenId: a.tokenId }),
        balance: BigInt(a.balance),
        nonce: a.nonce,
        delegate: a.delegate,
        ...a.zkappFields,
        ...(a.timing && {
          timing: {
            initialMinimumBalance: BigInt(a.timing.initialMinimumBalance),
            cliffTime: a.timing.cliffTime,
            cliffAmount: BigInt(a.timing.cliffAmount),
            vestingPeriod: a.timing.vestingPeriod,
            vestingIncrement: BigInt(a.timing.vestingIncrement),
          },
        }),
      },
    ]),
  );
}
