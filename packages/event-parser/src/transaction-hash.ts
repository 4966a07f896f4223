import { blake2b } from "@noble/hashes/blake2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import Client from "mina-signer";

/*
 * Mina's transaction hash of a signed command, as a daemon reports it (GraphQL `hash`, the
 * newest daemons' Breadcrumb_added `user_commands[].data`).
 *
 * Berkeley and later (src/lib/transaction/transaction_hash.ml, develop 2023-09): Blake2b-256 of
 * the bin_prot serialization of `Signed_command.Stable.Latest` with the signature replaced by
 * `Signature.dummy` (field 1, scalar 1), as Base58Check with version byte 0x1d
 * (src/lib/base58_check/version_bytes.ml) over the bin_prot string of the digest (0x20 + 32 bytes).
 * The bin_prot layout is Signed_command_payload.Common (fee, fee_payer_pk, nonce, valid_until,
 * memo), the body variant (Payment { receiver_pk; amount } = 0, Stake_delegation (Set_delegate
 * { new_delegate }) = 1), the signer. Checked against Mina's own vector ("signed command v2 hash
 * from transaction id" in transaction_hash.ml), see transaction-hash.test.ts.
 *
 * Mainnet 1.x: Blake2b-256 of the Base58Check text of the whole V1 command, real signature
 * included; mina-signer's `hashPayment` / `hashStakeDelegation` (legacy mode) compute it.
 */

const base58check = createBase58check(sha256);

const VERSION = { publicKey: 0xcb, memo: 0x14, signature: 0x9a, transactionHash: 0x1d } as const;

export interface SignedCommandFields {
  /** nanomina */
  fee: bigint;
  feePayer: string;
  nonce: bigint;
  validUntil: bigint;
  /** the memo as Mina's JSON prints it: Base58Check "E4Y..." */
  memo: string;
  body: { kind: "payment"; receiver: string; amount: bigint } | { kind: "delegation"; newDelegate: string };
  signer: string;
}

/** Bin_prot's variable-length integer (Bin_prot.Write.bin_write_int), for a value of `bits` bits as Mina's unsigned types store it. */
function binInt(value: bigint, bits: 32 | 64): number[] {
  // Mina's Unsigned_extended serialises uint32/uint64 through Int32/Int64: the top half is negative.
  const signed = BigInt.asIntN(bits, value);
  const le = (n: bigint, bytes: number): number[] => Array.from({ length: bytes }, (_, i) => Number((BigInt.asUintN(bytes * 8, n) >> BigInt(8 * i)) & 0xffn));
  if (signed >= 0n) {
    if (signed < 0x80n) return [Number(signed)];
    if (signed < 0x8000n) return [0xfe, ...le(signed, 2)];
    if (signed < 0x80000000n) return [0xfd, ...le(signed, 4)];
    return [0xfc, ...le(signed, 8)];
  }
  if (signed >= -0x80n) return [0xff, ...le(signed, 1)];
  if (signed >= -0x8000n) return [0xfe, ...le(signed, 2)];
  if (signed >= -0x80000000n) return [0xfd, ...le(signed, 4)];
  return [0xfc, ...le(signed, 8)];
}

function decodeVersioned(text: string, version: number, length: number, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base58check.decode(text);
  } catch {
    throw new Error(`${what} ${JSON.stringify(text.slice(0, 60))} is not Base58Check`);
  }
  if (bytes[0] !== version || bytes.length !== length) throw new Error(`${what} ${JSON.stringify(text.slice(0, 60))} is not a Mina ${what}`);
  return bytes;
}

/** A compressed public key's bin_prot form: x (32 bytes, little endian) then is_odd. */
function publicKeyBytes(key: string): number[] {
  const bytes = decodeVersioned(key, VERSION.publicKey, 36, "public key");
  return [...bytes.subarray(3, 35), bytes[35] ?? 0];
}

/** The 34 memo bytes, as a bin_prot string (length first). */
function memoBytes(memo: string): number[] {
  const bytes = decodeVersioned(memo, VERSION.memo, 35, "memo");
  return [34, ...bytes.subarray(1)];
}

const DUMMY_SIGNATURE = [1, ...new Array<number>(31).fill(0), 1, ...new Array<number>(31).fill(0)];

/** Mina's transaction hash of a Berkeley-era signed command. Throws on a malformed key or memo. */
export function berkeleySignedCommandHash(command: SignedCommandFields): string {
  const bytes = [
    ...binInt(command.fee, 64),
    ...publicKeyBytes(command.feePayer),
    ...binInt(command.nonce, 32),
    0, // Global_slot_since_genesis.Since_genesis
    ...binInt(command.validUntil, 32),
    ...memoBytes(command.memo),
    ...(command.body.kind === "payment" ? [0, ...publicKeyBytes(command.body.receiver), ...binInt(command.body.amount, 64)] : [1, 0, ...publicKeyBytes(command.body.newDelegate)]),
    ...publicKeyBytes(command.signer),
    ...DUMMY_SIGNATURE,
  ];
  return transactionHashOfDigest(blake2b(Uint8Array.from(bytes), { dkLen: 32 }));
}

export function transactionHashOfDigest(digest: Uint8Array): string {
  return base58check.encode(Uint8Array.from([VERSION.transactionHash, 32, ...digest]));
}

/** The text of a memo whose bytes are a user string (tag 0x01), undefined for a digest memo (tag 0x00). */
export function memoText(memo: string): string | undefined {
  const bytes = decodeVersioned(memo, VERSION.memo, 35, "memo");
  const length = bytes[2] ?? 0;
  if (bytes[1] !== 1 || length > 32) return undefined;
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(3, 3 + length));
}

const legacyClient = new Client({ network: "mainnet" });

/** A mainnet 1.x signed command's hash (mina-signer's legacy hashing), or undefined when its memo is a digest, which mina-signer cannot express. */
export function legacySignedCommandHash(command: SignedCommandFields, signature: string): string | undefined {
  const text = memoText(command.memo);
  if (text === undefined) return undefined;
  const sig = decodeVersioned(signature, VERSION.signature, 66, "signature");
  const field = leToBigint(sig.subarray(2, 34));
  const scalar = leToBigint(sig.subarray(34, 66));
  const common = { from: command.feePayer, fee: command.fee.toString(), nonce: command.nonce.toString(), validUntil: command.validUntil.toString(), memo: text };
  const legacySignature = { field: field.toString(), scalar: scalar.toString() };
  if (command.body.kind === "payment") {
    return legacyClient.hashPayment({ data: { ...common, to: command.body.receiver, amount: command.body.amount.toString() }, signature: legacySignature, publicKey: command.signer });
  }
  return legacyClient.hashStakeDelegation({ data: { ...common, to: command.body.newDelegate }, signature: legacySignature, publicKey: command.signer });
}

function leToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}
