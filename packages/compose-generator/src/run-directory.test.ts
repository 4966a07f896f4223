import { chmod, mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeConfigSchema, expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeFromNetwork, validateComposeFile, writeRunDirectory, type RunFiles } from "./index.js";

const config = parseTestConfig({
  genesis_ledger: [{ account_name: "a", balance: "1000" }, { account_name: "s", balance: "1" }],
  block_producers: [{ node_name: "bp", account_name: "a" }],
  snark_coordinator: { node_name: "snark", account_name: "s", worker_nodes: 1 },
});
if (!config.ok) throw config.error;
const network = expandNetworkConfig(config.value, { mina: "img" }, { random: seededRandomBytes("x"), now: new Date(0) });

let parent: string;
let runDir: string;
let files: RunFiles;
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), "compose-generator-"));
  runDir = join(parent, "abcd1234");
  files = await writeRunDirectory(network, composeFromNetwork(network, { runId: "abcd1234", runDir }), runDir);
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe("writeRunDirectory", () => {
  it("makes the run dir private", async () => {
    expect(await modeOf(runDir)).toBe(0o700);
  });

  it("writes the compose file as JSON that validates against the Compose spec", async () => {
    const written: unknown = JSON.parse(await readFile(join(runDir, "docker-compose.json"), "utf8"));
    expect(files.composeFile).toBe(join(runDir, "docker-compose.json"));
    expect(validateComposeFile(written)).toEqual([]);
  });

  it("writes the runtime config every daemon mounts, in Mina's format", async () => {
    const written: unknown = JSON.parse(await readFile(join(runDir, "config/runtime-config.json"), "utf8"));
    expect(RuntimeConfigSchema.parse(written)).toEqual(network.runtimeConfig);
  });

  it("writes each node's keys as 0600 files in a 0700 dir: Mina keys for account holders, libp2p for all", async () => {
    for (const node of network.nodes) {
      const dir = join(runDir, "keys", node.name);
      expect(await modeOf(dir)).toBe(0o700);
      const expected = node.account ? [`${node.name}.key`, `${node.name}.libp2p`, `${node.name}.pub`] : [`${node.name}.libp2p`];
      expect((await readdir(dir)).sort()).toEqual(expected);
      const libp2p: unknown = JSON.parse(await readFile(join(dir, `${node.name}.libp2p`), "utf8"));
      expect(libp2p).toEqual({ peerId: node.libp2p.peerId, privateKey: node.libp2p.privateKey, publicKey: node.libp2p.publicKey });
      expect(await modeOf(join(dir, `${node.name}.libp2p`))).toBe(0o600);
      if (node.account) {
        expect((await readFile(join(dir, `${node.name}.key`), "utf8")).trim()).toBe(node.account.keypair.privateKey);
        expect(await modeOf(join(dir, `${node.name}.key`))).toBe(0o600);
        expect((await readFile(join(dir, `${node.name}.pub`), "utf8")).trim()).toBe(node.account.keypair.publicKey);
      }
    }
  });

  it("creates empty state dirs and the sockets dir, but not the FIFO", async () => {
    for (const node of network.nodes) expect(await readdir(join(runDir, "nodes", node.name, "state"))).toEqual([]);
    expect(await readdir(join(runDir, "shared"))).toEqual(["sockets"]);
    expect(files.fifo).toBe(join(runDir, "shared", "logs.fifo"));
  });

  it("tightens a run dir that already existed with looser permissions", async () => {
    await chmod(runDir, 0o755);
    await chmod(join(runDir, "keys", "bp"), 0o755);
    const again = await writeRunDirectory(network, composeFromNetwork(network, { runId: "abcd1234", runDir }), runDir);
    expect(again.nodes["bp"]?.privateKey).toBe(join(runDir, "keys", "bp", "bp.key"));
    expect(await modeOf(runDir)).toBe(0o700);
    expect(await modeOf(join(runDir, "keys", "bp"))).toBe(0o700);
  });
});
