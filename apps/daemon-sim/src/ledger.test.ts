import { ACCOUNT_CREATION_FEE, DEFAULT_COINBASE, NANOMINA_PER_MINA } from "@mina-local/engine";
import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import {
  accountKey,
  applyBlock,
  ledgerFromWire,
  ledgerHash,
  ledgerToWire,
  liquidBalance,
  lockedBalance,
  minimumBalanceAt,
  stakeDistribution,
  totalCurrency,
  type Account,
  type Ledger,
} from "./ledger.js";
import { signCommand, type SignedCommand } from "./transaction.js";

const signer = new Client({ network: "testnet" });
const alice = signer.genKeys();
const bob = signer.genKeys();
const producer = signer.genKeys();
const newcomer = signer.genKeys();
const MINA = NANOMINA_PER_MINA;

function ledgerOf(...accounts: Account[]): Ledger {
  return new Map(accounts.map((a) => [a.publicKey, a]));
}
const account = (publicKey: string, balance: bigint, extra: Partial<Account> = {}): Account => ({ publicKey, balance, nonce: 0, delegate: publicKey, ...extra });

function payment(from: { publicKey: string; privateKey: string }, to: string, amount: bigint, fee: bigint, nonce = 0): SignedCommand {
  return signCommand({ kind: "payment", from: from.publicKey, to, amount, fee, nonce, memo: "", validUntil: 4294967295 }, from.privateKey);
}

const effects = (commands: SignedCommand[], globalSlot = 1) => ({
  commands,
  coinbaseReceiver: producer.publicKey,
  coinbase: DEFAULT_COINBASE,
  snarkFees: [],
  globalSlot,
  accountCreationFee: ACCOUNT_CREATION_FEE,
});

describe("applyBlock", () => {
  const base = ledgerOf(account(alice.publicKey, 100n * MINA), account(bob.publicKey, 5n * MINA), account(producer.publicKey, 0n));

  it("moves the amount, charges the fee, bumps the nonce and pays coinbase plus fees to the producer", () => {
    const result = applyBlock(base, effects([payment(alice, bob.publicKey, 10n * MINA, MINA / 10n)]));
    if (!result.ok) throw new Error(result.error);
    expect(result.statuses).toEqual([{ applied: true }]);
    expect(result.ledger.get(alice.publicKey)).toMatchObject({ balance: 100n * MINA - 10n * MINA - MINA / 10n, nonce: 1 });
    expect(result.ledger.get(bob.publicKey)?.balance).toBe(15n * MINA);
    expect(result.ledger.get(producer.publicKey)?.balance).toBe(720n * MINA + MINA / 10n);
    // the input ledger is untouched: blocks share ledgers
    expect(base.get(alice.publicKey)?.balance).toBe(100n * MINA);
  });

  it("charges Mina's 1 MINA account creation fee to a payment that creates the receiver", () => {
    const result = applyBlock(base, effects([payment(alice, newcomer.publicKey, 10n * MINA, MINA / 10n)]));
    if (!result.ok) throw new Error(result.error);
    expect(result.ledger.get(newcomer.publicKey)?.balance).toBe(9n * MINA);
  });

  it("fails (fee still charged) a payment too small to create the receiver, and one above the balance", () => {
    const tooSmall = payment(alice, newcomer.publicKey, MINA / 2n, MINA / 10n, 0);
    const tooBig = payment(alice, bob.publicKey, 1000n * MINA, MINA / 10n, 1);
    const result = applyBlock(base, effects([tooSmall, tooBig]));
    if (!result.ok) throw new Error(result.error);
    expect(result.statuses).toEqual([
      { applied: false, reason: "Amount_insufficient_to_create_account" },
      { applied: false, reason: "Source_insufficient_balance" },
    ]);
    expect(result.ledger.get(alice.publicKey)).toMatchObject({ balance: 100n * MINA - MINA / 5n, nonce: 2 });
    expect(result.ledger.has(newcomer.publicKey)).toBe(false);
  });

  it("rejects a block whose command has a wrong nonce", () => {
    const result = applyBlock(base, effects([payment(alice, bob.publicKey, MINA, MINA / 10n, 3)]));
    expect(result.ok).toBe(false);
  });

  it("pays snark fees out of the coinbase", () => {
    const result = applyBlock(base, { ...effects([]), snarkFees: [{ prover: bob.publicKey, fee: MINA / 40n }] });
    if (!result.ok) throw new Error(result.error);
    expect(result.ledger.get(producer.publicKey)?.balance).toBe(720n * MINA - MINA / 40n);
    expect(result.ledger.get(bob.publicKey)?.balance).toBe(5n * MINA + MINA / 40n);
  });
});

