import { expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { checkArchiveCommand, composeFromNetwork, flagsBeyondBaseCommit, minaCliProblems, MINA_CLI } from "./index.js";

function network(level?: "none" | "check" | "full") {
  const config = parseTestConfig({
    genesis_ledger: [
      { account_name: "whale", balance: "1000" },
      { account_name: "snarker", balance: "10" },
    ],
    block_producers: [{ node_name: "whale", account_name: "whale" }],
    snark_coordinator: { node_name: "snark", account_name: "snarker", worker_nodes: 2 },
    num_archive_nodes: 1,
    ...(level && { proof_config: { level } }),
  });
  if (!config.ok) throw config.error;
  return expandNetworkConfig(config.value, { mina: "minaprotocol/mina-daemon:3.0.0" }, { random: seededRandomBytes("cli"), now: new Date(0) });
}

describe("the generated command lines against Mina's CLI (9f068b1c3b)", () => {
  it("every node's command of every variant is one Mina's CLI accepts", () => {
    for (const level of [undefined, "none", "check"] as const) {
      const net = network(level);
      const variants = [
        composeFromNetwork(net, { runId: "r1", runDir: "/runs/r1" }),
        composeFromNetwork(net, { runId: "r1", runDir: "/runs/r1", startFilteredLogs: ["0123456789abcdef0123456789abcdef"], daemonLogLevel: "Debug", subnet: "10.9.0.0/24" }),
      ];
      for (const compose of variants) {
        for (const [name, service] of Object.entries(compose.services)) {
          // an archive node runs mina-archive (its own CLI table); PostgreSQL runs the image's own command
          const command = service.command;
          // postgres-<n> (a name test configs may not take) runs PostgreSQL, not Mina
          if (name.startsWith("postgres-")) continue;
          if (command === undefined) throw new Error(`${name} has no command`);
          const problems = command[0] === "mina-archive" ? checkArchiveCommand(command) : minaCliProblems(command);
          expect({ name, problems }).toEqual({ name, problems: [] });
        }
      }
    }
  });

  it("relies on no flag newer than 9f068b1c3b but --start-filtered-logs, and only when ids are given", () => {
    const net = network();
    const plain = composeFromNetwork(net, { runId: "r1", runDir: "/runs/r1" });
    for (const service of Object.values(plain.services)) expect(flagsBeyondBaseCommit(service.command)).toEqual([]);
    const filtered = composeFromNetwork(net, { runId: "r1", runDir: "/runs/r1", startFilteredLogs: ["0123456789abcdef0123456789abcdef"] });
    expect(flagsBeyondBaseCommit(filtered.services["whale"]!.command)).toEqual(["start-filtered-logs"]);
  });

  it("holds the container preparation's commands against the table too", () => {
    expect(minaCliProblems(["mina", "accounts", "import", "-config-directory", "/root/.mina-config", "-privkey-path", "/mina-local/keys/bp.key"])).toEqual([]);
    expect(minaCliProblems(["mina", "libp2p", "generate-keypair", "--privkey-path", "/root/keys/libp2p"])).toEqual([]);
  });

  it("catches what Mina's CLI would refuse", () => {
    expect(minaCliProblems(["mina", "internal", "snark-worker", "-daemon-address", "sc:8301", "-log-json"])).toEqual(["mina internal snark-worker: unknown flag -log-json"]);
    expect(minaCliProblems(["mina", "daemon", "-seed", "-config-file", "/c.json"])).toEqual(["mina daemon: missing required flag -libp2p-keypair"]);
    expect(minaCliProblems(["mina", "daemon", "--libp2p-keypair", "/k", "-log-txn-pool-gossip", "yes", "-seed", "-seed"])).toEqual([
      'mina daemon: flag -log-txn-pool-gossip takes true or false, not "yes"',
      "mina daemon: flag -seed passed more than once",
    ]);
    expect(minaCliProblems(["mina", "daemon", "--libp2p-keypair"])).toEqual(["mina daemon: missing argument for flag -libp2p-keypair"]);
    expect(minaCliProblems(["mina", "accounts", "import"])).toEqual(["mina accounts import: missing required flag -privkey-path"]);
    expect(minaCliProblems(["mina", "frobnicate"])[0]).toMatch(/none of the subcommands/);
  });

  it("names its source for every subcommand", () => {
    for (const command of Object.values(MINA_CLI)) expect(command.source).toMatch(/\.ml/);
  });
});
