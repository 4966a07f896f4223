import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import bs58 from "bs58";
import Client from "mina-signer";
import type { RandomBytes } from "./random.js";

export interface Keypair {
  /** base58 "B62..." */
  publicKey: string;
  /** base58 "EK..." */
  privateKey: string;
}

/** A libp2p ed25519 identity as Mina's daemon uses it (-libp2p-keypair). */
export interface Libp2pIdentity {
  /** base58btc peer id, "12D3KooW..." */
  peerId: string;
  /** base64 of the 32-byte ed25519 seed */
  privateKey: string;
  /** base64 of the 32-byte ed25519 public key */
  publicKey: string;
}

const signer = new Client({ network: "testnet" });

function base58Check(payload: Buffer): string {
  const checksum = createHash("sha256").update(createHash("sha256").update(payload).digest()).digest().subarray(0, 4);
  return bs58.encode(Buffer.concat([payload, checksum]));
}

/** Mina's private-key encoding: version 0x5a, then 0x01, then the scalar little-endian. */
const PRIVATE_KEY_PREFIX = Buffer.from([0x5a, 0x01]);

const PRIVATE_KEY_VERSION_BYTE = 0x5a;

/**
 * Mina's Private_key.to_bigstring (bin_prot of Private_key.Stable.V1: 0x01, then the 32-byte
 * little-endian scalar): the bytes a key file's secret box holds. They are the payload of the
 * base58 "EK..." form after its version byte 0x5a, since Private_key.to_base58_check encodes
 * to_bigstring (MinaProtocol/mina src/lib/signature_lib/private_key.ml).
 */
export function privateKeyBigstring(privateKey: string): Uint8Array {
  let decoded: Buffer;
  try {
    decoded = Buffer.from(bs58.decode(privateKey));
  } catch {
    throw new Error("not base58");
  }
  const payload = decoded.subarray(0, decoded.length - 4);
  if (decoded.length < 5 || base58Check(payload) !== privateKey) throw new Error("bad Base58Check checksum");
  if (payload[0] !== PRIVATE_KEY_VERSION_BYTE) throw new Error(`version byte 0x${(payload[0] ?? 0).toString(16)}, expected 0x5a (private key)`);
  return new Uint8Array(payload.subarray(1));
}

/** The base58 "EK..." private key of Private_key.to_bigstring bytes (checked: 0x01 + 32 bytes, a scalar mina-signer accepts). */
export function privateKeyOfBigstring(bytes: Uint8Array): Keypair {
  if (bytes.length !== 33 || bytes[0] !== 0x01) throw new Error(`expected 33 bytes (0x01 and a 32-byte scalar), got ${bytes.length} bytes starting 0x${(bytes[0] ?? 0).toString(16).padStart(2, "0")}`);
  const privateKey = base58Check(Buffer.concat([Buffer.from([PRIVATE_KEY_VERSION_BYTE]), bytes]));
  let publicKey: string;
  try {
    publicKey = signer.derivePublicKey(privateKey);
  } catch (error) {
    throw new Error(`not a Pallas scalar: ${(error as Error).message}`, { cause: error });
  }
  return { privateKey, publicKey };
}

/**
 * A real Mina keypair from 32 random bytes: the top bits are cleared so the scalar is
 * below the Pallas scalar field's modulus (> 2^254), then mina-signer derives the public key.
 */
export function minaKeypairFrom(random: RandomBytes): Keypair {
  const scalar = Buffer.from(random(32));
  scalar[31] = (scalar[31] ?? 0) & 0x3f;
  const privateKey = base58Check(Buffer.concat([PRIVATE_KEY_PREFIX, scalar]));
  return { privateKey, publicKey: signer.derivePublicKey(privateKey) };
}

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
/** identity multihash (0x00, length 36) of the protobuf PublicKey { Type: Ed25519, Data: 32 bytes } */
const PEER_ID_PREFIX = Buffer.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]);

/** The 32-byte ed25519 public key of a 32-byte seed. */
export function ed25519PublicKeyOf(seed: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** libp2p's peer id of an ed25519 public key: base58btc of the identity multihash of its protobuf form. */
export function libp2pPeerIdOf(publicKey: Uint8Array): string {
  return bs58.encode(Buffer.concat([PEER_ID_PREFIX, publicKey]));
}

export function libp2pIdentityFromSeed(seed: Uint8Array): Libp2pIdentity {
  const publicKey = ed25519PublicKeyOf(seed);
  return { peerId: libp2pPeerIdOf(publicKey), privateKey: Buffer.from(seed).toString("base64"), publicKey: Buffer.from(publicKey).toString("base64") };
}

export function libp2pIdentityFrom(random: RandomBytes): Libp2pIdentity {
  return libp2pIdentityFromSeed(random(32));
}
