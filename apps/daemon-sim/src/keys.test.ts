import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { libp2pIdentityFrom, libp2pKeyFile, libp2pKeypairToString, minaKeyFile, minaKeypairFrom, seededRandomBytes } from "@mina-local/engine";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadLibp2pKeypair, loadMinaKeyFile } from "./keys.js";
import { createSimNetwork, startNode, type SimNetwork } from "./testing/sim-network.js";

const random = seededRandomBytes("sim-keys");
const keypair = minaKeypairFrom(random);
const identity = libp2pIdentityFrom(random);
const PASSWORD = "run password";
const ENVS = ["MINA_PRIVKEY_PASS", "MINA_LIBP2P_PASS", "CODA_LIBP2P_PASS"] as const;

const dir = mkdtempSync(join(tmpdir(), "daemon-sim-keys-"));
const keysDir = join(dir, "keys");
mkdirSync(keysDir, { mode: 0o700 });
chmodSync(keysDir, 0o700);
function keyFile(name: string, content: string, mode = 0o600): string {
  const path = join(keysDir, name);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}
const bpKey = keyFile("bp.key", minaKeyFile(keypair, PASSWORD).key);
const libp2p = keyFile("bp.libp2p", libp2pKeyFile(identity, PASSWORD).key);

const saved = Object.fromEntries(ENVS.map((name) => [name, process.env[name]]));
beforeEach(() => {
  for (const name of ENVS) delete process.env[name];
});
afterEach(() => {
  for (const name of ENVS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("-block-producer-key, read as Mina reads it", () => {
  it("opens the secret box with MINA_PRIVKEY_PASS", async () => {
    process.env.MINA_PRIVKEY_PASS = PASSWORD;
    expect(await loadMinaKeyFile(bpKey)).toEqual({ ok: true, value: { ...keypair, password: PASSWORD } });
  });

  it("refuses a wrong password with Mina's message, naming the file and the variable", async () => {
    process.env.MINA_PRIVKEY_PASS = "wrong";
    expect(await loadMinaKeyFile(bpKey)).toEqual({
      ok: false,
      error: `encountered a configuration error loading block producer keypair: The password was incorrect, or the key is corrupted (${bpKey}: the password (MINA_PRIVKEY_PASS) does not open the box: the password is incorrect, or the file is corrupted)`,
    });
  });

  it("refuses to start without MINA_PRIVKEY_PASS, as the daemon (which never prompts) does", async () => {
    expect(await loadMinaKeyFile(bpKey)).toEqual({
      ok: false,
      error: "encountered a configuration error loading block producer keypair: No password was specified in environment variable MINA_PRIVKEY_PASS",
    });
  });

  it("refuses a file that is not a secret box, e.g. a plain base58 key", async () => {
    process.env.MINA_PRIVKEY_PASS = PASSWORD;
    const plain = keyFile("plain.key", `${keypair.privateKey}\n`);
    const result = await loadMinaKeyFile(plain);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(new RegExp(`^encountered a configuration error loading block producer keypair: The key was corrupted: couldn't parse ${plain}: not JSON`));
    const box = JSON.parse(minaKeyFile(keypair, PASSWORD).key) as Record<string, unknown>;
    const badDiff = keyFile("bad-diff.key", JSON.stringify({ ...box, pwdiff: [8192] }));
    expect(await loadMinaKeyFile(badDiff)).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`couldn't parse ${badDiff}: pwdiff: expected \\[mem_limit_bytes, ops_limit\\]$`)) });
  });

  it("refuses a key file readable by others, or in a directory that is not 0700, as Secret_file.read does", async () => {
    process.env.MINA_PRIVKEY_PASS = PASSWORD;
    const loose = keyFile("loose.key", minaKeyFile(keypair, PASSWORD).key, 0o644);
    expect(await loadMinaKeyFile(loose)).toMatchObject({
      ok: false,
      error: expect.stringContaining(`The key was corrupted: insecure permissions on \`${loose}\`. They should be 0600, they are 644\nHint: chmod 600 ${loose}`),
    });
    const openDir = join(dir, "open");
    mkdirSync(openDir, { mode: 0o755 });
    chmodSync(openDir, 0o755);
    const inOpenDir = join(openDir, "bp.key");
    writeFileSync(inOpenDir, minaKeyFile(keypair, PASSWORD).key, { mode: 0o600 });
    expect(await loadMinaKeyFile(inOpenDir)).toMatchObject({ ok: false, error: expect.stringContaining(`insecure permissions on \`${openDir}\`. They should be 0700, they are 755`) });
  });

  it("says so when the file is missing", async () => {
    process.env.MINA_PRIVKEY_PASS = PASSWORD;
    expect(await loadMinaKeyFile(join(keysDir, "none.key"))).toMatchObject({ ok: false, error: expect.stringContaining(`Cannot open file: ${join(keysDir, "none.key")}`) });
  });
});

