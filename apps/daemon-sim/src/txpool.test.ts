import { NANOMINA_PER_MINA } from "@mina-local/engine";
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
