import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ContainerPreparation, libp2pKeypairOf, privateKeyFiles } from "./prepare.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in `mina` that records its arguments and does what the two subcommands do to files. */
function fakeMina(dir: string): string {
  const script = path.join(dir, "mina");
  fs.writeFileSync(
    script,
    `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1 $2" in
  "libp2p generate-keypair") touch "$4"; echo "libp2p keypair:"; exit 0 ;;
  "accounts import")
    case "$6" in *bad.key) echo "Error: the password (MINA_PRIVKEY_PASS) does not open $6" >&2; exit 1 ;; esac
    mkdir -p "$4/wallets/store"; touch "$4/wallets/store/$(basename "$6")"; echo "Imported account!"; exit 0 ;;
esac
exit 2
`,
    { mode: 0o755 },
  );
  return script;
}

function setup(keys: string[], options: { libp2pMounted?: boolean; lock?: boolean; keysMode?: number } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prepare-"));
  dirs.push(dir);
  const keysDir = path.join(dir, "keys");
  const stateDir = path.join(dir, "state");
  const coda = path.join(dir, "coda");
  fs.mkdirSync(keysDir, { mode: options.keysMode ?? 0o755 });
  fs.chmodSync(keysDir, options.keysMode ?? 0o755);
  fs.mkdirSync(stateDir);
  fs.mkdirSync(coda);
  fs.writeFileSync(path.join(coda, "config_0123abcd.json"), "{}");
  fs.writeFileSync(path.join(coda, "genesis_ledger.tar.gz"), "");
  if (options.lock) fs.writeFileSync(path.join(stateDir, ".mina-lock"), "123");
  for (const key of keys) fs.writeFileSync(path.join(keysDir, key), "{}", { mode: 0o600 });
  const libp2p = path.join(keysDir, "bp.libp2p");
  if (options.libp2pMounted) fs.writeFileSync(libp2p, "{}");
  const lines: Array<{ level: string; message: string; metadata: Record<string, unknown> }> = [];
  const preparation = new ContainerPreparation({
    node: "bp",
    mina: fakeMina(dir),
    daemonArgs: ["daemon", "-seed", "--libp2p-keypair", libp2p, "-config-directory", stateDir],
    keysDir,
    stateDir,
    builtinConfigDir: coda,
    writeLine: (line) => lines.push(JSON.parse(line)),
  });
  const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []);
  return { dir, keysDir, stateDir, coda, libp2p, preparation, lines, calls };
}

describe("Mina's container preparation", () => {
  it("removes the built-in config and a stale lock, generates the missing libp2p keypair, sets the keys dir to 700 and imports every private key", async () => {
    const s = setup(["bp.key", "bp.key.pub", "bp.libp2p.peerid", "extra.key"], { lock: true });
    expect(await s.preparation.run()).toBeUndefined();
    expect(fs.readdirSync(s.coda)).toEqual(["genesis_ledger.tar.gz"]);
    expect(fs.existsSync(path.join(s.stateDir, ".mina-lock"))).toBe(false);
    expect(fs.existsSync(s.libp2p)).toBe(true);
    expect(fs.statSync(s.keysDir).mode & 0o777).toBe(0o700);
    expect(s.calls()).toEqual([
      `libp2p generate-keypair --privkey-path ${s.libp2p}`,
      `accounts import -config-directory ${s.stateDir} -privkey-path ${path.join(s.keysDir, "bp.key")}`,
      `accounts import -config-directory ${s.stateDir} -privkey-path ${path.join(s.keysDir, "extra.key")}`,
    ]);
    expect(fs.readdirSync(path.join(s.stateDir, "wallets", "store")).sort()).toEqual(["bp.key", "extra.key"]);
    // one Mina-shaped line per step, saying what it did
    expect(s.lines.map((l) => [l.level, l.metadata["step"]])).toEqual([
      ["Info", "remove-builtin-config"],
      ["Info", "remove-stale-lock"],
      ["Info", "libp2p-keypair"],
      ["Info", "keys-dir-mode"],
      ["Info", "import-key"],
      ["Info", "import-key"],
    ]);
    expect(s.lines[0]?.metadata["result"]).toBe(`removed the image's built-in runtime config ${path.join(s.coda, "config_0123abcd.json")}`);
    expect(s.lines[3]?.metadata["result"]).toBe(`set ${s.keysDir} to mode 700 (was 755)`);
    expect(s.lines.every((l) => l.message.startsWith("Container preparation: "))).toBe(true);
  });

  it("keeps a mounted libp2p keypair and generates nothing", async () => {
    const s = setup(["bp.key"], { libp2pMounted: true, keysMode: 0o700 });
    expect(await s.preparation.run()).toBeUndefined();
    expect(s.calls().filter((c) => c.startsWith("libp2p"))).toEqual([]);
    expect(s.lines.find((l) => l.metadata["step"] === "libp2p-keypair")?.metadata["result"]).toBe(`${s.libp2p} is mounted`);
    expect(s.lines.find((l) => l.metadata["step"] === "keys-dir-mode")?.metadata["result"]).toBe(`${s.keysDir} is already mode 700`);
  });

  it("stops at a key import that fails, with the command and its own message", async () => {
    const s = setup(["a.key", "bad.key", "c.key"], { libp2pMounted: true });
    const failure = await s.preparation.run();
    const command = [expect.stringMatching(/mina$/), "accounts", "import", "-config-directory", s.stateDir, "-privkey-path", path.join(s.keysDir, "bad.key")];
    expect(failure).toEqual({ step: "import-key", command, message: expect.stringContaining("failed (exit code 1): Error: the password (MINA_PRIVKEY_PASS) does not open") });
    expect(s.calls().some((c) => c.includes("c.key"))).toBe(false);
    const last = s.lines.at(-1);
    expect(last).toMatchObject({ level: "Error", metadata: { step: "import-key", command } });
    expect(String(last?.metadata["error"])).toContain("does not open");
  });

  it("names a missing mina as the step's error", async () => {
    const s = setup(["bp.key"], { libp2pMounted: true });
    const broken = new ContainerPreparation({
      node: "bp",
      mina: "/no/such/mina",
      daemonArgs: ["--libp2p-keypair", s.libp2p],
      keysDir: s.keysDir,
      stateDir: s.stateDir,
      builtinConfigDir: s.coda,
      writeLine: () => undefined,
    });
    const failure = await broken.run();
    expect(failure?.step).toBe("import-key");
    expect(failure?.message).toMatch(/could not run \/no\/such\/mina: spawn \/no\/such\/mina ENOENT/);
  });
});

describe("what the preparation reads", () => {
  it("finds the libp2p keypair in the daemon's flags, in either spelling", () => {
    expect(libp2pKeypairOf(["daemon", "--libp2p-keypair", "/k/a"])).toBe("/k/a");
    expect(libp2pKeypairOf(["daemon", "-libp2p-keypair=/k/b"])).toBe("/k/b");
    expect(libp2pKeypairOf(["internal", "snark-worker"])).toBeUndefined();
  });

  it("imports the private keys only: not the libp2p keypair, nor the .pub / .peerid companions", () => {
    expect(privateKeyFiles(["z.key", "a.key", "a.key.pub", "n.libp2p", "n.libp2p.peerid", "libp2p_key", ".hidden"], "/mina-local/keys/n.libp2p")).toEqual(["a.key", "z.key"]);
    // a snark worker's command names no libp2p keypair, but its keys dir holds one (it failed the import)
    expect(privateKeyFiles(["worker-0.libp2p", "worker-0.libp2p.peerid"], undefined)).toEqual([]);
  });
});
