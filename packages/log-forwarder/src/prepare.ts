import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { FORWARDER_MODULE, minaTimestamp } from "./mina-line.js";

/**
 * Mina's container preparation, before the daemon's first start: what the entrypoint
 * script of Mina's local engine does (Base_node_config.entrypoint_script in
 * src/lib/testing/integration_test_local_engine/docker_node_config.ml, MinaProtocol/mina
 * 331fcde0cd), plus the stale `.mina-lock` removal of the image's own entrypoint
 * (dockerfiles/scripts/daemon-entrypoint.sh). Every step logs what it did; the first
 * step that fails stops the preparation with the command's own output.
 */

/** Where Mina's daemon images keep their built-in runtime config (`config_<commit>.json`). */
export const BUILTIN_CONFIG_DIR = "/var/lib/coda";

export interface PrepareOptions {
  node: string;
  /** the `mina` the daemon runs (the forwarder's command after `--`) */
  mina: string;
  daemonArgs: readonly string[];
  /** the directory of the node's key files (bind-mounted) */
  keysDir: string;
  /** the daemon's -config-directory */
  stateDir: string;
  builtinConfigDir?: string;
  /** each command's time limit; default 120 s (an import decrypts a secret box) */
  commandTimeoutMs?: number;
  /** one of the forwarder's own lines (Mina's JSON shape) */
  writeLine: (line: string) => void;
}

export interface PreparationFailure {
  step: string;
  /** the command that failed, when a command did */
  command?: string[];
  message: string;
}

type StepResult = { ok: true; did: string } | { ok: false; failure: PreparationFailure };

function preparationLine(node: string, step: string, message: string, metadata: Record<string, unknown>, level: "Info" | "Error"): string {
  return JSON.stringify({
    timestamp: minaTimestamp(new Date()),
    level,
    source: { module: FORWARDER_MODULE, location: "container-preparation" },
    message: `Container preparation: ${message}`,
    metadata: { node, step, ...metadata },
    event_id: null,
  });
}

/** The daemon's libp2p keypair file from its own flags (`-libp2p-keypair` / `--libp2p-keypair`). */
export function libp2pKeypairOf(daemonArgs: readonly string[]): string | undefined {
  for (let i = 0; i < daemonArgs.length; i++) {
    const match = /^--?libp2p-keypair(?:=(.*))?$/.exec(daemonArgs[i] ?? "");
    if (match) return match[1] ?? daemonArgs[i + 1];
  }
  return undefined;
}

/**
 * The key files Mina imports: every file of the keys directory but the libp2p keypair (and the
 * `.pub` / `.peerid` companions we write). A libp2p keypair is known by the daemon's own flag, and
 * by mina-local's name for it (`<node>.libp2p`), since a snark worker mounts one without naming it.
 */
export function privateKeyFiles(entries: readonly string[], libp2pKeypair: string | undefined): string[] {
  const libp2p = libp2pKeypair === undefined ? undefined : path.basename(libp2pKeypair);
  return entries.filter((name) => !name.endsWith(".pub") && !name.endsWith(".peerid") && !name.startsWith(".") && name !== libp2p && name !== "libp2p_key" && !name.endsWith(".libp2p")).sort();
}

const MAX_OUTPUT = 4000;

/** Runs one command with a time limit; resolves with its exit and its (bounded) output. */
export function runCommand(argv: readonly string[], timeoutMs: number): Promise<{ ok: boolean; output: string; reason: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-MAX_OUTPUT);
    };
    let child;
    try {
      child = spawn(command ?? "", args, { stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      resolve({ ok: false, output: "", reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    let spawnError: Error | undefined;
    child.on("error", (error) => (spawnError = error));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const text = output.trim();
      if (spawnError) resolve({ ok: false, output: text, reason: `could not run ${command}: ${spawnError.message}` });
      else if (signal === "SIGKILL" && code === null) resolve({ ok: false, output: text, reason: `no answer within ${timeoutMs} ms (killed)` });
      else if (code !== 0) resolve({ ok: false, output: text, reason: signal ? `killed by ${signal}` : `exit code ${code}` });
      else resolve({ ok: true, output: text, reason: "exit code 0" });
    });
  });
}

