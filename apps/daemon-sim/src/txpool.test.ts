import { NANOMINA_PER_MINA, USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import type { Account, Ledger } from "./ledger.js";
import { signCommand, type SignedCommand } from "./transaction.js";
import { TransactionPool } from "./txpool.js";

const signer = new Client({ network: "testnet" });
const alice = signer.genKeys();
const bob = signer.genKeys();
const MINA = NANOMINA_PER_MINA;

const ledgerWith = (aliceNonce: number): Ledger =>
  new Map<string, Account>([
    [alice.publicKey, { publicKey: alice.publicKey, balance: 100n * MINA, nonce: aliceNonce, delegate: alice.publicKey }],
    [bob.publicKey, { publicKey: bob.publicKey, balance: 0n, nonce: 0, delegate: bob.publicKey }],
  ]);

const payment = (nonce: number): SignedCommand =>
  signCommand({ kind: "payment", from: alice.publicKey, to: bob.publicKey, amount: MINA, fee: MINA / 100n, nonce, memo: "", validUntil: 4294967295 }, alice.privateKey);

describe("TransactionPool.takeBack (after a reorg)", () => {
  const commands = [0, 1, 2, 3].map(payment);

  it("takes back, in nonce order, the orphaned commands still valid on the new best tip", () => {
    const pool = new TransactionPool(100);
    // the old best chain had included nonces 0-3; the new one only 0 and 1
    const taken = pool.takeBack(ledgerWith(2), [commands[3], commands[1], commands[2], commands[0]] as SignedCommand[], 5);
    expect(taken.map((c) => c.nonce)).toEqual([2, 3]);
    expect(pool.inferredNonce(ledgerWith(2), alice.publicKey)).toBe(4);
  });

  it("keeps the sender's later commands still in the pool (a reorg is no replacement)", () => {
    const pool = new TransactionPool(100);
    // our block with nonces 0-2 was replaced by one with 0-1; nonce 3 never left the pool
    pool.add(commands[3] as SignedCommand);
    const taken = pool.takeBack(ledgerWith(2), commands.slice(0, 3), 5);
    expect(taken.map((c) => c.nonce)).toEqual([2]);
    expect(pool.fromSender(alice.publicKey).map((c) => c.nonce)).toEqual([2, 3]);
    expect(pool.inferredNonce(ledgerWith(2), alice.publicKey)).toBe(4);
  });

  it("skips commands already pooled or already applied", () => {
    const pool = new TransactionPool(100);
    pool.add(commands[2] as SignedCommand);
    const taken = pool.takeBack(ledgerWith(2), commands, 5);
    expect(taken.map((c) => c.nonce)).toEqual([3]);
    expect(pool.size).toBe(2);
  });
});

/** Mina's Indexed_pool.add_from_gossip_exn rules (src/lib/network_pool/indexed_pool.ml, develop 9f068b1c3b). */
describe("TransactionPool.check and add (Mina's indexed pool rules)", () => {
  const SLOT = 5;
  const pay = (nonce: number, amount: bigint, fee: bigint, memo = ""): SignedCommand =>
    signCommand({ kind: "payment", from: alice.publicKey, to: bob.publicKey, amount, fee, nonce, memo, validUntil: 4294967295 }, alice.privateKey);
  const submit = (pool: TransactionPool, ledger: Ledger, command: SignedCommand) => {
    const error = pool.check(ledger, command, SLOT);
    if (error === undefined) pool.add(command);
    return error;
  };

  it("refuses a nonce below the account's and a future nonce (Invalid_nonce: nothing is queued ahead of a gap)", () => {
    const pool = new TransactionPool(100);
    expect(pool.check(ledgerWith(3), pay(2, MINA, MINA / 10n), SLOT)).toBe("Invalid_nonce");
    expect(pool.check(ledgerWith(3), pay(5, MINA, MINA / 10n), SLOT)).toBe("Invalid_nonce");
    expect(submit(pool, ledgerWith(3), pay(3, MINA, MINA / 10n))).toBeUndefined();
    // the queue's next nonce is accepted, one past it is not
    expect(submit(pool, ledgerWith(3), pay(4, MINA, MINA / 10n))).toBeUndefined();
    expect(pool.check(ledgerWith(3), pay(6, MINA, MINA / 10n), SLOT)).toBe("Invalid_nonce");
  });

  it("refuses a fee below Mina's minimum (0.001 MINA) and a duplicate", () => {
    const pool = new TransactionPool(100);
    expect(pool.check(ledgerWith(0), pay(0, MINA, 999_999n), SLOT)).toBe("Insufficient_fee");
    const command = pay(0, MINA, 1_000_000n);
    expect(submit(pool, ledgerWith(0), command)).toBeUndefined();
    expect(pool.check(ledgerWith(0), command, SLOT)).toBe("Duplicate");
  });

  it("refuses a command whose fee and amount, with the sender's queue ahead of it, exceed the liquid balance (Insufficient_funds)", () => {
    const pool = new TransactionPool(100);
    expect(submit(pool, ledgerWith(0), pay(0, 60n * MINA, MINA))).toBeUndefined();
    // 61 reserved of 100: 40 + 1 more is too much
    expect(pool.check(ledgerWith(0), pay(1, 39n * MINA, MINA + 1n), SLOT)).toBe("Insufficient_funds");
    expect(submit(pool, ledgerWith(0), pay(1, 38n * MINA, MINA))).toBeUndefined();
  });

  it("counts only the liquid balance of a timed account: locked funds are Insufficient_funds in the pool", () => {
    const timing = { initialMinimumBalance: 80n * MINA, cliffTime: 10, cliffAmount: 0n, vestingPeriod: 4, vestingIncrement: 20n * MINA };
    const timed: Ledger = new Map([...ledgerWith(0)].map(([k, a]) => [k, k === alice.publicKey ? { ...a, timing } : a]));
    const pool = new TransactionPool(100);
    expect(pool.check(timed, pay(0, 30n * MINA, MINA / 10n), SLOT)).toBe("Insufficient_funds");
    expect(pool.check(timed, pay(0, 19n * MINA, MINA / 10n), SLOT)).toBeUndefined();
    // at slot 14 the first 20 MINA have vested
    expect(pool.check(timed, pay(0, 30n * MINA, MINA / 10n), 14)).toBeUndefined();
  });

  it("replaces a queued command only for a fee at least replace_fee (1 nanomina) above it", () => {
    const pool = new TransactionPool(100);
    const original = pay(0, MINA, MINA / 10n);
    expect(submit(pool, ledgerWith(0), original)).toBeUndefined();
    expect(pool.check(ledgerWith(0), pay(0, 2n * MINA, MINA / 10n - 1n), SLOT)).toBe("Insufficient_replace_fee");
    expect(pool.check(ledgerWith(0), pay(0, 2n * MINA, MINA / 10n), SLOT)).toBe("Insufficient_replace_fee");
    const replacement = pay(0, 2n * MINA, MINA / 10n + 1n);
    expect(submit(pool, ledgerWith(0), replacement)).toBeUndefined();
    expect(pool.fromSender(alice.publicKey).map((c) => c.hash)).toEqual([replacement.hash]);
  });

  it("keeps the sender's later commands that still fit after a replacement; the fee increase pays for those dropped", () => {
    const pool = new TransactionPool(100);
    const [first, second, third] = [pay(0, 10n * MINA, MINA / 10n), pay(1, 10n * MINA, MINA / 10n), pay(2, 10n * MINA, MINA / 10n)];
    for (const command of [first, second, third]) expect(submit(pool, ledgerWith(0), command)).toBeUndefined();
    // a bigger first payment: the second still fits (80.2 + 10.1 <= 100), the third does not; its 0.1 MINA fee must be paid by the increase
    expect(pool.check(ledgerWith(0), pay(0, 80n * MINA, MINA / 5n, "a"), SLOT)).toBe("Insufficient_replace_fee");
    const replacement = pay(0, 80n * MINA, MINA / 5n + 1n, "b");
    expect(submit(pool, ledgerWith(0), replacement)).toBeUndefined();
    expect(pool.fromSender(alice.publicKey).map((c) => c.hash)).toEqual([replacement.hash, second.hash]);
  });
});

describe("TransactionPool.revalidate (Mina's Indexed_pool.revalidate on a best tip change)", () => {
  const pay = (nonce: number, amount: bigint): SignedCommand =>
    signCommand({ kind: "payment", from: alice.publicKey, to: bob.publicKey, amount, fee: MINA / 10n, nonce, memo: "", validUntil: 4294967295 }, alice.privateKey);
  const withBalance = (nonce: number, balance: bigint): Ledger => new Map([...ledgerWith(nonce)].map(([k, a]) => [k, k === alice.publicKey ? { ...a, balance } : a]));

  it("drops the included commands, then the queue's tail until it fits the new balance", () => {
    const pool = new TransactionPool(100);
    const queue = [pay(0, 10n * MINA), pay(1, 30n * MINA), pay(2, 30n * MINA), pay(3, 30n * MINA)];
    for (const command of queue) pool.add(command);
    // nonce 0 was included; the balance went down to 65 MINA: 30.1 + 30.1 fit, the third 30.1 does not
    const dropped = pool.revalidate(withBalance(1, 65n * MINA), 5);
    expect(dropped.map((c) => c.nonce).sort()).toEqual([0, 3]);
    expect(pool.fromSender(alice.publicKey).map((c) => c.nonce)).toEqual([1, 2]);
  });

  it("drops the whole queue when the account's nonce is below the queue's first (a gap)", () => {
    const pool = new TransactionPool(100);
    for (const command of [pay(2, MINA), pay(3, MINA)]) pool.add(command);
    expect(
      pool
        .revalidate(ledgerWith(1), 5)
        .map((c) => c.nonce)
        .sort(),
    ).toEqual([2, 3]);
    expect(pool.size).toBe(0);
  });
});

describe("a reorg in Mina's order: take back, then revalidate", () => {
  it("keeps a queued later command whose gap the taken-back commands close", () => {
    const pool = new TransactionPool(100);
    const commands = [0, 1, 2, 3].map(payment);
    pool.add(commands[3] as SignedCommand);
    // alone, nonce 3 over an account at nonce 2 is a gap revalidate drops; taken back first, nonce 2 closes it
    pool.takeBack(ledgerWith(2), commands.slice(0, 3), 5);
    expect(pool.revalidate(ledgerWith(2), 5)).toEqual([]);
    expect(pool.fromSender(alice.publicKey).map((c) => c.nonce)).toEqual([2, 3]);
  });
});

describe("TransactionPool.check: the fee payer's permissions (transaction_pool.ml check_command)", () => {
  it("refuses a sender whose send permission a signature does not satisfy (Fee_payer_not_permitted_to_send)", () => {
    const pool = new TransactionPool(100);
    const proofOnly = new Map(ledgerWith(0));
    const account = proofOnly.get(alice.publicKey) as Account;
    proofOnly.set(alice.publicKey, { ...account, permissions: { ...USER_DEFAULT_PERMISSIONS, send: "Proof" } });
    expect(pool.check(proofOnly, payment(0), 5)).toBe("Fee_payer_not_permitted_to_send");
    expect(pool.check(ledgerWith(0), payment(0), 5)).toBeUndefined();
  });
});
