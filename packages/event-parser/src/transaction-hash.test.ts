import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { berkeleySignedCommandHash, memoText, type SignedCommandFields } from "./transaction-hash.js";

// Mina's own test vector: src/lib/transaction/transaction_hash.ml (develop 2023-09, 9f068b1c3b),
// "signed command v2 hash from transaction id". Its transaction id is the Base64 bin_prot of the
// command (after a version tag); these fields are that command, read back from those bytes.
const MINA_V2_VECTOR: SignedCommandFields = {
  fee: 2000000008n,
  feePayer: "B62qmM48jczCSEQ5CtZhkUgJmwoKXeckPSW8GjX1ifZrEmfybomgo6u",
  nonce: 0n,
  validUntil: 4294967295n,
  memo: "E4QrrmNc5Bag198tAkuEXCdzFNBvsVAFg2US3oDYzhu6SA6x3wscb",
  body: { kind: "payment", receiver: "B62qjBrdnzkAWFbUU8Wid52jArUHTaFWiaeujBVnvHAMhKEgXwTxBYv", amount: 9396n },
  signer: "B62qmM48jczCSEQ5CtZhkUgJmwoKXeckPSW8GjX1ifZrEmfybomgo6u",
};

describe("Mina's transaction hash of a signed command", () => {
  it("matches Mina's v2 test vector", () => {
    expect(berkeleySignedCommandHash(MINA_V2_VECTOR)).toBe("5JvBt4173K3t7gQSpFoMGtbtZuYWPSg29cWad5pnnRd9BnAowoqY");
  });

  it("changes with every field (the vector is not matched by accident)", () => {
    const base = berkeleySignedCommandHash(MINA_V2_VECTOR);
    expect(berkeleySignedCommandHash({ ...MINA_V2_VECTOR, nonce: 1n })).not.toBe(base);
    expect(berkeleySignedCommandHash({ ...MINA_V2_VECTOR, fee: 2000000009n })).not.toBe(base);
  });

  it("agrees with mina-signer (hashPayment / hashStakeDelegation, berkeley) on commands it can express", () => {
    const client = new Client({ network: "testnet" });
    const { privateKey, publicKey } = client.genKeys();
    const to = client.genKeys().publicKey;
    const payment = client.signPayment({ to, from: publicKey, amount: "1500000000", fee: "10000000", nonce: "7", memo: "hello mina", validUntil: "100000" }, privateKey);
    const memo = memoOf("hello mina");
    const ours = berkeleySignedCommandHash({
      fee: 10000000n,
      feePayer: publicKey,
      nonce: 7n,
      validUntil: 100000n,
      memo,
      body: { kind: "payment", receiver: to, amount: 1500000000n },
      signer: publicKey,
    });
    expect(ours).toBe(client.hashPayment(payment, { berkeley: true }));
    const delegation = client.signStakeDelegation({ to, from: publicKey, fee: "20000000", nonce: "3", memo: "" }, privateKey);
    const oursDelegation = berkeleySignedCommandHash({
      fee: 20000000n,
      feePayer: publicKey,
      nonce: 3n,
      validUntil: 4294967295n,
      memo: memoOf(""),
      body: { kind: "delegation", newDelegate: to },
      signer: publicKey,
    });
    expect(oursDelegation).toBe(client.hashStakeDelegation(delegation, { berkeley: true }));
  });

  it("reads a memo's text", () => {
    expect(memoText("E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH")).toBe("");
    expect(memoText(MINA_V2_VECTOR.memo)).toBeUndefined(); // a digest memo
  });

  it("refuses a key that is not a Mina public key", () => {
    expect(() => berkeleySignedCommandHash({ ...MINA_V2_VECTOR, feePayer: "B62qnot-a-key" })).toThrow(/public key/);
  });
});

/** The Base58Check memo Mina's JSON prints for a user string (tag 0x01, length, bytes, zero padding to 34). */
function memoOf(text: string): string {
  const bytes = new Uint8Array(34);
  const utf8 = new TextEncoder().encode(text);
  bytes[0] = 1;
  bytes[1] = utf8.length;
  bytes.set(utf8, 2);
  return createBase58check(sha256).encode(Uint8Array.from([0x14, ...bytes]));
}
