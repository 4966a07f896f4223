import Client from "mina-signer";
import { beforeAll, describe, expect, it } from "vitest";
import { accountKey, DEFAULT_TOKEN_ID, stakeDistribution, totalCurrency, type Account } from "../ledger.js";
import { signedZkappCommand, type UpdateSpec } from "../testing/zkapp-commands.js";
import { callerIds } from "./apply.js";
import { malformedPart } from "./command.js";
import { deriveTokenId, loadMinaLogic } from "./mina-logic.js";
import { applyRecord } from "./record.js";

/*
 * Custom tokens as Mina's zkapp_command_logic.ml (develop 9f068b1c3b) takes them, on the four
 * commands of Mina's zkapps.ml token sections (mint token, mint 2nd token, transfer tokens,
 * transfer tokens (2)) and the failures around them.
 */
beforeAll(() => loadMinaLogic());

const keys = new Client({ network: "testnet" });
const MINA = 1_000_000_000n;
const FEE = MINA;
const ctx = { globalSlot: 10, blockchainLength: 5, accountCreationFee: FEE };
const funder = keys.genKeys();
const owner = keys.genKeys();
const holders = [keys.genKeys(), keys.genKeys(), keys.genKeys(), keys.genKeys()] as const;

function genesis(): Map<string, Account> {
  return new Map([
    [funder.publicKey, { publicKey: funder.publicKey, balance: 3000n * MINA, nonce: 1, delegate: funder.publicKey }],
    [owner.publicKey, { publicKey: owner.publicKey, balance: 3000n * MINA, nonce: 0, delegate: owner.publicKey }],
  ]);
}
const send = (ledger: Map<string, Account>, nonce: number, updates: UpdateSpec[]) => applyRecord(ledger, { hash: "5Jtest", json: signedZkappCommand({ feePayer: funder, nonce, updates }) }, ctx);
const tokenBalance = (ledger: Map<string, Account>, publicKey: string, tokenId: string) => ledger.get(accountKey(publicKey, tokenId))?.balance;

