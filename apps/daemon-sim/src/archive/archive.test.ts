import { createServer } from "node:net";
import { expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { buildBlock, genesisNode } from "../block.js";
import { genesisFromRuntimeConfig } from "../genesis.js";
import { ArchiveClient } from "./client.js";
import { archiveBlockOf } from "./from-chain.js";
import { parseArchiveArgs } from "./main.js";
import { ArchiveBlockSchema, ArchiveMessageSchema } from "./wire.js";

function chain(blocks: number) {
  const config = parseTestConfig({ genesis_ledger: [{ account_name: "a", balance: "1000" }], block_producers: [{ node_name: "a", account_name: "a" }] });
  if (!config.ok) throw config.error;
  const network = expandNetworkConfig(config.value, { mina: "x" }, { random: seededRandomBytes("archive-test"), now: new Date(0) });
  const genesis = genesisFromRuntimeConfig(network.runtimeConfig, "runtime config");
  if (!genesis.ok) throw new Error(genesis.error);
  const producer = network.accounts[0]!.keypair.publicKey;
  const nodes = [genesisNode(genesis.genesis)];
  for (let slot = 1; slot <= blocks; slot++) {
    const built = buildBlock(genesis.genesis, nodes.at(-1)!, { globalSlot: slot, creator: producer, coinbaseReceiver: producer, commands: [], snarkWorks: [] });
    if (!built.ok) throw new Error(built.error);
    nodes.push(built.node);
  }
  return { genesis: genesis.genesis, nodes, producer };
}

describe("the simulator's archive wire format", () => {
  it("carries a block under Mina's extensional field names, its coinbase as an internal command", () => {
    const { genesis, nodes, producer } = chain(1);
    const block = archiveBlockOf(genesis, nodes[1]!);
    expect(ArchiveBlockSchema.safeParse(block).success).toBe(true);
    expect(block).toMatchObject({ state_hash: nodes[1]!.block.stateHash, parent_hash: genesis.genesisStateHash, creator: producer, height: "2", global_slot_since_genesis: "1" });
    expect(block.internal_cmds).toEqual([expect.objectContaining({ command_type: "coinbase", receiver: producer, fee: genesis.coinbase.toString(), status: "applied" })]);
    expect(archiveBlockOf(genesis, nodes[0]!).internal_cmds).toEqual([]);
  });

  it("delivers every block in order, and again after the archive comes up late", async () => {
    const { genesis, nodes } = chain(5);
    const received: string[] = [];
    const server = createServer((socket) => {
      // the client's close resets this end when it still had unread acks
      socket.on("error", () => undefined);
      let buffered = "";
      socket.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const message = ArchiveMessageSchema.parse(JSON.parse(buffered.slice(0, newline)));
          buffered = buffered.slice(newline + 1);
          received.push(message.block.state_hash);
          socket.write('{"ok":true}\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    server.close();
    const warnings: string[] = [];
    const client = ArchiveClient.fromAddress(`127.0.0.1:${port}`, { debug: () => undefined, warn: (m) => warnings.push(m) });
    try {
      for (const node of nodes.slice(1)) client.send(archiveBlockOf(genesis, node));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      const deadline = Date.now() + 5_000;
      while (received.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toEqual(nodes.slice(1).map((n) => n.block.stateHash));
      expect(warnings).toEqual([]);
    } finally {
      client.close();
      server.close();
    }
  });
});

describe("mina-archive run's command line", () => {
  it("takes the command Mina's engine (and ours) passes", () => {
    const parsed = parseArchiveArgs(["-postgres-uri", "postgres://postgres:password@postgres-1:5432/archive", "-server-port", "3086", "-config-file", "/c.json", "-log-json"]);
    expect(parsed).toEqual({ ok: true, value: { postgresUri: "postgres://postgres:password@postgres-1:5432/archive", serverPort: 3086, configFile: "/c.json", logJson: true, logLevel: "Info" } });
  });

  it("refuses a flag mina-archive run does not have, and a bad port", () => {
    expect(parseArchiveArgs(["-archive-address", "x"])).toEqual({ ok: false, error: "unknown flag -archive-address" });
    expect(parseArchiveArgs(["--server-port", "99999"]).ok).toBe(false);
  });
});
