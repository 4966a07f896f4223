import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_COINBASE, formatMina } from "@mina-local/engine";
import { commandLineError } from "./cli.js";
import { genesisFromRuntimeConfig } from "./genesis.js";
import { generateLibp2pKeypair, importAccount } from "./wallet.js";

/**
 * The simulator's `mina accounts import`, `mina libp2p generate-keypair` and
 * `mina advanced compile-time-constants`, with the flags and the output of Mina's
 * (src/app/cli/src/init/client.ml at 9f068b1c3b). Each resolves with the exit code.
 */

type Flags = { ok: true; values: Map<string, string> } | { ok: false; error: string };

/** Jane Street Command's rules for single-valued flags: `-name value` or `--name value`, each once. */
function flags(argv: readonly string[], known: readonly string[]): Flags {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^--?([a-z0-9][a-z0-9-]*)$/.exec(argv[i] ?? "");
    if (!match) return { ok: false, error: `too many anonymous arguments: ${argv[i]}` };
    const name = match[1] ?? "";
    if (!known.includes(name)) return { ok: false, error: `unknown flag -${name}` };
    const value = argv[i + 1];
    if (value === undefined) return { ok: false, error: `missing argument for flag -${name}` };
    if (values.has(name)) return { ok: false, error: `flag -${name} passed more than once` };
    values.set(name, value);
    i++;
  }
  return { ok: true, values };
}

const fail = (command: string, problem: string) => {
  process.stderr.write(commandLineError(command, problem));
  return 1;
};

const defaultConfigDirectory = () => join(process.env["HOME"] ?? "/root", ".mina-config");

export async function accountsImportCommand(argv: readonly string[]): Promise<number> {
  const command = "mina accounts import";
  const parsed = flags(argv, ["privkey-path", "config-directory", "rest-server"]);
  if (!parsed.ok) return fail(command, parsed.error);
  const path = parsed.values.get("privkey-path");
  if (path === undefined) return fail(command, "missing required flag -privkey-path");
  if (parsed.values.has("rest-server")) {
    process.stderr.write("the daemon simulator imports into a config directory only: pass -config-directory, not -rest-server\n");
    return 1;
  }
  const imported = await importAccount(parsed.values.get("config-directory") ?? defaultConfigDirectory(), path);
  if (!imported.ok) {
    process.stderr.write(`Error: ${imported.error}\n`);
    return 1;
  }
  process.stdout.write(imported.value.alreadyImported ? `Key already present, no need to import : ${imported.value.publicKey}\n` : `\n😄 Imported account!\nPublic key: ${imported.value.publicKey}\n`);
  return 0;
}

export async function libp2pGenerateKeypairCommand(argv: readonly string[]): Promise<number> {
  const command = "mina libp2p generate-keypair";
  const parsed = flags(argv, ["privkey-path"]);
  if (!parsed.ok) return fail(command, parsed.error);
  const path = parsed.values.get("privkey-path");
  if (path === undefined) return fail(command, "missing required flag -privkey-path");
  const generated = await generateLibp2pKeypair(path);
  if (!generated.ok) {
    process.stderr.write(`Error: ${generated.error}\n`);
    return 1;
  }
  process.stdout.write(`libp2p keypair:\n${generated.value.line}\n`);
  return 0;
}

/**
 * The simulator's profile, in the shape of Mina's `compile-time-constants` JSON: Mina's command
 * reads MINA_CONFIG_FILE (else `<config-dir>/daemon.json`) over its compiled defaults; the
 * simulator has nothing compiled in, so its defaults are Mina's test-config defaults, and it
 * adds `proof_level` (it never proves: "none"), which Mina's output lacks.
 */
export function compileTimeConstantsCommand(argv: readonly string[]): number {
  if (argv.length > 0) return fail("mina advanced compile-time-constants", `too many anonymous arguments: ${argv[0]}`);
  const constants = {
    genesis_state_timestamp: "2024-01-01T00:00:00.000000Z",
    k: 20,
    coinbase: formatMina(DEFAULT_COINBASE),
    block_window_duration_ms: 120_000,
    delta: 0,
    sub_windows_per_window: 11,
    slots_per_sub_window: 2,
    slots_per_epoch: 480,
  };
  const file = process.env["MINA_CONFIG_FILE"] ?? join(defaultConfigDirectory(), "daemon.json");
  let text: string | undefined;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // no config file: the defaults, as Mina
  }
  if (text !== undefined) {
    const genesis = genesisFromRuntimeConfig(JSON.parse(text) as unknown, file);
    if (genesis.ok) {
      Object.assign(constants, {
        genesis_state_timestamp: new Date(genesis.genesis.genesisTimestamp).toISOString(),
        k: genesis.genesis.k,
        coinbase: formatMina(genesis.genesis.coinbase),
        block_window_duration_ms: genesis.genesis.blockWindowMs,
        delta: genesis.genesis.delta,
        slots_per_sub_window: genesis.genesis.slotsPerSubWindow,
        slots_per_epoch: genesis.genesis.slotsPerEpoch,
      });
    }
  }
  const slotsPerWindow = constants.sub_windows_per_window * constants.slots_per_sub_window;
  process.stdout.write(`${JSON.stringify({ ...constants, slots_per_window: slotsPerWindow, proof_level: "none" })}\n`);
  return 0;
}
