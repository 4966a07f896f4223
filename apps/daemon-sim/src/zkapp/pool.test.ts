import Client from "mina-signer";
import { USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import { beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../ledger.js";
import { zkappPayment } from "../testing/zkapp-commands.js";
import { refusalMessage, ZkappPool } from "./pool.js";
import type { ZkappCommandRecord } from "./record.js";
import { loadMinaLogic } from "./mina-logic.js";

// the entry points that receive a zkApp command load this (daemon.ts, graphql.ts); these tests call past them
beforeAll(() => loadMinaLogic());

const keys = new Client({ network: "testnet" });
const sender = keys.genKeys();
const receiver = keys.genKeys();
const MINA = 1_000_000_000n;
const ctx = { globalSlot: 10, blockchainLength: 5, accountCreationFee: MINA };
const ledger = (extra: Partial<Account> = {}) =>
  new Map<string, Account>([
    [sender.publicKey, { publicKey: sender.publicKey, balance: 10n * MINA, nonce: 0, delegate: sender.publicKey, ...extra }],
    [receiver.publicKey, { publicKey: receiver.publicKey, balance: MINA, nonce: 0, delegate: receiver.publicKey }],
  ]);
let n = 0;
const command = (nonce: number, fee: bigint, from = sender): ZkappCommandRecord => ({
  hash: `5Jtest${n++}`,
  json: zkappPayment({ sender: from, receiver: receiver.publicKey, amount: 1n, fee, nonce }),
});

describe("the zkApp pool's checks (user_command.ml, verifier/common.ml, transaction_pool.ml, indexed_pool.ml)", () => {
  it("well-formedness and the verifier come first, with Mina's messages", () => {
    const pool = new ZkappPool();
    const low = pool.check(ledger(), command(0, 1000n), 0, ctx);
    expect(low && refusalMessage(low)).toBe("Couldn't send zkApp commands: Insufficient fee");
    const forged = command(0, 10_000_000n);
    forged.json.feePayer.authorization = command(1, 10_000_000n).json.feePayer.authorization;
    expect(pool.check(ledger(), forged, 0, ctx)).toEqual({ invalid: `Invalid_signature: [${sender.publicKey}]` });
  });

  it("a fee payer that is not in the ledger, or whose permissions refuse a signed send", () => {
    const pool = new ZkappPool();
    const stranger = keys.genKeys();
    expect(pool.check(ledger(), command(0, 10_000_000n, stranger), undefined, ctx)).toEqual({ diffError: "Fee_payer_account_not_found" });
    expect(pool.check(ledger({ permissions: { ...USER_DEFAULT_PERMISSIONS, send: "Proof" } }), command(0, 10_000_000n), 0, ctx)).toEqual({ diffError: "Fee_payer_not_permitted_to_send" });
    expect(pool.check(ledger({ permissions: { ...USER_DEFAULT_PERMISSIONS, incrementNonce: "Impossible" } }), command(0, 10_000_000n), 0, ctx)).toEqual({
      diffError: "Fee_payer_not_permitted_to_send",
    });
  });

  it("a queued nonce is a replacement: funds first, then a fee above the replaced one's; a replacement takes its place", () => {
    const pool = new ZkappPool();
    const first = command(0, 10_000_000n);
    expect(pool.check(ledger(), first, 0, ctx)).toBeUndefined();
    pool.add(first);
    expect(pool.check(ledger(), command(5, 10_000_000n), 1, ctx)).toEqual({ diffError: "Invalid_nonce" });
    expect(pool.check(ledger(), command(0, 20n * MINA), 1, ctx)).toEqual({ diffError: "Insufficient_funds" });
    expect(pool.check(ledger(), command(0, 5_000_000n), 1, ctx)).toEqual({ diffError: "Insufficient_replace_fee" });
    expect(pool.check(ledger(), command(0, 10_000_000n), 1, ctx)).toEqual({ diffError: "Insufficient_replace_fee" });
    const better = command(0, 10_000_001n);
    expect(pool.check(ledger(), better, 1, ctx)).toBeUndefined();
    pool.add(better);
    expect([...pool.byHash.keys()]).toEqual([better.hash]);
  });
});