describe("custom tokens (zkapp_command_logic.ml)", () => {
  it("Account_id.derive_token_id: Mina's zkapps.ml mints two tokens of one owner, the second derived from the owner's account of the first", () => {
    const first = deriveTokenId(owner.publicKey, DEFAULT_TOKEN_ID);
    expect(first).not.toBe(DEFAULT_TOKEN_ID);
    expect(deriveTokenId(owner.publicKey, first)).not.toBe(first);
    expect(deriveTokenId(funder.publicKey, DEFAULT_TOKEN_ID)).not.toBe(first);
  });

  it("runs zkapps.ml's token commands: minted, nested, transferred; the creation fees out of the excess in MINA", () => {
    const token = deriveTokenId(owner.publicKey, DEFAULT_TOKEN_ID);
    const token2 = deriveTokenId(owner.publicKey, token);
    const ledger = genesis();
    const currencyBefore = totalCurrency(ledger);
    const ownerPays = (fees: bigint): UpdateSpec => ({ key: owner, tokenId: DEFAULT_TOKEN_ID, balanceChange: -fees * FEE, callDepth: 0 });
    const child = (key: UpdateSpec["key"], tokenId: string, balanceChange: bigint, callDepth = 1): UpdateSpec => ({ key, tokenId, balanceChange, callDepth, mayUseToken: "ParentsOwnToken" });

    expect(send(ledger, 1, [ownerPays(1n), child(holders[0], token, 10000n)])).toMatchObject({ ok: true, status: { applied: true } });
    expect(send(ledger, 2, [ownerPays(2n), child(owner, token, 0n), child(holders[2], token2, 500n, 2)])).toMatchObject({ ok: true, status: { applied: true } });
    const transfer = [
      ownerPays(1n),
      child(holders[0], token, -30n),
      child(holders[1], token, 30n),
      { key: funder, tokenId: DEFAULT_TOKEN_ID, balanceChange: -50n, callDepth: 1 },
      { key: funder, tokenId: DEFAULT_TOKEN_ID, balanceChange: 50n, callDepth: 1 },
    ];
    expect(send(ledger, 3, transfer)).toMatchObject({ ok: true, status: { applied: true } });
    const transfer2 = [ownerPays(1n), child(holders[1], token, -5n), child(holders[0], token, 5n), child(owner, token, 0n), child(holders[2], token2, -210n, 2), child(holders[3], token2, 210n, 2)];
    expect(send(ledger, 4, transfer2)).toMatchObject({ ok: true, status: { applied: true } });

    expect([tokenBalance(ledger, holders[0].publicKey, token), tokenBalance(ledger, holders[1].publicKey, token), tokenBalance(ledger, owner.publicKey, token)]).toEqual([9975n, 25n, 0n]);
    expect([tokenBalance(ledger, holders[2].publicKey, token2), tokenBalance(ledger, holders[3].publicKey, token2)]).toEqual([290n, 210n]);
    // a token's accounts are not MINA accounts and have no delegate (Account.create)
    expect(ledger.get(holders[0].publicKey)).toBeUndefined();
    expect(ledger.get(accountKey(holders[0].publicKey, token))).toMatchObject({ tokenId: token, delegate: null, nonce: 0 });
    // 5 accounts created, each fee burnt; 4 command fees to the producer (not applied here)
    expect(ledger.get(owner.publicKey)?.balance).toBe(3000n * MINA - 5n * FEE);
    expect(totalCurrency(ledger)).toBe(currencyBefore - 5n * FEE - 4n * 100_000_000n);
    expect(stakeDistribution(ledger).total).toBe(totalCurrency(ledger));
  });

  it("Token_owner_not_caller: a token's update without its owner's approval, at the top level or under another account", () => {
    const token = deriveTokenId(owner.publicKey, DEFAULT_TOKEN_ID);
    const ledger = genesis();
    const notApproved = send(ledger, 1, [
      { key: owner, tokenId: DEFAULT_TOKEN_ID, balanceChange: -FEE, callDepth: 0 },
      { key: holders[0], tokenId: token, balanceChange: 10n, callDepth: 1, mayUseToken: "No" },
    ]);
    expect(notApproved).toMatchObject({ ok: true, status: { applied: false, failures: [[], ["Cancelled"], ["Token_owner_not_caller"]] } });
    const topLevel = send(ledger, 2, [{ key: holders[0], tokenId: token, balanceChange: 0n, callDepth: 0, mayUseToken: "ParentsOwnToken" }]);
    expect(topLevel).toMatchObject({ ok: true, status: { applied: false } });
    expect((topLevel as { status: { failures: string[][] } }).status.failures[1]).toContain("Token_owner_not_caller");
    const otherParent = send(ledger, 3, [
      { key: funder, tokenId: DEFAULT_TOKEN_ID, balanceChange: -FEE, callDepth: 0 },
      { key: holders[0], tokenId: token, balanceChange: 10n, callDepth: 1, mayUseToken: "ParentsOwnToken" },
    ]);
    expect((otherParent as { status: { failures: string[][] } }).status.failures[2]).toContain("Token_owner_not_caller");
    expect(ledger.get(accountKey(holders[0].publicKey, token))).toBeUndefined();
  });

  it("Cannot_pay_creation_fee_in_token, and only MINA accounts delegate (Update_not_permitted_delegate)", () => {
    const token = deriveTokenId(owner.publicKey, DEFAULT_TOKEN_ID);
    const ledger = genesis();
    const implicit = send(ledger, 1, [
      { key: owner, tokenId: DEFAULT_TOKEN_ID, balanceChange: 0n, callDepth: 0 },
      { key: holders[0], tokenId: token, balanceChange: 10n, callDepth: 1, mayUseToken: "ParentsOwnToken", edit: (u) => (u.body.implicitAccountCreationFee = true) },
    ]);
    expect((implicit as { status: { failures: string[][] } }).status.failures[2]).toContain("Cannot_pay_creation_fee_in_token");
    const delegating = send(ledger, 2, [
      { key: owner, tokenId: DEFAULT_TOKEN_ID, balanceChange: -FEE, callDepth: 0 },
      { key: holders[0], tokenId: token, balanceChange: 10n, callDepth: 1, mayUseToken: "ParentsOwnToken", edit: (u) => (u.body.update.delegate = owner.publicKey) },
    ]);
    expect((delegating as { status: { failures: string[][] } }).status.failures[2]).toEqual(["Update_not_permitted_delegate"]);
  });

  it("a token update's balance change is not MINA: a token debit does not pay a creation fee owed in the excess", () => {
    const token = deriveTokenId(owner.publicKey, DEFAULT_TOKEN_ID);
    const ledger = genesis();
    const approved = (key: UpdateSpec["key"], balanceChange: bigint): UpdateSpec => ({ key, tokenId: token, balanceChange, callDepth: 1, mayUseToken: "ParentsOwnToken" });
    expect(send(ledger, 1, [{ key: owner, tokenId: DEFAULT_TOKEN_ID, balanceChange: -FEE, callDepth: 0 }, approved(holders[0], 2n * FEE)])).toMatchObject({ status: { applied: true } });
    // holders[1] is new: its fee is owed in MINA, and holders[0]'s token debit of the same size settles nothing
    const result = send(ledger, 2, [{ key: owner, tokenId: DEFAULT_TOKEN_ID, balanceChange: 0n, callDepth: 0 }, approved(holders[0], -FEE), approved(holders[1], 0n)]);
    expect(result).toMatchObject({ ok: true, status: { applied: false, failures: [[], ["Cancelled"], ["Cancelled"], ["Invalid_fee_excess"]] } });
  });
});

