import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { minaKeyFile, minaKeypairFrom, seededRandomBytes } from "@mina-local/engine";
import { afterAll, describe, expect, it } from "vitest";
import { loadLibp2pKeypair } from "./keys.js";
import { simulatorBundle } from "./testing/sim-network.js";
import { unlockFromWallet } from "./wallet.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "sim-subcommands-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, MINA_PRIVKEY_PASS: "pw-1", MINA_LIBP2P_PASS: "pw-2", HOME: dir };

async function mina(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [await simulatorBundle(), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("the simulator's mina subcommands (Mina's client.ml, 9f068b1c3b)", () => {
  it("accounts import: writes the key into the wallet store, which unlockAccount then opens; a second import says it is there", async () => {
    const keys = join(dir, "keys");
    mkdirSync(keys, { mode: 0o700 });
    const keypair = minaKeypairFrom(seededRandomBytes("import"));
    writeFileSync(join(keys, "bp.key"), minaKeyFile(keypair, "pw-1").key, { mode: 0o600 });
    const config = join(dir, "config");
    const first = await mina("accounts", "import", "-config-directory", config, "-privkey-path", join(keys, "bp.key"));
    expect(first).toMatchObject({ code: 0, stdout: `\n😄 Imported account!\nPublic key: ${keypair.publicKey}\n` });
    expect(readdirSync(join(config, "wallets", "store")).sort()).toEqual([keypair.publicKey, `${keypair.publicKey}.pub`]);
    expect(statSync(join(config, "wallets", "store", keypair.publicKey)).mode & 0o777).toBe(0o600);
    const again = await mina("accounts", "import", "-config-directory", config, "-privkey-path", join(keys, "bp.key"));
    expect(again.stdout).toBe(`Key already present, no need to import : ${keypair.publicKey}\n`);
    expect(await unlockFromWallet(config, keypair.publicKey, "pw-1")).toMatchObject({ ok: true, value: { publicKey: keypair.publicKey, privateKey: keypair.privateKey } });
    expect(await unlockFromWallet(config, keypair.publicKey, "other")).toEqual({ ok: false, error: "Wrong password provided" });
  });

  it("accounts import: fails with Mina's message on a key the password does not open, and on a missing -privkey-path", async () => {
    const keys = join(dir, "keys-bad");
    mkdirSync(keys, { mode: 0o700 });
    writeFileSync(join(keys, "bp.key"), minaKeyFile(minaKeypairFrom(seededRandomBytes("bad")), "another password").key, { mode: 0o600 });
    const wrong = await mina("accounts", "import", "-config-directory", join(dir, "c2"), "-privkey-path", join(keys, "bp.key"));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("The password was incorrect, or the key is corrupted");
    const missing = await mina("accounts", "import", "-config-directory", join(dir, "c2"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing required flag -privkey-path");
  });

  it("libp2p generate-keypair: writes a box under MINA_LIBP2P_PASS (and .peerid) that the daemon reads as its -libp2p-keypair", async () => {
    const path = join(dir, "gen", "libp2p");
    const generated = await mina("libp2p", "generate-keypair", "--privkey-path", path);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/^libp2p keypair:\n[^,\n]+,[^,\n]+,12D3KooW\S+\n$/);
    process.env["MINA_LIBP2P_PASS"] = "pw-2";
    const loaded = await loadLibp2pKeypair(path);
    delete process.env["MINA_LIBP2P_PASS"];
    expect(loaded).toEqual({ ok: true, value: { peerId: readFileSync(`${path}.peerid`, "utf8").trim() } });
    expect(generated.stdout.trim().endsWith(readFileSync(`${path}.peerid`, "utf8").trim())).toBe(true);
  });

  it("advanced compile-time-constants: Mina's JSON keys, the simulator's profile (proof level none)", async () => {
    const out = await mina("advanced", "compile-time-constants");
    expect(out.code).toBe(0);
    const constants = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(Object.keys(constants).sort()).toEqual(
      ["block_window_duration_ms", "coinbase", "delta", "genesis_state_timestamp", "k", "proof_level", "slots_per_epoch", "slots_per_sub_window", "slots_per_window", "sub_windows_per_window"].sort(),
    );
    expect(constants).toMatchObject({ k: 20, slots_per_epoch: 480, block_window_duration_ms: 120_000, proof_level: "none", slots_per_window: 22 });
  });
});
