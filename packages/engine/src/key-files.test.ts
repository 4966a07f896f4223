import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { libp2pKeyFile, libp2pKeypairOfString, libp2pKeypairToString, minaKeyFile, openLibp2pKeyFile, openMinaKeyFile } from "./key-files.js";
import { libp2pIdentityFrom, minaKeypairFrom, privateKeyBigstring } from "./keys.js";
import { seededRandomBytes } from "./random.js";
import { secretBoxErrorOf } from "./secret-box-error-of.js";
import { openSecretBox, sealSecretBox } from "./secret-box.js";

const random = seededRandomBytes("key-files");
const keypair = minaKeypairFrom(random);
const identity = libp2pIdentityFrom(random);
const signer = new Client({ network: "testnet" });

const errorOf = secretBoxErrorOf;

describe("block producer key files", () => {
  it("encrypt Private_key.to_bigstring: the EK key's Base58Check payload after its version byte 0x5a", () => {
    const { key, pub } = minaKeyFile(keypair, "pw");
    const plaintext = openSecretBox(key, "pw", { where: "bp.key" });
    expect(plaintext.length).toBe(33);
    expect(plaintext[0]).toBe(0x01);
    expect(plaintext).toEqual(privateKeyBigstring(keypair.privateKey));
    expect(pub).toBe(`${keypair.publicKey}\n`);
  });

  it("round-trip to the same keypair, which signs", () => {
    const opened = openMinaKeyFile(minaKeyFile(keypair, "pw").key, "pw", { where: "bp.key" });
    expect(opened).toEqual(keypair);
    expect(signer.verifyKeypair(opened)).toBe(true);
  });

  it("name MINA_PRIVKEY_PASS when the password is wrong", () => {
    const error = errorOf(() => openMinaKeyFile(minaKeyFile(keypair, "pw").key, "", { where: "keys/bp/bp.key" }));
    expect(error.message).toBe("keys/bp/bp.key: the password (MINA_PRIVKEY_PASS) does not open the box: the password is incorrect, or the file is corrupted");
  });

  it("refuse a box that holds something else than a private key", () => {
    const error = errorOf(() => openMinaKeyFile(sealSecretBox(new Uint8Array(32), "pw"), "pw", { where: "bp.key" }));
    expect(error.reason).toBe("malformed");
    expect(error.message).toMatch(/^bp\.key: the decrypted box is not a Mina private key \(Private_key\.to_bigstring\): expected 33 bytes/);
    const notAScalar = new Uint8Array(33).fill(0xff);
    notAScalar[0] = 0x01;
    expect(errorOf(() => openMinaKeyFile(sealSecretBox(notAScalar, "pw"), "pw", { where: "bp.key" })).message).toMatch(/not a Pallas scalar/);
  });
});

describe("libp2p keypair files", () => {
  it("hold Mina_net2.Keypair.to_string: base64 protobuf ed25519 secret (seed ++ public), base64 protobuf public, peer id", () => {
    const text = libp2pKeypairToString(identity);
    const [secret, pub, peerId] = text.split(",");
    expect(secret).toMatch(/^CAESQ/);
    expect(pub).toMatch(/^CAESI/);
    expect(peerId).toBe(identity.peerId);
    const secretBytes = Buffer.from(secret ?? "", "base64");
    expect([...secretBytes.subarray(0, 4)]).toEqual([0x08, 0x01, 0x12, 0x40]);
    expect(secretBytes.subarray(4, 36).toString("base64")).toBe(identity.privateKey);
    expect(secretBytes.subarray(36).toString("base64")).toBe(identity.publicKey);
    expect(
      Buffer.from(pub ?? "", "base64")
        .subarray(4)
        .toString("base64"),
    ).toBe(identity.publicKey);
    expect(libp2pKeypairOfString(text, "f")).toEqual(identity);
    // Mina_net2.Keypair.of_string also takes ';'
    expect(libp2pKeypairOfString(text.replaceAll(",", ";"), "f")).toEqual(identity);
  });

  it("round-trip through a secret box, with the peer id file next to it", () => {
    const { key, peerid } = libp2pKeyFile(identity, "pw");
    expect(peerid).toBe(`${identity.peerId}\n`);
    expect(new TextDecoder().decode(openSecretBox(key, "pw", { where: "x" }))).toBe(libp2pKeypairToString(identity));
    expect(openLibp2pKeyFile(key, "pw", { where: "seed.libp2p" })).toEqual(identity);
    expect(errorOf(() => openLibp2pKeyFile(key, "nope", { where: "seed.libp2p" })).message).toMatch(/^seed\.libp2p: the password \(MINA_LIBP2P_PASS\) does not open the box/);
  });

  it("refuse keypair strings that are not Mina's, naming the part", () => {
    const [secret, pub] = libp2pKeypairToString(identity).split(",");
    const other = libp2pIdentityFrom(random);
    const cases: [string, RegExp][] = [
      ["just one part", /^f: libp2p keypair: \(whole\): expected "<secret base64>,<public base64>,<peer id>"/],
      [`${secret},${pub}`, /\(whole\).*found 2 part/],
      [`!!,${pub},${identity.peerId}`, /: secret: invalid base64$/],
      [`${pub},${pub},${identity.peerId}`, /: secret: expected a libp2p protobuf ed25519 private key/],
      [`${secret},${secret},${identity.peerId}`, /: public: expected a libp2p protobuf ed25519 public key/],
      [`${secret},${libp2pKeypairToString(other).split(",")[1]},${identity.peerId}`, /: public: does not match the secret key$/],
      [`${secret},${pub},${other.peerId}`, /: peer_id: .* is not the peer id of this key/],
    ];
    for (const [text, message] of cases) expect(errorOf(() => libp2pKeypairOfString(text, "f")).message).toMatch(message);
  });
});
