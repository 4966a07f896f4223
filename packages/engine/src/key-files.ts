import { privateKeyBigstring, privateKeyOfBigstring, ed25519PublicKeyOf, libp2pPeerIdOf, type Keypair, type Libp2pIdentity } from "./keys.js";
import { SecretBoxError, openSecretBox, sealSecretBox, type SealOptions } from "./secret-box.js";

/*
 * The two key files a Mina daemon reads, as Mina writes and reads them.
 *
 * Block producer key (`-block-producer-key`, password in MINA_PRIVKEY_PASS):
 *   a secret box of Private_key.to_bigstring, and `<file>.pub` next to it holding the base58
 *   public key and a newline (Keypair_read_write.write_exn, src/lib/secrets/keypair_read_write.ml;
 *   the env name in src/lib/secrets/keypair.ml).
 * libp2p keypair (`-libp2p-keypair`, password in MINA_LIBP2P_PASS, formerly CODA_LIBP2P_PASS):
 *   a secret box of Mina_net2.Keypair.to_string = "<secret b64>,<public b64>,<peer id>" where
 *   secret/public are the libp2p protobuf encodings go-libp2p's MarshalPrivateKey and
 *   MarshalPublicKey produce (libp2p_helper's generateKeypair), base64 with padding; of_string
 *   also accepts ';' as the separator. `<file>.peerid` next to it holds the peer id and a
 *   newline (src/lib/secrets/libp2p_keypair.ml, src/lib/mina_net2/keypair.ml).
 * Secret_file.write makes the key file 0600 (its directory 0700); Secret_file.read refuses
 * looser modes (src/lib/secrets/secret_file.ml).
 */

export const MINA_PRIVKEY_PASS = "MINA_PRIVKEY_PASS";
export const MINA_LIBP2P_PASS = "MINA_LIBP2P_PASS";
/** Mina still reads the libp2p password from this deprecated name when MINA_LIBP2P_PASS is unset. */
export const CODA_LIBP2P_PASS = "CODA_LIBP2P_PASS";

/** protobuf PrivateKey { Type: Ed25519 (1), Data: 64 bytes } / PublicKey { Type: Ed25519, Data: 32 bytes } headers */
const PROTOBUF_ED25519_PRIVATE = Buffer.from([0x08, 0x01, 0x12, 0x40]);
const PROTOBUF_ED25519_PUBLIC = Buffer.from([0x08, 0x01, 0x12, 0x20]);

export type KeyFileOptions = SealOptions;

/** The text of a block producer key file (`<node>.key`) and of its `<file>.pub`. */
export function minaKeyFile(keypair: Keypair, password: string, options: KeyFileOptions = {}): { key: string; pub: string } {
  return { key: sealSecretBox(privateKeyBigstring(keypair.privateKey), password, options), pub: `${keypair.publicKey}\n` };
}

/** Decrypts a block producer key file's text into the keypair. `where`: the file; `passwordSource`: default MINA_PRIVKEY_PASS. */
export function openMinaKeyFile(text: string, password: string, options: { where: string; passwordSource?: string }): Keypair {
  const plaintext = openSecretBox(text, password, { where: options.where, passwordSource: options.passwordSource ?? MINA_PRIVKEY_PASS });
  try {
    return privateKeyOfBigstring(plaintext);
  } catch (error) {
    throw new SecretBoxError("malformed", `the decrypted box is not a Mina private key (Private_key.to_bigstring): ${(error as Error).message}`, options.where);
  }
}

/** Mina_net2.Keypair.to_string of an identity. */
export function libp2pKeypairToString(identity: Libp2pIdentity): string {
  const seed = Buffer.from(identity.privateKey, "base64");
  const publicKey = Buffer.from(identity.publicKey, "base64");
  const secret = Buffer.concat([PROTOBUF_ED25519_PRIVATE, seed, publicKey]);
  const pub = Buffer.concat([PROTOBUF_ED25519_PUBLIC, publicKey]);
  return [secret.toString("base64"), pub.toString("base64"), identity.peerId].join(",");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Mina_net2.Keypair.of_string, checked further than Mina does (Mina leaves that to the
 * libp2p helper): ed25519 keys only, the public key and peer id must match the secret.
 */
export function libp2pKeypairOfString(text: string, where: string): Libp2pIdentity {
  const bad = (field: string, message: string) => new SecretBoxError("malformed", `libp2p keypair: ${field}: ${message}`, where);
  const parts = text.split(";").length === 3 ? text.split(";") : text.split(",");
  const [secretB64, publicB64, peerId] = parts;
  if (parts.length !== 3 || secretB64 === undefined || publicB64 === undefined || peerId === undefined) {
    throw bad("(whole)", `expected "<secret base64>,<public base64>,<peer id>" (Mina_net2.Keypair.to_string), found ${parts.length} part(s)`);
  }
  if (!BASE64.test(secretB64)) throw bad("secret", "invalid base64");
  if (!BASE64.test(publicB64)) throw bad("public", "invalid base64");
  const secret = Buffer.from(secretB64, "base64");
  const pub = Buffer.from(publicB64, "base64");
  if (secret.length !== 68 || !secret.subarray(0, 4).equals(PROTOBUF_ED25519_PRIVATE)) {
    throw bad("secret", "expected a libp2p protobuf ed25519 private key (08 01 12 40 and 64 bytes)");
  }
  if (pub.length !== 36 || !pub.subarray(0, 4).equals(PROTOBUF_ED25519_PUBLIC)) {
    throw bad("public", "expected a libp2p protobuf ed25519 public key (08 01 12 20 and 32 bytes)");
  }
  const seed = secret.subarray(4, 36);
  const derived = Buffer.from(ed25519PublicKeyOf(seed));
  if (!derived.equals(secret.subarray(36)) || !derived.equals(pub.subarray(4))) throw bad("public", "does not match the secret key");
  const expectedPeerId = libp2pPeerIdOf(derived);
  if (peerId.trim() !== expectedPeerId) throw bad("peer_id", `${peerId.trim()} is not the peer id of this key (${expectedPeerId})`);
  return { peerId: expectedPeerId, privateKey: seed.toString("base64"), publicKey: derived.toString("base64") };
}

/** The text of a libp2p keypair file and of its `<file>.peerid`. */
export function libp2pKeyFile(identity: Libp2pIdentity, password: string, options: KeyFileOptions = {}): { key: string; peerid: string } {
  return { key: sealSecretBox(new TextEncoder().encode(libp2pKeypairToString(identity)), password, options), peerid: `${identity.peerId}\n` };
}

/** Decrypts a libp2p keypair file's text. `passwordSource`: default MINA_LIBP2P_PASS. */
export function openLibp2pKeyFile(text: string, password: string, options: { where: string; passwordSource?: string }): Libp2pIdentity {
  const plaintext = openSecretBox(text, password, { where: options.where, passwordSource: options.passwordSource ?? MINA_LIBP2P_PASS });
  return libp2pKeypairOfString(new TextDecoder().decode(plaintext), options.where);
}
