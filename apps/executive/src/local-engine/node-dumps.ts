import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { MinaLocalError, postgresUri, type NetworkConfig } from "@mina-local/engine";

/**
 * Mina's `dump_mina_logs ~log_file` (kubernetes_network.ml and the docker engine's
 * docker_network.ml: the container's logs, written to `log_file`). Here every line of the node
 * is already in `<run dir>/logs/<node>.log` (the relay wrote it, byte for byte), so the dump is
 * a copy of that file, which holds the node's lines up to now.
 */
export async function dumpMinaLogs(options: { node: string; nodeLog: string; logFile: string }): Promise<void> {
  await mkdir(dirname(options.logFile), { recursive: true });
  try {
    await copyFile(options.nodeLog, options.logFile);
  } catch (error) {
    throw new MinaLocalError("setup", `dump_mina_logs of ${options.node}: copying ${options.nodeLog} to ${options.logFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The precomputed blocks in a node's JSON log lines, as Mina's `dump_precomputed_blocks`
 * reads them (kubernetes_network.ml at 9f068b1c3b): every line that starts with
 * `{"timestamp":` whose metadata has `precomputed_block` and `state_hash`. Mina fails on a
 * JSON line it cannot read; so does this, naming the line.
 */
export function precomputedBlocksOf(logText: string, node: string): { stateHash: string; block: unknown }[] {
  const found: { stateHash: string; block: unknown }[] = [];
  const lines = logText.split("\n");
  lines.forEach((line, index) => {
    if (!line.startsWith('{"timestamp":')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new MinaLocalError("internal", `dump_precomputed_blocks of ${node}: log line ${index + 1} is not JSON: ${line.slice(0, 200)}`);
    }
    const metadata = (json as { metadata?: unknown }).metadata;
    if (typeof metadata !== "object" || metadata === null) throw new MinaLocalError("internal", `dump_precomputed_blocks of ${node}: log line ${index + 1} is missing metadata`);
    const { precomputed_block: block, state_hash: stateHash } = metadata as { precomputed_block?: unknown; state_hash?: unknown };
    if (block === undefined) return;
    if (typeof stateHash !== "string") throw new MinaLocalError("internal", `dump_precomputed_blocks of ${node}: log line ${index + 1} has a precomputed block but no state hash`);
    found.push({ stateHash, block });
  });
  return found;
}

/** Writes each block as `<dir>/<state_hash>.json` (pretty-printed, as Mina's), leaving a file already there as it is; the files written. */
export async function dumpPrecomputedBlocks(options: { node: string; nodeLog: string; dir: string; log: (message: string) => void }): Promise<string[]> {
  const text = await readFile(options.nodeLog, "utf8").catch((error: unknown) => {
    throw new MinaLocalError("setup", `dump_precomputed_blocks of ${options.node}: reading ${options.nodeLog}: ${error instanceof Error ? error.message : String(error)}`);
  });
  await mkdir(options.dir, { recursive: true });
  const written: string[] = [];
  for (const { stateHash, block } of precomputedBlocksOf(text, options.node)) {
    const file = join(options.dir, `${stateHash}.json`);
    try {
      await writeFile(file, JSON.stringify(block, null, 2), { flag: "wx" });
      written.push(file);
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      options.log(`File already exists for precomputed block with state hash ${stateHash}`);
    }
  }
  return written;
}

/** Where Mina's engines write the replayer's input inside the archive container (docker_network.ml: replayer-input.json) */
export const REPLAYER_INPUT_PATH = "/tmp/replayer-input.json";

/**
 * Mina's `run_replayer ?start_slot_since_genesis` (docker_network.ml, kubernetes_network.ml):
 * an input file with the genesis ledger's accounts (`.ledger.accounts` of the runtime config)
 * and `add_genesis_winner: true`, then `mina-replayer --archive-uri <postgres> --input-file
 * <input> --output-file /dev/null --continue-on-error` in the archive container. The command
 * writes the input itself (`sh -c`), since the input is ours on the host.
 */
export function replayerCommand(config: NetworkConfig, archiveNode: string, startSlotSinceGenesis: number): string[] {
  const archive = config.archives.find((a) => a.archiveNode === archiveNode);
  if (!archive) throw new MinaLocalError("invalid-arguments", `run_replayer: ${archiveNode} is not an archive node (archive nodes: ${config.archives.map((a) => a.archiveNode).join(", ") || "none"})`);
  const input = JSON.stringify({ start_slot_since_genesis: startSlotSinceGenesis, genesis_ledger: { accounts: config.runtimeConfig.ledger.accounts, add_genesis_winner: true } });
  return [
    "sh",
    "-c",
    `printf '%s' "$1" > ${REPLAYER_INPUT_PATH} && exec mina-replayer --archive-uri "$2" --input-file ${REPLAYER_INPUT_PATH} --output-file /dev/null --continue-on-error`,
    "run_replayer",
    input,
    postgresUri(archive.postgres),
  ];
}
