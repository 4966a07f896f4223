import { expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { ARCHIVE_CLI_CONTRACT, archiveCommand, checkArchiveCommand, composeFromNetwork } from "./index.js";

function networkWithArchives(count: number) {
  const config = parseTestConfig({
    genesis_ledger: [{ account_name: "a", balance: "1000" }],
    block_producers: [{ node_name: "a", account_name: "a" }],
    num_archive_nodes: count,
  });
  if (!config.ok) throw config.error;
  return expandNetworkConfig(config.value, { mina: "img" }, { random: seededRandomBytes("archive"), now: new Date(0) });
}

describe("the mina-archive run contract (Mina 9f068b1c3b archive_cli.ml)", () => {
  it("accepts every archive command line we generate", () => {
    const network = networkWithArchives(2);
    const compose = composeFromNetwork(network, { runId: "r", runDir: "/tmp/r" });
    const archives = network.nodes.filter((n) => n.role === "archive");
    expect(archives).toHaveLength(2);
    for (const node of archives) {
      const command = compose.services[node.name]?.command ?? [];
      expect(command).toEqual(archiveCommand(node));
      expect(checkArchiveCommand(command)).toEqual([]);
    }
  });

  it("runs it as Mina's engine does: its PostgreSQL's URI, server port 3086, the runtime config", () => {
    const node = networkWithArchives(1).nodes.find((n) => n.name === "archive-1");
    expect(node && archiveCommand(node)).toEqual([
      "mina-archive",
      "run",
      "-postgres-uri",
      "postgres://postgres:password@postgres-1:5432/archive",
      "-server-port",
      "3086",
      "-config-file",
      "/mina-local/config/runtime-config.json",
      "-log-json",
    ]);
  });

  it("rejects what mina-archive run would refuse", () => {
    expect(checkArchiveCommand(["mina-archive", "run", "-archive-address", "x:1"])).toEqual([expect.stringMatching(/^-archive-address: not a flag/), expect.stringMatching(/^x:1: not a flag/)]);
    expect(checkArchiveCommand(["mina-archive", "run", "-postgres-uri"])).toEqual(["-postgres-uri: needs a value"]);
    expect(checkArchiveCommand(["mina-archive", "run", "-log-json", "--log-json"])).toEqual(["--log-json: given twice"]);
    expect(checkArchiveCommand(["mina", "daemon"])).toHaveLength(1);
    expect(Object.keys(ARCHIVE_CLI_CONTRACT.subcommands["mina-archive run"])).toContain("delete-older-than");
  });
});
