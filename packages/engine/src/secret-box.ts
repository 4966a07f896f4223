import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { argon2i } from "@noble/hashes/argon2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import { z } from "zod";
import { MinaLocalError } from "./errors.js";
import { secureRandomBytes, type RandomBytes } from "./random.js";

/*
 * Mina's "secret box": the encrypted JSON file the daemon reads its keys from
 * (`-block-producer-key`, `-libp2p-keypair`). Facts, each from Mina's sources:
 *
 * - JSON record {box_primitive, pw_primitive, nonce, pwsalt, pwdiff, ciphertext}, written
 *   compact by Yojson, ppx_deriving_yojson's strict reader (no other fields):
 *   MinaProtocol/mina src/lib/secrets/secret_box.ml, secret_file.ml.
 * - nonce, pwsalt, ciphertext: Base58Check with the version byte secret_box_byteswr = 0x02
 *   (src/lib/base58_check/version_bytes.ml); checksum = first 4 bytes of sha256(sha256(version ++ payload)).
 * - pwdiff = (mem_limit bytes, ops_limit) of libsodium's crypto_pwhash_argon2i (alg argon2i13),
 *   whose derived key is the 32-byte crypto_secretbox_xsalsa20poly1305 key; salt 16 bytes,
 *   nonce 24 bytes (ocaml-sodium's Password_hash / Secret_box bindings). Mina writes
 *   Password_hash.moderate = [134217728, 6] and reads whatever the file says.
 * - libsodium runs argon2i v1.3 with parallelism 1, memory = mem_limit / 1024 KiB,
 *   iterations = ops_limit (as ChainSafe/mina-rs secrets/src/secret_box/types_impls.rs does).
 * - ciphertext = crypto_secretbox: the 16-byte Poly1305 tag, then the encrypted plaintext.
 */

export const SECRET_BOX_PRIMITIVE = "xsalsa20poly1305";
export const PASSWORD_HASH_PRIMITIVE = "argon2i";
/** Base58_check.Version_bytes.secret_box_byteswr */
export const SECRET_BOX_VERSION_BYTE = 0x02;

const NONCE_BYTES = 24;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const TAG_BYTES = 16;

/** libsodium's crypto_pwhash_argon2i bounds (crypto_pwhash_argon2i.h): it refuses anything below them. */
export const ARGON2I_OPSLIMIT_MIN = 3;
export const ARGON2I_MEMLIMIT_MIN = 8192;
const ARGON2I_OPSLIMIT_MAX = 4294967295;
/** What this reader is willing to allocate for a file's argon2i memory (noble's default budget). */
const MEMLIMIT_READ_MAX = 1024 * 1024 * 1024;

export interface PasswordDifficulty {
  memLimitBytes: number;
  opsLimit: number;
}

/** libsodium's argon2i "moderate", which Mina writes (Password_hash.moderate): 128 MiB, 6 passes. */
export const MINA_DEFAULT_DIFFICULTY: PasswordDifficulty = { memLimitBytes: 134_217_728, opsLimit: 6 };

/**
 * What mina-local writes: libsodium's argon2i minimum (8 KiB, 3 passes). The keys are throw-away
 * test keys whose box sits next to its password (the compose file), and every node start decrypts
 * them (Mina's moderate difficulty costs 128 MiB and ~0.5 s natively, seconds in JavaScript); Mina
 * reads the difficulty from the file's pwdiff, so this is a valid box for it.
 */
export const TEST_KEY_DIFFICULTY: PasswordDifficulty = { memLimitBytes: ARGON2I_MEMLIMIT_MIN, opsLimit: ARGON2I_OPSLIMIT_MIN };

/** The file's JSON, as Mina writes it. */
export interface SecretBoxJson {
  box_primitive: string;
  pw_primitive: string;
  nonce: string;
  pwsalt: string;
  pwdiff: [number, number];
  ciphertext: string;
}

/** A parsed secret box, its Base58Check fields decoded. */
export interface SecretBox {
  nonce: Uint8Array;
  pwsalt: Uint8Array;
  difficulty: PasswordDifficulty;
  ciphertext: Uint8Array;
}

