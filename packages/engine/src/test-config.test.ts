import { describe, expect, it } from "vitest";
import { parseTestConfig, type TestConfigInput } from "./test-config.js";

const minimal: TestConfigInput = {
  genesis_ledger: [
    { account_name: "bp1-key", balance: "1000" },
    { account_name: "receiver", balance: "10" },
  ],
  block_producers: [{ node_name: "bp1", account_name: "bp1-key" }],
};

function errorsOf(input: unknown): string[] {
  const result = parseTestConfig(input);
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.error.message.split("\n");
}

describe("parseTestConfig", () => {
  it("fills in Mina's defaults", () => {
    const result = parseTestConfig(minimal);
    if (!result.ok) throw result.error;
    expect(result.value).toMatchObject({
      requires_graphql: true,
      snark_worker_fee: "0.025",
      num_archive_nodes: 0,
      log_precomputed_blocks: false,
      k: 20,
      delta: 0,
      slots_per_epoch: 480,
      slots_per_sub_window: 2,
      txpool_max_size: 3000,
      grace_period_slots: 140,
      proof_config: { block_window_duration_ms: 120_000, fork: { blockchain_length: 0, global_slot_since_genesis: 0, state_hash: "3NKSvjaGSKiQuAt8BP1b1VCpLbJc9RcEFjYCaBYsJJFdrtd6tpaV" } },
    });
    // Mina's default level is full; left out, the run takes the image's profile (see network-config)
    expect(result.value.proof_config.level).toBeUndefined();
  });

  it("names the block producer whose account does not exist", () => {
    const input = { ...minimal, block_producers: [...(minimal.block_producers ?? []), { node_name: "bp2", account_name: "bp3" }] };
    expect(errorsOf(input)).toContain('test config: block_producers[1].account_name: no genesis account named "bp3"');
  });

  it("names every bad field, each on its own line", () => {
    const errors = errorsOf({
      genesis_ledger: [{ account_name: "a", balance: "-5" }],
      block_producers: [{ node_name: "Bad_Name", account_name: "a" }],
      k: 0,
      slots_per_epoch: "480",
      surprise: true,
    });
    expect(errors.some((e) => e.startsWith("test config: genesis_ledger[0].balance: "))).toBe(true);
    expect(errors.some((e) => e.startsWith("test config: block_producers[0].node_name: "))).toBe(true);
    expect(errors.some((e) => e.startsWith("test config: k: "))).toBe(true);
    expect(errors.some((e) => e.startsWith("test config: slots_per_epoch: "))).toBe(true);
    expect(errors).toContain('test config: (top level): unknown field "surprise" (see the fields and defaults in packages/engine/README.md)');
  });

  it("refuses duplicate node names, duplicate accounts and shared keys", () => {
    const errors = errorsOf({
      genesis_ledger: [
        { account_name: "a", balance: "1" },
        { account_name: "a", balance: "2" },
      ],
      block_producers: [
        { node_name: "bp", account_name: "a" },
        { node_name: "bp", account_name: "a" },
      ],
    });
    expect(errors).toContain('test config: genesis_ledger[1].account_name: duplicate account name "a"');
    expect(errors.some((e) => e.startsWith('test config: block_producers[1].node_name: duplicate node name "bp"'))).toBe(true);
    expect(errors.some((e) => e.startsWith('test config: block_producers[1].account_name: account "a" is already the key of'))).toBe(true);
  });

  it("refuses snark workers whose names collide and reserved names", () => {
    const errors = errorsOf({
      ...minimal,
      genesis_ledger: [...(minimal.genesis_ledger ?? []), { account_name: "sc-key", balance: "1" }],
      block_producers: [{ node_name: "seed", account_name: "bp1-key" }],
      snark_coordinator: { node_name: "sc", account_name: "sc-key", worker_nodes: 1 },
    });
    expect(errors.some((e) => e.includes("block_producers[0].node_name") && e.includes("reserved"))).toBe(true);
  });

  it("refuses k out of range against slots per epoch", () => {
    expect(errorsOf({ ...minimal, k: 10, slots_per_epoch: 24 })).toContain("test config: k: k (10) must be at most a third of slots_per_epoch (24), as in Mina's consensus constants");
  });
});
