import { chmod, mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeConfigSchema, expandNetworkConfig, openLibp2pKeyFile, openMinaKeyFile, parseSecretBox, parseTestConfig, seededRandomBytes, TEST_KEY_DIFFICULTY } from "@mina-local/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeFromNetwork, validateComposeFile, writeRunDirectory, type RunFiles } from "./index.js";

const config = parseTestConfig({
  genesis_ledger: [
    { account_name: "a", balance: "1000" },
    { account_name: "s", balance: "1" },
  ],
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

  it("writes each node's key files as Mina does: secret boxes (0600 in a 0700 dir) with .pub / .peerid next to them", async () => {
    for (const node of network.nodes) {
      const dir = join(runDir, "keys", node.name);
      expect(await modeOf(dir)).toBe(0o700);
      const libp2pFiles = [`${node.name}.libp2p`, `${node.name}.libp2p.peerid`];
      const expected = node.account ? [`${node.name}.key`, `${node.name}.key.pub`, ...libp2pFiles] : libp2pFiles;
      expect((await readdir(dir)).sort()).toEqual(expected);
      expect(files.nodes[node.name]).toMatchObject({ keysDir: dir, libp2p: join(dir, `${node.name}.libp2p`), libp2pPeerId: join(dir, `${node.name}.libp2p.peerid`) });

      const libp2pPath = join(dir, `${node.name}.libp2p`);
      const libp2pText = await readFile(libp2pPath, "utf8");
      expect(parseSecretBox(libp2pText, libp2pPath).difficulty).toEqual(TEST_KEY_DIFFICULTY);
      expect(openLibp2pKeyFile(libp2pText, network.keyPassword, { where: libp2pPath })).toEqual(node.libp2p);
      expect(libp2pText).not.toContain(node.libp2p.privateKey);
      expect(await modeOf(libp2pPath)).toBe(0o600);
      expect(await readFile(join(dir, `${node.name}.libp2p.peerid`), "utf8")).toBe(`${node.libp2p.peerId}\n`);

      if (node.account) {
        const keyPath = join(dir, `${node.name}.key`);
        const keyText = await readFile(keyPath, "utf8");
        expect(openMinaKeyFile(keyText, network.keyPassword, { where: keyPath })).toEqual(node.account.keypair);
        expect(keyText).not.toContain(node.account.keypair.privateKey);
        expect(await modeOf(keyPath)).toBe(0o600);
        expect(files.nodes[node.name]).toMatchObject({ privateKey: keyPath, publicKey: `${keyPath}.pub` });
        expect(await readFile(`${keyPath}.pub`, "utf8")).toBe(`${node.account.keypair.publicKey}\n`);
      } else {
        expect(files.nodes[node.name]?.privateKey).toBeUndefined();
      }
    }
  });

  it("gives the daemons the run's one key password, in the compose file's environment", async () => {
    const written = JSON.parse(await readFile(files.composeFile, "utf8")) as { services: Record<string, { environment: Record<string, string> }> };
    expect(network.keyPassword).toMatch(/^[0-9a-f]{32}$/);
    for (const node of network.nodes) {
      expect(written.services[node.name]?.environment).toMatchObject({ MINA_PRIVKEY_PASS: network.keyPassword, MINA_LIBP2P_PASS: network.keyPassword });
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
