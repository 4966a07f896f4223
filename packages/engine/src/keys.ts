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

export function libp2pIdentityFrom(random: RandomBytes): Libp2pIdentity {
  const seed = Buffer.from(random(32));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const publicKey = spki.subarray(spki.length - 32);
  return {
    peerId: bs58.encode(Buffer.concat([PEER_ID_PREFIX, publicKey])),
    privateKey: seed.toString("base64"),
    publicKey: publicKey.toString("base64"),
  };
}
