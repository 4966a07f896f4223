import { describe, expect, it } from "vitest";
import { DUMMY_VERIFICATION_KEY, genKeys, NOOP_UPDATE } from "./command-builder.js";
import { DEPLOY_PERMISSIONS, deploySnapp, randomField, randomProofPermissions, randomStateHash, updateStates } from "./for-tests.js";

type Command = {
  feePayer: { body: { nonce: string; fee: string } };
  accountUpdates: {
    body: { publicKey: string; balanceChange: { magnitude: string; sgn: string }; update: Record<string, unknown>; authorizationKind: { isSigned: boolean; isProved: boolean } };
    authorization: { proof: string | null; signature: string | null };
  }[];
};
const MINA = 1_000_000_000n;

describe("Transaction_snark.For_tests, ported", () => {
  const sender = genKeys();
  const zkapps = [genKeys(), genKeys(), genKeys()];

  it("deploy_snapp: the sender pays the amount, the first account gets it less one creation fee per account, each gets the key and deploy permissions, signed", () => {
    const command = deploySnapp({ sender, nonce: 0, fee: 20_000_000n, amount: 10n * MINA, zkappAccounts: zkapps, memo: "Zkapp create account", accountCreationFee: MINA }) as Command;
    expect(command.accountUpdates.map((u) => [u.body.publicKey, u.body.balanceChange.sgn, u.body.balanceChange.magnitude])).toEqual([
      [sender.publicKey, "Negative", String(10n * MINA)],
      [zkapps[0]?.publicKey, "Positive", String(7n * MINA)],
      [zkapps[1]?.publicKey, "Positive", "0"],
      [zkapps[2]?.publicKey, "Positive", "0"],
    ]);
    for (const u of command.accountUpdates.slice(1)) {
      expect(u.body.update).toMatchObject({ verificationKey: DUMMY_VERIFICATION_KEY, permissions: DEPLOY_PERMISSIONS });
      expect(u.authorization.signature).toMatch(/^7m[1-9A-HJ-NP-Za-km-z]{90,}$/);
    }
    expect(() => deploySnapp({ sender, nonce: 0, fee: 1n, amount: 2n * MINA, zkappAccounts: zkapps, memo: "m", accountCreationFee: MINA })).toThrow(/account creation fees/);
  });

  it("update_states: one update per zkApp account, authorized as current_auth says", () => {
    const byProof = updateStates({ sender, nonce: 1, fee: 10_000_000n, zkappAccounts: zkapps, memo: "m", update: { zkappUri: "https://www.minaprotocol.com" }, currentAuth: "Proof" }) as Command;
    expect(byProof.accountUpdates).toHaveLength(3);
    expect(byProof.accountUpdates.every((u) => u.body.authorizationKind.isProved && u.authorization.proof !== null && u.body.update.zkappUri === "https://www.minaprotocol.com")).toBe(true);
    const byNone = updateStates({ sender, nonce: 0, fee: 10_000_000n, zkappAccounts: zkapps, memo: "m", update: NOOP_UPDATE, currentAuth: "None" }) as Command;
    expect(byNone.accountUpdates.every((u) => !u.body.authorizationKind.isSigned && !u.body.authorizationKind.isProved && u.authorization.signature === null)).toBe(true);
  });

  it("random values as Mina's generators give them: field elements below the modulus, base58 state hashes, permissions a proof satisfies", () => {
    expect(BigInt(randomField())).toBeLessThan(0x40000000000000000000000000000000224698fc094cf91b992d30ed00000001n);
    expect(randomStateHash()).toMatch(/^3N[1-9A-HJ-NP-Za-km-z]{50}$/);
    const permissions = randomProofPermissions();
    expect(Object.values({ ...permissions, setVerificationKey: permissions.setVerificationKey.auth }).every((a) => ["None", "Either", "Proof"].includes(a))).toBe(true);
  });
});
