import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openMinaKeyFile } from "./key-files.js";
import { parseSecretBox, SecretBoxError, MINA_DEFAULT_DIFFICULTY } from "./secret-box.js";

/** Key files written by others (sources in test-vectors/README.md). Each takes seconds: Mina's 128 MiB argon2i in JavaScript. */
const vectors = join(import.meta.dirname, "..", "test-vectors");
const read = (file: string) => readFileSync(join(vectors, file), "utf8");

describe("secret boxes written by Mina and mina-rs", () => {
  it("opens ChainSafe/mina-rs's test wallet with its password and gives its public key", () => {
    const file = "mina-rs/test-wallet";
    expect(parseSecretBox(read(file), file).difficulty).toEqual(MINA_DEFAULT_DIFFICULTY);
    const keypair = openMinaKeyFile(read(file), read("mina-rs/test-wallet.pswd"), { where: file });
    expect(keypair.publicKey).toBe(read("mina-rs/test-wallet.pub").trim());
    expect(keypair.privateKey).toMatch(/^EK/);
  }, 60_000);

  it("opens Mina's demo block producer key with the empty password and gives the demo public key", () => {
    const file = "mina/demo-block-producer";
    const keypair = openMinaKeyFile(read(file), "", { where: file });
    expect(keypair.publicKey).toBe(read("mina/demo-block-producer.pub").trim());
  }, 60_000);

  it("refuses Mina's demo key with another password, naming the file and MINA_PRIVKEY_PASS", () => {
    const file = "mina/demo-block-producer";
    let error: unknown;
    try {
      openMinaKeyFile(read(file), "naughty blue worm", { where: file });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SecretBoxError);
    expect((error as SecretBoxError).reason).toBe("wrong-password");
    expect((error as Error).message).toBe("mina/demo-block-producer: the password (MINA_PRIVKEY_PASS) does not open the box: the password is incorrect, or the file is corrupted");
  }, 60_000);
});
