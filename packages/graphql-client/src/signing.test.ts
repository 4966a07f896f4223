import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { signPayment, signStakeDelegation, VALID_UNTIL_FOREVER } from "./signing.js";

const signer = new Client({ network: "testnet" });
const sender = signer.genKeys();
const receiver = signer.genKeys();

/** mina-signer's own shape of what was signed, from what sendSignedPayment sends. */
const asSignerData = (fields: Record<string, string | bigint>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));

describe("signPayment", () => {
  it("produces a signature mina-signer verifies for the payment as it will be sent", () => {
    const signed = signPayment(sender.privateKey, { from: sender.publicKey, to: receiver.publicKey, amount: 2_500_000_000n, fee: 10_000_000n, nonce: 3 });
    expect(signed.payment).toEqual({
      from: sender.publicKey,
      to: receiver.publicKey,
      amount: 2_500_000_000n,
      fee: 10_000_000n,
      nonce: 3n,
      memo: "",
      validUntil: VALID_UNTIL_FOREVER,
    });
    expect(signed.signature.field).toMatch(/^\d+$/);
    expect(signed.signature.scalar).toMatch(/^\d+$/);
    const data = asSignerData({ ...signed.payment });
    expect(signer.verifyPayment({ data: data as never, signature: signed.signature, publicKey: sender.publicKey })).toBe(true);
    // Berkeley's v2 hash (what a Berkeley-era daemon returns), not mina-signer's default 1.x hash
    expect(signed.hash).toBe(signer.hashPayment({ data: data as never, signature: signed.signature, publicKey: sender.publicKey }, { berkeley: true }));
    expect(signed.hash).not.toBe(signer.hashPayment({ data: data as never, signature: signed.signature, publicKey: sender.publicKey }));
    expect(signed.hash).toMatch(/^5J/);
  });

  it("signs the memo and validUntil it is given: changing either breaks the signature", () => {
    const signed = signPayment(sender.privateKey, {
      from: sender.publicKey,
      to: receiver.publicKey,
      amount: 1n,
      fee: 1_000_000n,
      nonce: 0n,
      memo: "hello",
      validUntil: 100,
    });
    const data = asSignerData({ ...signed.payment });
    expect(signer.verifyPayment({ data: data as never, signature: signed.signature, publicKey: sender.publicKey })).toBe(true);
    const otherMemo = { ...data, memo: "" };
    expect(signer.verifyPayment({ data: otherMemo as never, signature: signed.signature, publicKey: sender.publicKey })).toBe(false);
    const otherSlot = { ...data, validUntil: VALID_UNTIL_FOREVER.toString() };
    expect(signer.verifyPayment({ data: otherSlot as never, signature: signed.signature, publicKey: sender.publicKey })).toBe(false);
  });

  it("refuses a key that is not the sender's", () => {
    expect(() => signPayment(receiver.privateKey, { from: sender.publicKey, to: receiver.publicKey, amount: 1n, fee: 1n, nonce: 0 })).toThrow(
      /signPayment: the private key is not the key of the sender B62/,
    );
  });
});

describe("signStakeDelegation", () => {
  it("produces a delegation mina-signer verifies, with its hash", () => {
    const signed = signStakeDelegation(sender.privateKey, { from: sender.publicKey, to: receiver.publicKey, fee: 10_000_000n, nonce: 1 });
    const data = asSignerData({ ...signed.delegation });
    const asSigned = { data: data as never, signature: signed.signature, publicKey: sender.publicKey };
    expect(signer.verifyStakeDelegation(asSigned)).toBe(true);
    expect(signed.hash).toBe(signer.hashStakeDelegation(asSigned, { berkeley: true }));
    expect(signed.hash).toMatch(/^5J/);
  });
});