describe("callerIds (logic.ml get_next_account_update)", () => {
  const body = (publicKey: string, tokenId: string, callDepth: number, may: { parentsOwnToken: boolean; inheritFromParent: boolean }) => ({
    body: { publicKey, tokenId, callDepth, mayUseToken: may },
  });
  const no = { parentsOwnToken: false, inheritFromParent: false };
  const own = { parentsOwnToken: true, inheritFromParent: false };
  const inherit = { parentsOwnToken: false, inheritFromParent: true };

  it("Parents_own_token takes the parent's derived token, Inherit_from_parent the parent's own caller, No the default token", () => {
    const token = deriveTokenId(owner.publicKey, DEFAULT_TOKEN_ID);
    const updates = [
      body(owner.publicKey, DEFAULT_TOKEN_ID, 0, no),
      body(funder.publicKey, DEFAULT_TOKEN_ID, 1, own),
      body(holders[0].publicKey, token, 2, inherit),
      body(holders[1].publicKey, token, 2, no),
      body(holders[2].publicKey, token, 1, own),
      body(holders[3].publicKey, DEFAULT_TOKEN_ID, 0, own),
    ];
    expect(callerIds(updates as never)).toEqual([DEFAULT_TOKEN_ID, token, token, DEFAULT_TOKEN_ID, token, DEFAULT_TOKEN_ID]);
  });

  it("malformedPart: a depth that skips a level, and both token flags set", () => {
    const command = (updates: unknown[]) => ({ accountUpdates: updates }) as never;
    expect(malformedPart(command([body(owner.publicKey, DEFAULT_TOKEN_ID, 1, no)]))).toMatch(/call depth 1 follows nothing/);
    expect(malformedPart(command([body(owner.publicKey, DEFAULT_TOKEN_ID, 0, no), body(owner.publicKey, DEFAULT_TOKEN_ID, 2, no)]))).toMatch(/call depth 2 follows depth 0/);
    expect(malformedPart(command([body(owner.publicKey, DEFAULT_TOKEN_ID, 0, { parentsOwnToken: true, inheritFromParent: true })]))).toMatch(/both parentsOwnToken and inheritFromParent/);
    expect(malformedPart(command([body(owner.publicKey, DEFAULT_TOKEN_ID, 0, no), body(owner.publicKey, DEFAULT_TOKEN_ID, 1, own), body(owner.publicKey, DEFAULT_TOKEN_ID, 0, no)]))).toBeUndefined();
  });
});