describe("-libp2p-keypair, read as Mina reads it", () => {
  it("opens the secret box with MINA_LIBP2P_PASS, or the deprecated CODA_LIBP2P_PASS", async () => {
    process.env.MINA_LIBP2P_PASS = PASSWORD;
    expect(await loadLibp2pKeypair(libp2p)).toEqual({ ok: true, value: { peerId: identity.peerId } });
    delete process.env.MINA_LIBP2P_PASS;
    process.env.CODA_LIBP2P_PASS = PASSWORD;
    expect(await loadLibp2pKeypair(libp2p)).toEqual({ ok: true, value: { peerId: identity.peerId } });
  });

  it("takes the keypair string itself as the flag's value (Mina's old inline form)", async () => {
    expect(await loadLibp2pKeypair(libp2pKeypairToString(identity))).toEqual({ ok: true, value: { peerId: identity.peerId } });
  });

  it("refuses a wrong password or none, naming the variables", async () => {
    process.env.MINA_LIBP2P_PASS = "wrong";
    expect(await loadLibp2pKeypair(libp2p)).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^encountered a configuration error loading libp2p keypair: The password was incorrect, or the key is corrupted \(.*the password \(MINA_LIBP2P_PASS\) does not open the box/,
      ),
    });
    delete process.env.MINA_LIBP2P_PASS;
    expect(await loadLibp2pKeypair(libp2p)).toEqual({
      ok: false,
      error: "encountered a configuration error loading libp2p keypair: No password was specified in any of the following environment variables: MINA_LIBP2P_PASS, CODA_LIBP2P_PASS",
    });
  });

  it("refuses our old JSON format", async () => {
    process.env.MINA_LIBP2P_PASS = PASSWORD;
    const json = keyFile("old.libp2p", JSON.stringify(identity));
    expect(await loadLibp2pKeypair(json)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/The key was corrupted: couldn.t parse .*old\.libp2p: unknown field "peerId", "privateKey", "publicKey" \(expected \{box_primitive/),
    });
  });
});

describe("a simulator process with the wrong MINA_PRIVKEY_PASS", () => {
  let network: SimNetwork | undefined;
  afterAll(async () => network?.cleanup());

  it("logs a Fatal line naming the key file and exits 1", async () => {
    network = await createSimNetwork({ genesis_ledger: [{ account_name: "a", balance: "1000" }], block_producers: [{ node_name: "bp-a", account_name: "a" }] });
    const node = await startNode(network, "bp-a", [], { MINA_PRIVKEY_PASS: "not the run's" });
    expect(await node.exit).toBe(1);
    const fatal = node.lines.filter((line) => line.level === "Fatal");
    expect(fatal).toHaveLength(1);
    expect(String(fatal[0]?.metadata.error)).toMatch(
      /^encountered a configuration error loading block producer keypair: The password was incorrect, or the key is corrupted \(.*bp-a\.key: the password \(MINA_PRIVKEY_PASS\) does not open the box/,
    );
  }, 60_000);
});
