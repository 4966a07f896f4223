import { USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { DEFAULT_TOKEN, deriveTokenId, DUMMY_PROOF, DUMMY_VERIFICATION_KEY, mkAccountUpdateBody, mkForest, mkNode, mkSignedZkappCommand, type Network } from "./command-builder.js";
import { o1jsMinaSigner } from "./o1js.js";

const Client = await o1jsMinaSigner();

const client = new Client({ network: "testnet" });
const fish1 = client.genKeys();

describe("Mina's Zkapp_command_builder, ported", () => {
  it("mk_account_update_body and a signed command: the fee payer and its updates signed, Mina's defaults in the body", () => {
    const command = mkSignedZkappCommand({
      memo: "valid zkapp from fish1",
      fee: 12_000_000n,
      feePayer: fish1,
      feePayerNonce: 1,
      accountUpdates: [mkAccountUpdateBody(fish1.publicKey, -1n, { nonce: 2, permissions: { ...USER_DEFAULT_PERMISSIONS, send: "Proof" } })],
    }) as {
      feePayer: { body: { nonce: string; fee: string; validUntil: null }; authorization: string };
      accountUpdates: { body: Record<string, unknown>; authorization: { signature: string | null } }[];
    };
    expect(command.feePayer.body).toMatchObject({ nonce: "1", fee: "12000000", validUntil: null });
    const [update] = command.accountUpdates;
    expect(update?.body).toMatchObject({
      balanceChange: { magnitude: "1", sgn: "Negative" },
      useFullCommitment: true,
      implicitAccountCreationFee: false,
      preconditions: { account: { nonce: { lower: "2", upper: "2" } } },
    });
    expect(update?.authorization.signature).toMatch(/^7m[1-9A-HJ-NP-Za-km-z]{90,}$/);
    expect(
      client.verifyZkappCommand({
        data: { zkappCommand: command as never, feePayer: { feePayer: fish1.publicKey, fee: "12000000", nonce: "1", memo: "valid zkapp from fish1" } },
        signature: command.feePayer.authorization,
        publicKey: fish1.publicKey,
      }),
    ).toBe(true);
  });

  it("refuses a signed update whose key is not in the keymap, and signs it when it is (replace_authorizations ~keymap)", () => {
    const other = client.genKeys();
    expect(() => mkSignedZkappCommand({ memo: "m", fee: 12_000_000n, feePayer: fish1, feePayerNonce: 0, accountUpdates: [mkAccountUpdateBody(other.publicKey, 0n)] })).toThrow(/not in the keymap/);
    const build = (updatesNetwork?: Network) =>
      mkSignedZkappCommand({
        memo: "m",
        fee: 12_000_000n,
        feePayer: fish1,
        feePayerNonce: 0,
        accountUpdates: [mkAccountUpdateBody(other.publicKey, 0n)],
        keys: [other],
        ...(updatesNetwork && { updatesNetwork }),
      }) as {
        feePayer: { authorization: string };
        accountUpdates: { authorization: { signature: string | null } }[];
      };
    const here = build();
    const elsewhere = build({ custom: "Invalid" });
    expect(here.accountUpdates[0]?.authorization.signature).toMatch(/^7m[1-9A-HJ-NP-Za-km-z]{90,}$/);
    // the fee payer signs for this network either way; the update's signature is another network's
    expect(elsewhere.feePayer.authorization).toBe(here.feePayer.authorization);
    expect(elsewhere.accountUpdates[0]?.authorization.signature).not.toBe(here.accountUpdates[0]?.authorization.signature);
  });

  it("a proof authorization names the verification key hash and carries Pickles' dummy proof; None_given carries nothing", () => {
    const proved = mkAccountUpdateBody(fish1.publicKey, 0n, { authorization: { proof: DUMMY_VERIFICATION_KEY.hash } });
    expect(proved.body.authorizationKind).toEqual({ isSigned: false, isProved: true, verificationKeyHash: DUMMY_VERIFICATION_KEY.hash });
    expect(proved.authorization).toEqual({ proof: DUMMY_PROOF, signature: null });
    expect(mkAccountUpdateBody(fish1.publicKey, 0n, { authorization: "None_given" }).authorization).toEqual({ proof: null, signature: null });
  });

  it("deriveTokenId is Account_id.derive_token_id: o1js 2.15's TokenId.derive gives the same ids", () => {
    // computed with o1js 2.15 (its in-circuit TokenId.derive, which runs Mina's Poseidon): TokenId.derive(pk), then TokenId.derive(pk, that)
    const owner = "B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg";
    const first = deriveTokenId(owner);
    expect(first).toBe("wuuBRg3V8YCtL2nU8cLcC9LcUWpwyKVsyRgfEv4yjBa5wzrp3u");
    expect(deriveTokenId(owner, first)).toBe("xpJdaqovTd9G5y5q7pbdDqaYKTft7WEJuVf3iz3TTLS61yKvi6");
  });

  it("mk_forest / mk_node: depth first, each update with its call depth; May_use_token and the token as asked", () => {
    const token = deriveTokenId(fish1.publicKey);
    const owner = mkAccountUpdateBody(fish1.publicKey, -1n);
    const holder = (change: bigint) => mkAccountUpdateBody(client.genKeys().publicKey, change, { tokenId: token, mayUseToken: "Parents_own_token" });
    const flat = mkForest([mkNode(owner, [mkNode(holder(5n), [mkNode(holder(1n))]), mkNode(holder(-5n))]), mkNode(owner)]);
    expect(flat.map((u) => u.body.callDepth)).toEqual([0, 1, 2, 1, 0]);
    expect(flat.map((u) => u.body.balanceChange.magnitude)).toEqual(["1", "5", "1", "5", "1"]);
    expect(flat[1]?.body).toMatchObject({ tokenId: token, mayUseToken: { parentsOwnToken: true, inheritFromParent: false } });
    expect(flat[0]?.body).toMatchObject({ tokenId: DEFAULT_TOKEN, mayUseToken: { parentsOwnToken: false, inheritFromParent: false } });
  });
});
