import { createHash } from "node:crypto";

/**
 * Mina's Base58Check encodings (version byte, payload, 4-byte double-SHA-256 checksum),
 * so hashes and memos look like the real daemon's: state hashes "3N...", ledger hashes
 * "jx...", memos "E4...", signatures "7m...". The payloads are simulator digests, not
 * Poseidon hashes: they are unique and stable, not Mina's values.
 */
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58Encode(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = "1" + out;
  }
  return out;
}

export function base58Decode(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  for (const char of text) {
    if (char !== "1") break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function checksum(payload: Uint8Array): Buffer {
  return createHash("sha256").update(createHash("sha256").update(payload).digest()).digest().subarray(0, 4);
}

export function base58CheckEncode(version: number, payload: Uint8Array): string {
  const body = Buffer.concat([Buffer.from([version]), payload]);
  return base58Encode(Buffer.concat([body, checksum(body)]));
}

/** The payload after the version byte, or undefined when the text is not valid Base58Check of that version. */
export function base58CheckDecode(version: number, text: string): Uint8Array | undefined {
  const bytes = base58Decode(text);
  if (!bytes || bytes.length < 5) return undefined;
  const body = bytes.subarray(0, bytes.length - 4);
  if (!checksum(body).equals(Buffer.from(bytes.subarray(bytes.length - 4)))) return undefined;
  if (body[0] !== version) return undefined;
  return body.subarray(1);
}

/** Mina's Base58Check version bytes (src/lib/base58_check/version_bytes.ml). */
export const VERSION = {
  ledgerHash: 0x05,
  epochSeed: 0x0d,
  stagedLedgerAuxHash: 0x0e,
  pendingCoinbaseAux: 0x0f,
  stateHash: 0x10,
  stateBodyHash: 0x11,
  memo: 0x14,
  coinbaseStackData: 0x17,
  coinbaseStackHash: 0x18,
  /** Pending_coinbase.Hash is encoded with receipt_chain_hash's byte (0x0c): the sample block's "2mzc..." decodes so */
  pendingCoinbaseHash: 0x0c,
  tokenId: 0x1c,
  signature: 0x9a,
} as const;

/** 32 bytes of SHA-256, top bits cleared so the value is a valid Pasta field element, little-endian like Mina's fields. */
export function fieldDigest(...parts: string[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\u0000");
  const digest = hash.digest();
  digest[31] = (digest[31] ?? 0) & 0x3f;
  return digest;
}

/** Mina encodes a field with a leading structure-version byte 0x01. */
export const hashOf = (version: number, digest: Buffer) => base58CheckEncode(version, Buffer.concat([Buffer.from([0x01]), digest]));

export const stateHashOf = (digest: Buffer) => hashOf(VERSION.stateHash, digest);
export const ledgerHashOf = (digest: Buffer) => hashOf(VERSION.ledgerHash, digest);
export const epochSeedOf = (digest: Buffer) => hashOf(VERSION.epochSeed, digest);

/** The field element (decimal) behind a state hash, for Block.stateHashField. */
export function fieldOfHash(hash: string): string {
  const bytes = base58Decode(hash);
  if (!bytes || bytes.length < 38) return "0";
  let value = 0n;
  for (let i = 33; i >= 2; i--) value = value * 256n + BigInt(bytes[i] ?? 0);
  return value.toString();
}

/** Mina's user-command memo: 0x01 (bytes tag), length, up to 32 UTF-8 bytes, zero padded; Base58Check version 0x14. */
export const MEMO_MAX_BYTES = 32;
export function encodeMemo(memo: string): string {
  const bytes = Buffer.from(memo, "utf8");
  const body = Buffer.alloc(2 + MEMO_MAX_BYTES);
  body[0] = 0x01;
  body[1] = bytes.length;
  bytes.copy(body, 2, 0, MEMO_MAX_BYTES);
  return base58CheckEncode(VERSION.memo, body);
}

function fieldToBytesLE(decimal: string): Buffer {
  let value = BigInt(decimal);
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

function bytesLEToDecimal(bytes: Uint8Array): string {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = value * 256n + BigInt(bytes[i] ?? 0);
  return value.toString();
}

/** A Schnorr signature {field, scalar} as Mina prints it: Base58Check version 0x9a, structure version 0x01, field and scalar little-endian. */
export function encodeSignature(signature: { field: string; scalar: string }): string {
  return base58CheckEncode(VERSION.signature, Buffer.concat([Buffer.from([0x01]), fieldToBytesLE(signature.field), fieldToBytesLE(signature.scalar)]));
}

/** GraphQL's `rawSignature`: hex of field then scalar, 32 bytes each, little-endian (Mina's Signature.Raw). */
export function decodeRawSignature(hex: string): { field: string; scalar: string } | undefined {
  if (!/^[0-9a-fA-F]{128}$/.test(hex)) return undefined;
  const bytes = Buffer.from(hex, "hex");
  return { field: bytesLEToDecimal(bytes.subarray(0, 32)), scalar: bytesLEToDecimal(bytes.subarray(32, 64)) };
}