describe("timing (vesting in slots)", () => {
  const timing = { initialMinimumBalance: 100n * MINA, cliffTime: 10, cliffAmount: 40n * MINA, vestingPeriod: 5, vestingIncrement: 20n * MINA };

  it("follows Mina's min_balance_at_slot", () => {
    expect(minimumBalanceAt(timing, 0)).toBe(100n * MINA);
    expect(minimumBalanceAt(timing, 9)).toBe(100n * MINA);
    expect(minimumBalanceAt(timing, 10)).toBe(60n * MINA);
    expect(minimumBalanceAt(timing, 14)).toBe(60n * MINA);
    expect(minimumBalanceAt(timing, 15)).toBe(40n * MINA);
    expect(minimumBalanceAt(timing, 100)).toBe(0n);
    expect(minimumBalanceAt(undefined, 0)).toBe(0n);
  });

  it("locks the balance: a payment into the locked part fails with Source_minimum_balance_violation", () => {
    const timed = account(alice.publicKey, 150n * MINA, { timing });
    expect(lockedBalance(timed, 0)).toBe(100n * MINA);
    expect(liquidBalance(timed, 0)).toBe(50n * MINA);
    const ledger = ledgerOf(timed, account(bob.publicKey, 0n), account(producer.publicKey, 0n));
    const early = applyBlock(ledger, effects([payment(alice, bob.publicKey, 60n * MINA, MINA / 10n)], 3));
    if (!early.ok) throw new Error(early.error);
    expect(early.statuses).toEqual([{ applied: false, reason: "Source_minimum_balance_violation" }]);
    const later = applyBlock(ledger, effects([payment(alice, bob.publicKey, 60n * MINA, MINA / 10n)], 20));
    if (!later.ok) throw new Error(later.error);
    expect(later.statuses).toEqual([{ applied: true }]);
  });
});

describe("a custom token's accounts (Account_id: public key and token id)", () => {
  const holder = new Client({ network: "testnet" }).genKeys().publicKey;
  const TOKEN = "x6ZPXfd4mJKUtmrCw2R9QPhTCArB752CfwJSGqv4kMSeVktjLf";
  const ledger: Ledger = new Map<string, Account>([
    [holder, { publicKey: holder, balance: 5n, nonce: 0, delegate: holder }],
    [accountKey(holder, TOKEN), { publicKey: holder, tokenId: TOKEN, balance: 1000n, nonce: 0, delegate: null }],
  ]);

  it("are apart from the key's MINA account, count for no stake and no currency, and survive the wire", () => {
    expect(accountKey(holder, TOKEN)).not.toBe(holder);
    expect(totalCurrency(ledger)).toBe(5n);
    expect(stakeDistribution(ledger)).toEqual({ stakes: new Map([[holder, 5n]]), total: 5n });
    const back = ledgerFromWire(ledgerToWire(ledger));
    expect(back).toEqual(ledger);
    expect(ledgerHash(back)).toBe(ledgerHash(ledger));
    // the token account is in the ledger hash
    expect(ledgerHash(new Map([[holder, ledger.get(holder) as Account]]))).not.toBe(ledgerHash(ledger));
  });
});