export type SecretBoxFailure = "malformed" | "wrong-password";

/** A secret box that cannot be read; `where` is the file, the message names the field. */
export class SecretBoxError extends MinaLocalError {
  readonly reason: SecretBoxFailure;

  constructor(reason: SecretBoxFailure, message: string, where: string, hint?: string) {
    super("invalid-config", message, { where, ...(hint !== undefined && { hint }) });
    this.name = "SecretBoxError";
    this.reason = reason;
  }
}

const base58check = createBase58check(sha256);

function encodeField(bytes: Uint8Array): string {
  const payload = new Uint8Array(bytes.length + 1);
  payload[0] = SECRET_BOX_VERSION_BYTE;
  payload.set(bytes, 1);
  return base58check.encode(payload);
}

const Pwdiff = z.custom<[number, number]>((value) => Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0), {
  error: "expected [mem_limit_bytes, ops_limit]",
});

const SecretBoxJsonSchema = z.strictObject({
  box_primitive: z.string({ error: "expected a string" }),
  pw_primitive: z.string({ error: "expected a string" }),
  nonce: z.string({ error: "expected a Base58Check string" }),
  pwsalt: z.string({ error: "expected a Base58Check string" }),
  pwdiff: Pwdiff,
  ciphertext: z.string({ error: "expected a Base58Check string" }),
});

function malformed(where: string, message: string): SecretBoxError {
  return new SecretBoxError("malformed", message, where, "this is not a Mina secret box file (see packages/engine/src/secret-box.ts)");
}

function decodeField(where: string, field: string, text: string, length?: { exactly?: number; atLeast?: number }): Uint8Array {
  let payload: Uint8Array;
  try {
    payload = base58check.decode(text);
  } catch (error) {
    throw malformed(where, `${field}: bad Base58Check (${(error as Error).message})`);
  }
  if (payload[0] !== SECRET_BOX_VERSION_BYTE) {
    throw malformed(where, `${field}: Base58Check version byte 0x${(payload[0] ?? 0).toString(16).padStart(2, "0")}, expected 0x02 (secret box)`);
  }
  const bytes = payload.subarray(1);
  if (length?.exactly !== undefined && bytes.length !== length.exactly) throw malformed(where, `${field}: ${bytes.length} bytes, expected ${length.exactly}`);
  if (length?.atLeast !== undefined && bytes.length < length.atLeast) throw malformed(where, `${field}: ${bytes.length} bytes, expected at least ${length.atLeast}`);
  return bytes;
}

function checkDifficulty(where: string, { memLimitBytes, opsLimit }: PasswordDifficulty, maxMem: number): void {
  if (memLimitBytes < ARGON2I_MEMLIMIT_MIN) throw malformed(where, `pwdiff: mem_limit_bytes ${memLimitBytes} is below libsodium's argon2i minimum (${ARGON2I_MEMLIMIT_MIN})`);
  if (memLimitBytes > maxMem) throw malformed(where, `pwdiff: mem_limit_bytes ${memLimitBytes} is above the ${maxMem} bytes this reader allocates`);
  if (opsLimit < ARGON2I_OPSLIMIT_MIN) throw malformed(where, `pwdiff: ops_limit ${opsLimit} is below libsodium's argon2i minimum (${ARGON2I_OPSLIMIT_MIN})`);
  if (opsLimit > ARGON2I_OPSLIMIT_MAX) throw malformed(where, `pwdiff: ops_limit ${opsLimit} is above libsodium's argon2i maximum (${ARGON2I_OPSLIMIT_MAX})`);
}

