import Client from "mina-signer";
import { beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../ledger.js";
import { zkappPayment } from "../testing/zkapp-commands.js";
import { knownReceiptChainHash } from "./apply.js";
import { applyRecord, applyZkappCommands, type ZkappCommandRecord } from "./record.js";
import { loadMinaLogic } from "./mina-logic.js";

// the entry points that receive a zkApp command load this (daemon.ts, graphql.ts); these tests call past them
beforeAll(() => loadMinaLogic());

const keys = new Client({ network: "testnet" });
const sender = keys.genKeys();
const receiver = keys.genKeys();
const MINA = 1_000_000_000n;
const ctx = { globalSlot: 10, blockchainLength: 5, accountCreationFee: MINA };

function ledgerWith(...accounts: Partial<Account>[]): Map<string, Account> {
  return new Map(accounts.map((a) => [a.publicKey as string, { balance: 0n, nonce: 0, delegate: a.publicKey as string, ...a } as Account]));
}
const record = (json: ZkappCommandRecord["json"]): ZkappCommandRecord => ({ hash: "5JtestHash", json });

describe("applying a zkApp command (zkapp_command_logic.ml rules)", () => {
  it("a signed payment: fee and amount leave the sender, the nonce and receipt chain hash move, the receiver gets the amount", () => {
    const ledger = ledgerWith({ publicKey: sender.publicKey, balance: 10n * MINA }, { publicKey: receiver.publicKey, balance: 2n * MINA });
    const result = applyRecord(ledger, record(zkappPayment({ sender, receiver: receiver.publicKey, amount: MINA, nonce: 0 })), ctx);
    expect(result).toEqual({ ok: true, status: { applied: true }, fee: 100_000_000n });
    expect(ledger.get(sender.publicKey)).toMatchObject({ balance: 10n * MINA - MINA - 100_000_000n, nonce: 1 });
    expect(ledger.get(receiver.publicKey)?.balance).toBe(3n * MINA);
    const hash = knownReceiptChainHash(ledger.get(sender.publicKey) as Account);
    expect(hash).toBeDefined();
    expect(hash).not.toBe(knownReceiptChainHash({ publicKey: sender.publicKey, balance: 0n, nonce: 0, delegate: sender.publicKey }));
  });

  it("a failed command keeps the fee payer's part only: Overflow for a balance below zero, the other update Cancelled", () => {
    const ledger = ledgerWith({ publicKey: sender.publicKey, balance: MINA / 2n }, { publicKey: receiver.publicKey, balance: 0n });
    const result = applyRecord(ledger, record(zkappPayment({ sender, receiver: receiver.publicKey, amount: MINA, nonce: 0 })), ctx);
    expect(result).toEqual({ ok: true, status: { applied: false, failures: [[], ["Overflow"], ["Cancelled"]] }, fee: 100_000_000n });
    expect(ledger.get(sender.publicKey)).toMatchObject({ balance: MINA / 2n - 100_000_000n, nonce: 1 });
    expect(ledger.get(receiver.publicKey)?.balance).toBe(0n);
  });

  it("a new receiver: without the implicit fee the excess is short by the creation fee; with it, the receiver pays it", () => {
    const without = ledgerWith({ publicKey: sender.publicKey, balance: 10n * MINA });
    const failed = applyRecord(without, record(zkappPayment({ sender, receiver: receiver.publicKey, amount: 2n * MINA, nonce: 0 })), ctx);
    expect(failed).toMatchObject({ ok: true, status: { applied: false, failures: [[], ["Cancelled"], ["Invalid_fee_excess"]] } });
    const withFee = ledgerWith({ publicKey: sender.publicKey, balance: 10n * MINA });
    const json = zkappPayment({ sender, receiver: receiver.publicKey, amount: 2n * MINA, nonce: 0, editReceiver: (u) => (u.body.implicitAccountCreationFee = true) });
    expect(applyRecord(withFee, record(json), ctx)).toMatchObject({ ok: true, status: { applied: true } });
    expect(withFee.get(receiver.publicKey)).toMatchObject({ balance: MINA, nonce: 0, delegate: receiver.publicKey });
  });

  it("preconditions on balance, nonce and state, and app state under the editState permission", () => {
    const ledger = ledgerWith({ publicKey: sender.publicKey, balance: 10n * MINA }, { publicKey: receiver.publicKey, balance: MINA });
    const json = zkappPayment({
      sender,
      receiver: receiver.publicKey,
      amount: MINA,
      nonce: 0,
      editSender: (u) => {
        u.body.preconditions.account.nonce = { lower: "0", upper: "0" };
        u.body.update.appState = ["7", null, null, null, null, null, null, null];
      },
      editReceiver: (u) => {
        u.body.preconditions.account.balance = { lower: "0", upper: "10" };
        u.body.preconditions.account.state = ["1", null, null, null, null, null, null, null];
      },
    });
    const result = applyRecord(ledger, record(json), ctx);
    // the fee payer part (the same account) applies first: the sender update sees nonce 1
    expect(result).toMatchObject({
      status: { applied: false, failures: [[], ["Account_nonce_precondition_unsatisfied"], ["Account_balance_precondition_unsatisfied", "Account_app_state_0_precondition_unsatisfied"]] },
    });
  });

  it("rejects what is invalid, not failed: a wrong fee payer nonce, a signature that does not verify, an unknown fee payer", () => {
    const ledger = ledgerWith({ publicKey: sender.publicKey, balance: 10n * MINA, nonce: 3 }, { publicKey: receiver.publicKey, balance: MINA });
    expect(applyRecord(ledger, record(zkappPayment({ sender, receiver: receiver.publicKey, amount: MINA, nonce: 0 })), ctx)).toMatchObject({
      ok: false,
      error: expect.stringContaining("not the fee payer's nonce 3"),
    });
    const json = zkappPayment({ sender, receiver: receiver.publicKey, amount: MINA, nonce: 3 });
    json.feePayer.body.fee = "200000000";
    expect(applyRecord(ledger, record(json), ctx)).toMatchObject({ ok: false, error: expect.stringContaining("Invalid_signature") });
    expect(applyRecord(new Map(), record(zkappPayment({ sender, receiver: receiver.publicKey, amount: MINA, nonce: 0 })), ctx)).toMatchObject({
      ok: false,
      error: expect.stringContaining("not in the ledger"),
    });
  });

  it("a block applies every fee payer part before any account update (Mina's two passes): a nonce precondition sees the later command's fee payer", () => {
    const ledger = ledgerWith({ publicKey: sender.publicKey, balance: 10n * MINA }, { publicKey: receiver.publicKey, balance: MINA });
    // zkapps_nonce_test.ml: fee payer nonce 0 with the update's nonce precondition 1, then fee payer nonce 1 with precondition 2
    const withNonce = (feePayerNonce: number, precondition: number) =>
      record(
        zkappPayment({
          sender,
          receiver: receiver.publicKey,
          amount: 0n,
          nonce: feePayerNonce,
          editSender: (u) => (u.body.preconditions.account.nonce = { lower: String(precondition), upper: String(precondition) }),
        }),
      );
    const result = applyZkappCommands(ledger, [withNonce(0, 1), withNonce(1, 2)], ctx);
    expect(result).toMatchObject({ ok: true, fees: 200_000_000n, statuses: [{ applied: false, failures: [[], ["Account_nonce_precondition_unsatisfied"], ["Cancelled"]] }, { applied: true }] });
    // alone in its block, the first one passes
    expect(applyZkappCommands(ledger, [withNonce(0, 1)], ctx)).toMatchObject({ ok: true, statuses: [{ applied: true }] });
  });
});

describe("Permissions.user_default (the engine's constant)", () => {
  it("pairs set_verification_key with the Txn_version.current o1js carries from Mina", async () => {
    const { TXN_VERSION_CURRENT, USER_DEFAULT_PERMISSIONS } = await import("@mina-local/engine");
    const { txnVersion } = await import("./mina-logic.js");
    expect(TXN_VERSION_CURRENT).toBe(txnVersion());
    expect(USER_DEFAULT_PERMISSIONS.setVerificationKey).toEqual({ auth: "Signature", txnVersion: String(txnVersion()) });
  });
});