async function commandStep(step: string, argv: string[], timeoutMs: number): Promise<StepResult> {
  const result = await runCommand(argv, timeoutMs);
  if (result.ok) return { ok: true, did: `ran \`${argv.join(" ")}\`` };
  return {
    ok: false,
    failure: { step, command: argv, message: `\`${argv.join(" ")}\` failed (${result.reason})${result.output ? `: ${result.output}` : ""}` },
  };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function removeBuiltinConfig(dir: string): Promise<StepResult> {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return { ok: true, did: `no ${dir} in this image: nothing to remove` };
  }
  const configs = entries.filter((name) => /^config_.*\.json$/.test(name));
  try {
    for (const name of configs) fs.rmSync(path.join(dir, name), { force: true });
  } catch (error) {
    return { ok: false, failure: { step: "remove-builtin-config", message: `removing the image's built-in runtime config in ${dir} failed: ${errorText(error)}` } };
  }
  return { ok: true, did: configs.length > 0 ? `removed the image's built-in runtime config ${configs.map((c) => path.join(dir, c)).join(", ")}` : `no built-in runtime config in ${dir}` };
}

function removeStaleLock(stateDir: string): StepResult {
  const lock = path.join(stateDir, ".mina-lock");
  if (!fs.existsSync(lock)) return { ok: true, did: `no stale ${lock}` };
  try {
    fs.rmSync(lock, { force: true });
    return { ok: true, did: `removed the stale ${lock}` };
  } catch (error) {
    return { ok: false, failure: { step: "remove-stale-lock", message: `removing ${lock} failed: ${errorText(error)}` } };
  }
}

function keysDirMode(keysDir: string): StepResult {
  try {
    const mode = fs.statSync(keysDir).mode & 0o777;
    if (mode === 0o700) return { ok: true, did: `${keysDir} is already mode 700` };
    fs.chmodSync(keysDir, 0o700);
    return { ok: true, did: `set ${keysDir} to mode 700 (was ${mode.toString(8)})` };
  } catch (error) {
    return { ok: false, failure: { step: "keys-dir-mode", message: `setting ${keysDir} to mode 700 failed: ${errorText(error)}` } };
  }
}

export class ContainerPreparation {
  constructor(private readonly options: PrepareOptions) {}

  private get timeoutMs(): number {
    return this.options.commandTimeoutMs ?? 120_000;
  }

  private async record(step: string, work: () => Promise<StepResult> | StepResult): Promise<PreparationFailure | undefined> {
    const result = await work();
    if (result.ok) {
      this.options.writeLine(preparationLine(this.options.node, step, `${step}: $result`, { result: result.did }, "Info"));
      return undefined;
    }
    const { failure } = result;
    this.options.writeLine(preparationLine(this.options.node, step, `${step} failed: $error`, { error: failure.message, ...(failure.command && { command: failure.command }) }, "Error"));
    return failure;
  }

  /** Every step, in Mina's order; resolves with the first failure, or undefined. */
  async run(): Promise<PreparationFailure | undefined> {
    const { mina, daemonArgs, keysDir, stateDir } = this.options;
    const libp2p = libp2pKeypairOf(daemonArgs);
    const steps: Array<[string, () => Promise<StepResult> | StepResult]> = [
      ["remove-builtin-config", () => removeBuiltinConfig(this.options.builtinConfigDir ?? BUILTIN_CONFIG_DIR)],
      ["remove-stale-lock", () => removeStaleLock(stateDir)],
      [
        "libp2p-keypair",
        () => {
          if (libp2p === undefined) return { ok: true, did: "the command takes no libp2p keypair" };
          if (fs.existsSync(libp2p)) return { ok: true, did: `${libp2p} is mounted` };
          return commandStep("libp2p-keypair", [mina, "libp2p", "generate-keypair", "--privkey-path", libp2p], this.timeoutMs);
        },
      ],
      ["keys-dir-mode", () => (fs.existsSync(keysDir) ? keysDirMode(keysDir) : { ok: true, did: `no ${keysDir}: no key to import` })],
    ];
    for (const [step, work] of steps) {
      const failure = await this.record(step, work);
      if (failure) return failure;
    }
    return this.importKeys();
  }

  /** `mina accounts import` of every private key file; also after a fresh start emptied the wallets. */
  async importKeys(): Promise<PreparationFailure | undefined> {
    const { mina, daemonArgs, keysDir, stateDir } = this.options;
    if (!fs.existsSync(keysDir)) return undefined;
    for (const name of privateKeyFiles(fs.readdirSync(keysDir), libp2pKeypairOf(daemonArgs))) {
      const argv = [mina, "accounts", "import", "-config-directory", stateDir, "-privkey-path", path.join(keysDir, name)];
      const failure = await this.record("import-key", () => commandStep("import-key", argv, this.timeoutMs));
      if (failure) return failure;
    }
    return undefined;
  }
}
