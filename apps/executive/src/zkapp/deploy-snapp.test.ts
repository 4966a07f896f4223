import { describe, expect, it } from "vitest";
import { verifyZkappCommandSignature } from "../../node_modules/o1js/dist/node/mina-signer/src/sign-zkapp-command.js";
import { createKeypair, deploySnapp, DUMMY_VERIFICATION_KEY } from "./deploy-snapp.js";

type Command = {
  feePayer: { body: { publicKey: string; nonce: string; fee: string } };
  accountUpdates: {
    body: { publicKey: string; balanceChange: { magnitude: string; sgn: string }; update: { verificationKey: unknown; permissions: Record<string, unknown> | null } };
    authorization: { signature: string | null };
  }[];
};

describe("Mina's deploy_snapp, ported", () => {
  const sender = createKeypair();
  const zkapp = createKeypair();
  const command = deploySnapp({ sender, nonce: 1, fee: 20_000_000n, amount: 10_000_000_000n, zkappAccount: zkapp, memo: "Zkapp create account", accountCreationFee: 1_000_000_000n }) as Command;

  it("the sender pays the amount, the new account gets it less the creation fee, with the deploy key and permissions", () => {
    expect(command.feePayer.body).toMatchObject({ publicKey: sender.publicKey, nonce: "1", fee: "20000000" });
    const [senderUpdate, zkappUpdate] = command.accountUpdates;
    expect(senderUpdate?.body).toMatchObject({ publicKey: sender.publicKey, balanceChange: { magnitude: "10000000000", sgn: "Negative" }, update: { verificationKey: null, permissions: null } });
    expect(zkappUpdate?.body).toMatchObject({ publicKey: zkapp.publicKey, balanceChange: { magnitude: "9000000000", sgn: "Positive" }, update: { verificationKey: DUMMY_VERIFICATION_KEY } });
    expect(zkappUpdate?.body.update.permissions).toMatchObject({ editState: "Proof", editActionState: "Proof", send: "Signature", setPermissions: "Signature" });
  });

  it("each update is signed by its own key, the fee payer by the sender's", () => {
    expect(command.accountUpdates.map((u) => u.authorization.signature)).toEqual([expect.stringMatching(/^7m/), expect.stringMatching(/^7m/)]);
    expect(verifyZkappCommandSignature(command as never, sender.publicKey, "testnet")).toBe(true);
    expect(verifyZkappCommandSignature(command as never, zkapp.publicKey, "testnet", sender.publicKey)).toBe(true);
    // a signature by the wrong key does not verify
    const swapped = { ...command, accountUpdates: [command.accountUpdates[0], { ...command.accountUpdates[1], authorization: command.accountUpdates[0]?.authorization }] };
    expect(verifyZkappCommandSignature(swapped as never, zkapp.publicKey, "testnet", sender.publicKey)).toBe(false);
  });

  it("refuses an amount that does not pay the account creation fee", () => {
    expect(() => deploySnapp({ sender, nonce: 0, fee: 1n, amount: 1n, zkappAccount: zkapp, memo: "m", accountCreationFee: 2n })).toThrow(/account creation fee/);
  });
});
