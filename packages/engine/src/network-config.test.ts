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

const expand = (seed: string) => expandNetworkConfig(config(), { mina: "mina-local/daemon-sim:test" }, { random: seededRandomBytes(seed), now: new Date("2026-01-01T00:00:00Z") });

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
    // Mina's timestamp format (Core.Time.to_string_abs ~zone:utc) and grace_period_slots (test_config.ml default 140)
    expect(runtime.genesis).toEqual({ k: 5, delta: 0, slots_per_epoch: 48, slots_per_sub_window: 2, grace_period_slots: 140, genesis_state_timestamp: "2026-01-01 00:00:00.000000Z" });
    expect(runtime.proof).toEqual({
      level: "full",
      block_window_duration_ms: 2000,
      transaction_capacity: { "2_to_the": 3 },
      work_delay: 1,
      fork: { blockchain_length: 0, global_slot_since_genesis: 0, state_hash: "3NKSvjaGSKiQuAt8BP1b1VCpLbJc9RcEFjYCaBYsJJFdrtd6tpaV" },
    });
    expect(runtime.daemon).toEqual({ txpool_max_size: 3000 });
    expect(runtime.ledger).not.toHaveProperty("add_genesis_winner");
    expect(runtime).not.toHaveProperty("epoch_data");
    const [bp1, bp2, , vesting] = runtime.ledger.accounts;
    const network = expand("a");
    expect(bp1).toEqual({ pk: network.accounts[0]?.keypair.publicKey, sk: network.accounts[0]?.keypair.privateKey, balance: "1000", delegate: bp1?.pk });
    expect(bp1?.sk).toMatch(/^EK/);
    expect(bp2?.balance).toBe("2000.5");
    expect(vesting?.timing).toEqual({ initial_minimum_balance: "50", cliff_time: "10", cliff_amount: "10", vesting_period: "2", vesting_increment: "1" });
  });

  it("takes the proof level from the test, else from the image's profile, else Mina's full", () => {
    const level = (proofLevel: "none" | "check" | "full" | undefined, testLevel?: "none" | "check" | "full") => {
      const parsed = parseTestConfig({ ...input, proof_config: { block_window_duration_ms: 2000, ...(testLevel && { level: testLevel }) } });
      if (!parsed.ok) throw parsed.error;
      return expandNetworkConfig(parsed.value, { mina: "m:1" }, { random: seededRandomBytes("a"), ...(proofLevel && { proofLevel }) }).runtimeConfig.proof.level;
    };
    expect(level(undefined)).toBe("full");
    expect(level("none")).toBe("none");
    expect(level("none", "check")).toBe("check");
  });

  it("writes the daemon, fork, permissions, zkApp and epoch-ledger fields a test sets, under Mina's names", () => {
    const seed = "2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA";
    const parsed = parseTestConfig({
      ...input,
      genesis_ledger: [
        { account_name: "bp1-key", balance: "1000", permissions: { send: "Signature", set_verification_key: { auth: "Proof", txn_version: "3" } } },
        ...(input.genesis_ledger ?? []).slice(1),
        { account_name: "zk", balance: "1", zkapp: { app_state: ["0", "1"], zkapp_version: 0, action_state: ["0", "0", "0", "0", "0"], last_action_slot: 0, proved_state: false, zkapp_uri: "" } },
      ],
      slot_tx_end: 30,
      slot_chain_end: 40,
      hard_fork_genesis_slot_delta: 5,
      network_id: "testnet",
      grace_period_slots: 3,
      add_genesis_winner: false,
      proof_config: { block_window_duration_ms: 2000, fork: { blockchain_length: 7, global_slot_since_genesis: 9, state_hash: "3NKSvjaGSKiQuAt8BP1b1VCpLbJc9RcEFjYCaBYsJJFdrtd6tpaV" } },
      epoch_data: {
        staking: { epoch_ledger: [{ account_name: "bp1-key", balance: "10" }], epoch_seed: seed },
        next: {
          epoch_ledger: [
            { account_name: "bp1-key", balance: "11" },
            { account_name: "bp2-key", balance: "12" },
          ],
          epoch_seed: seed,
        },
      },
    });
    if (!parsed.ok) throw parsed.error;
    const network = expandNetworkConfig(parsed.value, { mina: "m:1" }, { random: seededRandomBytes("a") });
    const runtime = network.runtimeConfig;
    expect(RuntimeConfigSchema.safeParse(runtime).success).toBe(true);
    expect(runtime.daemon).toEqual({ txpool_max_size: 3000, slot_tx_end: 30, slot_chain_end: 40, hard_fork_genesis_slot_delta: 5, network_id: "testnet" });
    expect(runtime.genesis.grace_period_slots).toBe(3);
    expect(runtime.ledger.add_genesis_winner).toBe(false);
    expect(runtime.proof.fork).toEqual({ blockchain_length: 7, global_slot_since_genesis: 9, state_hash: "3NKSvjaGSKiQuAt8BP1b1VCpLbJc9RcEFjYCaBYsJJFdrtd6tpaV" });
    expect(runtime.ledger.accounts[0]?.permissions).toEqual({ send: "Signature", set_verification_key: { auth: "Proof", txn_version: "3" } });
    expect(runtime.ledger.accounts.at(-1)?.zkapp).toMatchObject({ app_state: ["0", "1"], proved_state: false });
    const bp1 = network.accounts[0]?.keypair.publicKey;
    // the genesis winner first, then the epoch entries with the genesis keys and their own balances
    expect(runtime.epoch_data?.staking.accounts.map((a) => [a.pk, a.balance])).toEqual([
      ["B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg", "0.000001"],
      [bp1, "10"],
    ]);
    expect(runtime.epoch_data?.next?.accounts.map((a) => a.balance)).toEqual(["0.000001", "11", "12"]);
    expect(runtime.epoch_data?.staking.seed).toBe(seed);
  });

  it("writes proof_config.supercharged_coinbase_factor as the runtime config's proof.supercharged_coinbase_factor, only when the test sets it", () => {
    const factorOf = (proof: object) => {
      const parsed = parseTestConfig({ ...input, proof_config: { block_window_duration_ms: 2000, ...proof } });
      if (!parsed.ok) throw parsed.error;
      return expandNetworkConfig(parsed.value, { mina: "m:1" }, { random: seededRandomBytes("a") }).runtimeConfig.proof;
    };
    expect(factorOf({ supercharged_coinbase_factor: 2 }).supercharged_coinbase_factor).toBe(2);
    expect(factorOf({})).not.toHaveProperty("supercharged_coinbase_factor");
  });

  it("refuses epoch ledgers that are not prefixes, as Mina's builder does", () => {
    const seed = "2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA";
    const parsed = parseTestConfig({ ...input, epoch_data: { staking: { epoch_ledger: [{ account_name: "bp2-key", balance: "1" }], epoch_seed: seed } } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain("test config: epoch_data.staking.epoch_ledger: Staking epoch ledger not a prefix of genesis ledger");
  });

  it("is deterministic for a fixed seed and differs for another", () => {
    expect(JSON.stringify(expand("a"), (_, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(JSON.stringify(expand("a"), (_, v) => (typeof v === "bigint" ? v.toString() : v)));
    expect(expand("a").accounts[0]?.keypair.publicKey).not.toBe(expand("b").accounts[0]?.keypair.publicKey);
  });
});
