import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import { describe, expect, it } from "vitest";
import { seededRandomBytes } from "./random.js";
import { secretBoxErrorOf } from "./secret-box-error-of.js";
import { ARGON2I_MEMLIMIT_MIN, ARGON2I_OPSLIMIT_MIN, TEST_KEY_DIFFICULTY, openSecretBox, parseSecretBox, sealSecretBox, type SecretBoxJson } from "./secret-box.js";

const FILE = "keys/bp1/bp1.key";
const plaintext = new TextEncoder().encode("the plaintext");
const sealed = sealSecretBox(plaintext, "pw", { random: seededRandomBytes("box") });
const json = JSON.parse(sealed) as SecretBoxJson;
const b58 = createBase58check(sha256);

const errorOf = secretBoxErrorOf;

const withField = (field: string, value: unknown) => JSON.stringify({ ...json, [field]: value });
const openWith = (text: string, password = "pw") => errorOf(() => openSecretBox(text, password, { where: FILE, passwordSource: "MINA_PRIVKEY_PASS" }));

describe("sealSecretBox / openSecretBox", () => {
  it("round-trips, with a fresh nonce and salt each time", () => {
    expect(openSecretBox(sealed, "pw", { where: FILE })).toEqual(plaintext);
    const again = sealSecretBox(plaintext, "pw");
    expect(openSecretBox(again, "pw", { where: FILE })).toEqual(plaintext);
    expect((JSON.parse(again) as SecretBoxJson).nonce).not.toBe(json.nonce);
    expect(openSecretBox(sealSecretBox(new Uint8Array(0), "", {}), "", { where: FILE })).toEqual(new Uint8Array(0));
  });

  it("writes Mina's JSON: its field order, compact, Base58Check fields with version byte 0x02, libsodium's minimum difficulty", () => {
    expect(Object.keys(json)).toEqual(["box_primitive", "pw_primitive", "nonce", "pwsalt", "pwdiff", "ciphertext"]);
    expect(sealed).toBe(JSON.stringify(json));
    expect(sealed).not.toContain("\n");
    expect(json).toMatchObject({ box_primitive: "xsalsa20poly1305", pw_primitive: "argon2i", pwdiff: [8192, 3] });
    expect(TEST_KEY_DIFFICULTY).toEqual({ memLimitBytes: ARGON2I_MEMLIMIT_MIN, opsLimit: ARGON2I_OPSLIMIT_MIN });
    const nonce = b58.decode(json.nonce);
    expect([nonce[0], nonce.length]).toEqual([0x02, 25]);
    const salt = b58.decode(json.pwsalt);
    expect([salt[0], salt.length]).toEqual([0x02, 17]);
    // the 16-byte Poly1305 tag, then the ciphertext
    expect(b58.decode(json.ciphertext).length).toBe(1 + 16 + plaintext.length);
  });

  it("reads the difficulty from the file", () => {
    const harder = sealSecretBox(plaintext, "pw", { difficulty: { memLimitBytes: 65536, opsLimit: 4 } });
    expect(parseSecretBox(harder, FILE).difficulty).toEqual({ memLimitBytes: 65536, opsLimit: 4 });
    expect(openSecretBox(harder, "pw", { where: FILE })).toEqual(plaintext);
  });

  it("refuses a wrong password, saying which password does not open the box", () => {
    const error = openWith(sealed, "not pw");
    expect(error.reason).toBe("wrong-password");
    expect(error.message).toBe(`${FILE}: the password (MINA_PRIVKEY_PASS) does not open the box: the password is incorrect, or the file is corrupted`);
    expect(error.hint).toMatch(/MINA_PRIVKEY_PASS/);
  });

  it("refuses a tampered ciphertext as a box the password does not open", () => {
    const bytes = b58.decode(json.ciphertext);
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    expect(openWith(withField("ciphertext", b58.encode(bytes))).reason).toBe("wrong-password");
  });
});

describe("malformed secret boxes: the error names the file and the field", () => {
  const cases: [string, string, RegExp][] = [
    ["not JSON", "EKE...", /^keys\/bp1\/bp1\.key: not JSON/],
    ["a JSON array", "[]", /^keys\/bp1\/bp1\.key: expected an object|^keys\/bp1\/bp1\.key: .*expected \{box_primitive/],
    ["pwdiff a number", withField("pwdiff", 8192), /^keys\/bp1\/bp1\.key: pwdiff: expected \[mem_limit_bytes, ops_limit\]$/],
    ["pwdiff of three", withField("pwdiff", [8192, 3, 1]), /: pwdiff: expected \[mem_limit_bytes, ops_limit\]$/],
    ["pwdiff negative", withField("pwdiff", [-1, 3]), /: pwdiff: expected \[mem_limit_bytes, ops_limit\]$/],
    ["pwdiff below libsodium's ops minimum", withField("pwdiff", [8192, 2]), /: pwdiff: ops_limit 2 is below libsodium's argon2i minimum \(3\)$/],
    ["pwdiff below libsodium's memory minimum", withField("pwdiff", [4096, 3]), /: pwdiff: mem_limit_bytes 4096 is below libsodium's argon2i minimum \(8192\)$/],
    ["pwdiff above what we allocate", withField("pwdiff", [2 ** 40, 3]), /: pwdiff: mem_limit_bytes 1099511627776 is above/],
    ["a missing field", JSON.stringify({ ...json, nonce: undefined }), /^keys\/bp1\/bp1\.key: nonce: expected a Base58Check string$/],
    ["a JSON of other fields", JSON.stringify({ peerId: "12D3KooW" }), /^keys\/bp1\/bp1\.key: unknown field "peerId" \(expected \{box_primitive/],
    ["an unknown field", withField("extra", 1), /^keys\/bp1\/bp1\.key: unknown field "extra" \(expected \{box_primitive, pw_primitive, nonce, pwsalt, pwdiff, ciphertext\}\)$/],
    ["another box primitive", withField("box_primitive", "aes256gcm"), /: box_primitive: don't know how to handle a aes256gcm secret_box/],
    ["another password hash", withField("pw_primitive", "scrypt"), /: pw_primitive: don't know how to handle a scrypt password_hash/],
    ["a nonce that is not Base58Check", withField("nonce", "0OIl"), /: nonce: bad Base58Check/],
    ["a nonce with a bad checksum", withField("nonce", `${json.nonce.slice(0, -1)}${json.nonce.endsWith("1") ? "2" : "1"}`), /: nonce: bad Base58Check/],
    ["a nonce of another version byte", withField("nonce", b58.encode(new Uint8Array([0x5a, ...new Uint8Array(24)]))), /: nonce: Base58Check version byte 0x5a, expected 0x02/],
    ["a short nonce", withField("nonce", b58.encode(new Uint8Array([0x02, ...new Uint8Array(12)]))), /: nonce: 12 bytes, expected 24$/],
    ["a short salt", withField("pwsalt", b58.encode(new Uint8Array([0x02, ...new Uint8Array(8)]))), /: pwsalt: 8 bytes, expected 16$/],
    ["a ciphertext shorter than its tag", withField("ciphertext", b58.encode(new Uint8Array([0x02, 1, 2]))), /: ciphertext: 2 bytes, expected at least 16$/],
  ];
  it.each(cases)("%s", (_, text, message) => {
    const error = openWith(text);
    expect(error.reason).toBe("malformed");
    expect(error.where).toBe(FILE);
    expect(error.message).toMatch(message);
  });
});
