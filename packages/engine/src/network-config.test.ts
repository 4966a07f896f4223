import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { expandNetworkConfig } from "./network-config.js";
import { seededRandomBytes } from "./random.js";
import { RuntimeConfigSchema } from "./runtime-config.js";
import { parseTestConfig, type TestConfigInput } from "./test-config.js";

const input: TestConfigInput = {
  genesis_ledger: [
    { account_name: "bp1-key", balance: "1000" },
    { account_name: "bp2-key", balance: "2000.5" },
    { account_name: "sc-key", balance: "5" },
    {
      account_name: "vesting",
      balance: "100",
      timing: { initial_minimum_balance: "50", cliff_time: 10, cliff_amount: "10", vesting_period: 2, vesting_increment: "1" },
    },
  ],
  block_producers: [
    { node_name: "bp1", account_name: "bp1-key" },
    { node_name: "bp2", account_name: "bp2-key" },
  ],
  snark_coordinator: { node_name: "sc", account_name: "sc-key", worker_nodes: 2 },
  num_archive_nodes: 1,
  k: 5,
  slots_per_epoch: 48,
  proof_config: { block_window_duration_ms: 2000 },
};

function config() {
  const parsed = parseTestConfig(input);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

const expand = (seed: string) =>
  expandNetworkConfig(config(), { mina: "mina-local/daemon-sim:test" }, { random: seededRandomBytes(seed), now: new Date("2026-01-01T00:00:00Z") });

describe("expandNetworkConfig", () => {
  it("gives every account a real, distinct Mina keypair", () => {
    const network = expand("a");
    const signer = new Client({ network: "testnet" });
    const publicKeys = network.accounts.map((a) => a.keypair.publicKey);
    expect(new Set(publicKeys).size).toBe(4);
    for (const account of network.accounts) {
      expect(account.keypair.publicKey).toMatch(/^B62q/);
      expect(signer.verifyKeypair(account.keypair)).toBe(true);
    }
  });

  it("gives every node a distinct libp2p identity, a seed first, workers and archive nodes", () => {
    const network = expand("a");
    expect(network.nodes.map((n) => [n.name, n.role])).toEqual([
      ["seed", "seed"],
      ["seed-1", "seed"],
      ["bp1", "block-producer"],
      ["bp2", "block-producer"],
      ["sc", "snark-coordinator"],
      ["sc-worker-0", "snark-worker"],
      ["sc-worker-1", "snark-worker"],
      ["archive-1", "archive"],
    ]);
    const peerIds = network.nodes.map((n) => n.libp2p.peerId);
    expect(new Set(peerIds).size).toBe(network.nodes.length);
    for (const id of peerIds) expect(id).toMatch(/^12D3KooW/);
    expect(network.seedPeers).toEqual([`/dns4/seed/tcp/8302/p2p/${network.nodes[0]?.libp2p.peerId}`]);
    expect(network.nodes.find((n) => n.name === "bp2")?.account?.name).toBe("bp2-key");
    expect(network.nodes.find((n) => n.name === "sc-worker-1")?.coordinator).toBe("sc");
  });

  it("lays out each archive node as Mina's engine does: its PostgreSQL, its archive process, and a seed feeding it", () => {
    const network = expand("a");
    expect(network.archives).toEqual([
      {
        index: 1,
        archiveNode: "archive-1",
        seedNode: "seed-1",
        postgres: { service: "postgres-1", image: "postgres:16", user: "postgres", password: "password", database: "archive", port: 5432 },
      },
    ]);
    expect(network.nodes.find((n) => n.name === "seed-1")?.archiveAddress).toBe("archive-1:3086");
    expect(network.nodes.find((n) => n.name === "archive-1")?.postgresUri).toBe("postgres://postgres:password@postgres-1:5432/archive");
    expect(network.nodes.find((n) => n.name === "seed")?.archiveAddress).toBeUndefined();
  });

  it("writes the runtime config with Mina's field names", () => {
    const runtime = expand("a").runtimeConfig;
    expect(RuntimeConfigSchema.safeParse(runtime).success).toBe(true);
    expect(runtime.genesis).toEqual({ k: 5, delta: 0, slots_per_epoch: 48, slots_per_sub_window: 2, genesis_state_timestamp: "2026-01-01T00:00:00.000Z" });
    expect(runtime.proof).toMatchObject({ block_window_duration_ms: 2000, transaction_capacity: { "2_to_the": 3 }, work_delay: 1 });
    const [bp1, bp2, , vesting] = runtime.ledger.accounts;
    expect(bp1).toMatchObject({ balance: "1000", delegate: bp1?.pk });
    expect(bp2?.balance).toBe("2000.5");
    expect(vesting?.timing).toEqual({ initial_minimum_balance: "50", cliff_time: "10", cliff_amount: "10", vesting_period: "2", vesting_increment: "1" });
    expect(Object.keys(bp1 ?? {}).sort()).toEqual(["balance", "delegate", "pk", "sk"]);
  });

  it("is deterministic for a fixed seed and differs for another", () => {
    expect(JSON.stringify(expand("a"), (_, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(
      JSON.stringify(expand("a"), (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    );
    expect(expand("a").accounts[0]?.keypair.publicKey).not.toBe(expand("b").accounts[0]?.keypair.publicKey);
  });
});