/** Parses a secret box file's text; every error names `where` (the file) and the field. */
export function parseSecretBox(text: string, where: string): SecretBox {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw malformed(where, `not JSON (${(error as Error).message})`);
  }
  const parsed = SecretBoxJsonSchema.safeParse(json);
  if (!parsed.success) {
    // a JSON of something else: say so by its fields before listing the ones it lacks
    const issue = parsed.error.issues.find((i) => i.code === "unrecognized_keys") ?? parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    const message = issue?.code === "unrecognized_keys" ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}` : (issue?.message ?? "invalid");
    throw malformed(where, path ? `${path}: ${message}` : `${message} (expected {box_primitive, pw_primitive, nonce, pwsalt, pwdiff, ciphertext})`);
  }
  const box = parsed.data;
  if (box.box_primitive !== SECRET_BOX_PRIMITIVE) throw malformed(where, `box_primitive: don't know how to handle a ${box.box_primitive} secret_box (expected ${SECRET_BOX_PRIMITIVE})`);
  if (box.pw_primitive !== PASSWORD_HASH_PRIMITIVE) throw malformed(where, `pw_primitive: don't know how to handle a ${box.pw_primitive} password_hash (expected ${PASSWORD_HASH_PRIMITIVE})`);
  const difficulty = { memLimitBytes: box.pwdiff[0], opsLimit: box.pwdiff[1] };
  checkDifficulty(where, difficulty, MEMLIMIT_READ_MAX);
  return {
    nonce: decodeField(where, "nonce", box.nonce, { exactly: NONCE_BYTES }),
    pwsalt: decodeField(where, "pwsalt", box.pwsalt, { exactly: SALT_BYTES }),
    difficulty,
    ciphertext: decodeField(where, "ciphertext", box.ciphertext, { atLeast: TAG_BYTES }),
  };
}

function deriveKey(password: string, salt: Uint8Array, { memLimitBytes, opsLimit }: PasswordDifficulty): Uint8Array {
  return argon2i(new TextEncoder().encode(password), salt, {
    t: opsLimit,
    m: Math.floor(memLimitBytes / 1024),
    p: 1,
    version: 0x13,
    dkLen: KEY_BYTES,
    maxmem: MEMLIMIT_READ_MAX + 1024 * 1024,
  });
}

export interface SealOptions {
  /** default TEST_KEY_DIFFICULTY */
  difficulty?: PasswordDifficulty;
  /** nonce and salt; default: crypto randomness */
  random?: RandomBytes;
}

/** Encrypts `plaintext` into the JSON text of a Mina secret box (compact, as Mina writes it, no newline). */
export function sealSecretBox(plaintext: Uint8Array, password: string, options: SealOptions = {}): string {
  const difficulty = options.difficulty ?? TEST_KEY_DIFFICULTY;
  checkDifficulty("sealSecretBox", difficulty, MEMLIMIT_READ_MAX);
  const random = options.random ?? secureRandomBytes;
  const nonce = random(NONCE_BYTES);
  const pwsalt = random(SALT_BYTES);
  const ciphertext = xsalsa20poly1305(deriveKey(password, pwsalt, difficulty), nonce).encrypt(plaintext);
  const json: SecretBoxJson = {
    box_primitive: SECRET_BOX_PRIMITIVE,
    pw_primitive: PASSWORD_HASH_PRIMITIVE,
    nonce: encodeField(nonce),
    pwsalt: encodeField(pwsalt),
    pwdiff: [difficulty.memLimitBytes, difficulty.opsLimit],
    ciphertext: encodeField(ciphertext),
  };
  return JSON.stringify(json);
}

export interface OpenOptions {
  /** the file, for errors */
  where: string;
  /** where the password came from, for errors ("MINA_PRIVKEY_PASS") */
  passwordSource?: string;
}

/** Decrypts a secret box file's text. A wrong password (or a tampered box) is a SecretBoxError "wrong-password". */
export function openSecretBox(text: string, password: string, options: OpenOptions): Uint8Array {
  const box = parseSecretBox(text, options.where);
  const key = deriveKey(password, box.pwsalt, box.difficulty);
  try {
    return xsalsa20poly1305(key, box.nonce).decrypt(box.ciphertext);
  } catch {
    const source = options.passwordSource ? `the password (${options.passwordSource})` : "the password";
    throw new SecretBoxError(
      "wrong-password",
      `${source} does not open the box: the password is incorrect, or the file is corrupted`,
      options.where,
      options.passwordSource ? `set ${options.passwordSource} to the password the file was written with` : undefined,
    );
  }
}
