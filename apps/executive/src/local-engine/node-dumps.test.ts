import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import { dumpMinaLogs, dumpPrecomputedBlocks, precomputedBlocksOf, replayerCommand, REPLAYER_INPUT_PATH } from "./node-dumps.js";

// a line of the shape Mina's daemon logs with -log-precomputed-blocks (transition_frontier_controller: "Saw block with state hash $state_hash")
const blockLine = (stateHash: string) =>
  JSON.stringify({
    timestamp: "2026-12-01 00:00:00.000000Z",
    level: "Info",
    source: { module: "Transition_frontier_controller", location: "x" },
    message: "Saw block with state hash $state_hash",
    metadata: { state_hash: stateHash, precomputed_block: { scheduled_time: "1", protocol_state: { previous_state_hash: "3N..." } } },
  });
const plainLine = JSON.stringify({ timestamp: "2026-12-01 00:00:01.000000Z", level: "Info", source: { module: "M", location: "y" }, message: "nothing", metadata: {} });

describe("dump_precomputed_blocks (Mina's kubernetes_network.ml reading)", () => {
  it("takes each logged precomputed block by its state hash and skips other lines and non-JSON output", () => {
    const text = ["Using password from environment variable", blockLine("3NKa"), plainLine, blockLine("3NKb"), ""].join("\n");
    expect(precomputedBlocksOf(text, "bp1").map((b) => b.stateHash)).toEqual(["3NKa", "3NKb"]);
  });

  it("fails, naming the line, on a precomputed block without a state hash", () => {
    const line = JSON.stringify({ timestamp: "t", metadata: { precomputed_block: {} } });
    expect(() => precomputedBlocksOf(line, "bp1")).toThrow(/bp1: log line 1 has a precomputed block but no state hash/);
  });

  it("writes <state_hash>.json files and leaves one already there as it is", async () => {
    const dir = mkdtempSync(join(tmpdir(), "precomputed-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const nodeLog = join(dir, "bp1.log");
    writeFileSync(nodeLog, [blockLine("3NKa"), blockLine("3NKb")].join("\n"));
    writeFileSync(join(dir, "out-3NKa.json"), "kept");
    const out = join(dir, "out");
    const first = await dumpPrecomputedBlocks({ node: "bp1", nodeLog, dir: out, log: () => undefined });
    expect(first.map((f) => f.slice(out.length + 1))).toEqual(["3NKa.json", "3NKb.json"]);
    expect(JSON.parse(readFileSync(join(out, "3NKa.json"), "utf8"))).toHaveProperty("protocol_state");
    const notes: string[] = [];
    expect(await dumpPrecomputedBlocks({ node: "bp1", nodeLog, dir: out, log: (m) => notes.push(m) })).toEqual([]);
    expect(notes).toHaveLength(2);
    expect(readdirSync(out).sort()).toEqual(["3NKa.json", "3NKb.json"]);
  });
});

describe("dump_mina_logs", () => {
  it("copies the node's log file to log_file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mina-logs-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "bp1.log"), `${plainLine}\n`);
    await dumpMinaLogs({ node: "bp1", nodeLog: join(dir, "bp1.log"), logFile: join(dir, "dump", "bp1.json") });
    expect(readFileSync(join(dir, "dump", "bp1.json"), "utf8")).toBe(`${plainLine}\n`);
  });

  it("names the node and the file when there is no log", async () => {
    await expect(dumpMinaLogs({ node: "bp1", nodeLog: "/nonexistent/bp1.log", logFile: "/tmp/never.json" })).rejects.toThrow(/dump_mina_logs of bp1: copying \/nonexistent\/bp1.log/);
  });
});

describe("run_replayer (Mina's docker_network.ml: the input file, then mina-replayer)", () => {
  const parsed = parseTestConfig({ genesis_ledger: [{ account_name: "bp1-key", balance: "1000" }], block_producers: [{ node_name: "bp1", account_name: "bp1-key" }], num_archive_nodes: 1 }, "test");
  if (!parsed.ok) throw parsed.error;
  const network = expandNetworkConfig(parsed.value, { mina: "img" }, { random: seededRandomBytes("replayer"), now: new Date(0) });

  it("feeds mina-replayer the genesis ledger's accounts with the genesis winner, from the given slot", () => {
    const archive = network.archives[0];
    if (!archive) throw new Error("no archive node");
    const command = replayerCommand(network, archive.archiveNode, 7);
    expect(command.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(command[2]).toContain(`exec mina-replayer --archive-uri "$2" --input-file ${REPLAYER_INPUT_PATH} --output-file /dev/null --continue-on-error`);
    const input = JSON.parse(command[4] ?? "") as { start_slot_since_genesis: number; genesis_ledger: { accounts: unknown[]; add_genesis_winner: boolean } };
    expect(input.start_slot_since_genesis).toBe(7);
    expect(input.genesis_ledger).toEqual({ accounts: network.runtimeConfig.ledger.accounts, add_genesis_winner: true });
    expect(command[5]).toMatch(/^postgres:\/\/.*@postgres-1:5432\/archive$/);
  });

  it("refuses a node that is not an archive node", () => {
    expect(() => replayerCommand(network, "bp1", 0)).toThrow(/run_replayer: bp1 is not an archive node \(archive nodes: archive-1\)/);
  });
});
