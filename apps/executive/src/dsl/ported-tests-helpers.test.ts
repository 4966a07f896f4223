import { describe, expect, it } from "vitest";
import type { NodeRole } from "@mina-local/engine";
import type { BlockRewards } from "@mina-local/graphql-client";
import { applyEvent, emptyNetworkState, type NetworkState } from "../network-state.js";
import { blocksOnTopOf, blocksToBeProducedByEach, commandsToBeIncluded } from "./chain-waits.js";
import { transactionDiffsReceived, transactionGossipStats } from "./gossip-coverage.js";
import { blocksCreatedBy, rewardFromBlock, rewardsOver } from "./reward-accounting.js";
import type { CheckResult } from "./wait-conditions.js";

/** The pure helpers of the ported Mina tests (block-reward, block-production-priority, gossip-consistency, delegation, snark). */

const ev = (state: NetworkState, node: string, type: string, data: Record<string, unknown> = {}, role: NodeRole = "block-producer") =>
  applyEvent(state, { node, role, type, timestamp: "2026-11-26 12:00:00.000000Z", data });
const produced = (state: NetworkState, node: string, hash: string, height: number) =>
  ev(state, node, "Block_produced", { state_hash: hash, block_height: height, global_slot: height, epoch: 0, snarked_ledger_generated: false });
const included = (state: NetworkState, hash: string, status: "applied" | "failed") => ev(state, "seed", "Breadcrumb_added", { state_hash: "3NKb", user_commands: [{ hash, status }] });
const isDone = (r: CheckResult) => "done" in r && r.done;
const failed = (r: CheckResult) => ("failed" in r ? r.failed : undefined);
const timeouts = { soft: { slots: 1 }, hard: { slots: 2 } };

const BP = "B62qproducer";
const PROVER = "B62qprover";
const COINBASE = 720_000_000_000n;

function block(height: number, creator: string, fees: bigint[], snark: { prover: string; fee: bigint }[] = []): BlockRewards {
  return {
    stateHash: `3NK${height}`,
    height,
    slot: height,
    creator,
    coinbaseReceiver: creator,
    coinbase: COINBASE,
    feeTransfers: [],
    userCommands: fees.map((fee, i) => ({ hash: `5J${height}-${i}`, from: "B62qsender", nonce: i, fee, failureReason: undefined })),
    snarkJobs: snark.map((w, i) => ({ ...w, workIds: [i] })),
  };
}

describe("reward accounting", () => {
  it("a producer earns coinbase - snark fees + its commands' fees per block; a prover earns its work's fees", () => {
    const b = block(
      3,
      BP,
      [10n, 20n],
      [
        { prover: PROVER, fee: 5n },
        { prover: PROVER, fee: 7n },
      ],
    );
    expect(rewardFromBlock(b, BP, COINBASE)).toBe(COINBASE - 12n + 30n);
    expect(rewardFromBlock(b, PROVER, COINBASE)).toBe(12n);
    expect(rewardFromBlock(b, "B62qother", COINBASE)).toBe(0n);
  });

  it("the genesis block pays nothing, and a producer proving its own work nets the coinbase", () => {
    expect(rewardFromBlock(block(1, BP, []), BP, COINBASE)).toBe(0n);
    expect(rewardFromBlock(block(2, BP, [], [{ prover: BP, fee: 9n }]), BP, COINBASE)).toBe(COINBASE);
  });

  it("sums over a chain and lists the blocks a producer created", () => {
    const chain = [block(1, BP, []), block(2, BP, [1n]), block(3, "B62qother", [2n]), block(4, BP, [])];
    expect(rewardsOver(chain, BP, COINBASE)).toBe(2n * COINBASE + 1n);
    expect(blocksCreatedBy(chain, BP).map((b) => b.height)).toEqual([2, 4]);
  });
});

describe("chain wait conditions", () => {
  it("commandsToBeIncluded waits for every hash and fails on a failed one", () => {
    const check = commandsToBeIncluded(["5Ja", "5Jb"], "payments", timeouts).start(emptyNetworkState());
    let state = included(emptyNetworkState(), "5Ja", "applied");
    expect(isDone(check(state))).toBe(false);
    state = included(state, "5Jb", "applied");
    expect(isDone(check(state))).toBe(true);
    expect(failed(check(included(emptyNetworkState(), "5Ja", "failed")))).toMatch(/5Ja was included but failed/);
  });

  it("blocksToBeProducedByEach counts only blocks produced after the wait began", () => {
    let state = produced(emptyNetworkState(), "bp1", "3NKa", 2);
    const check = blocksToBeProducedByEach(["bp1", "bp2"], 1, timeouts).start(state);
    state = produced(state, "bp2", "3NKb", 3);
    expect(isDone(check(state))).toBe(false);
    state = produced(state, "bp1", "3NKc", 4);
    expect(isDone(check(state))).toBe(true);
  });

  it("blocksOnTopOf waits until the height is n above the block", () => {
    let state = produced(emptyNetworkState(), "bp1", "3NKa", 5);
    const check = blocksOnTopOf("3NKa", 2, timeouts).start(state);
    expect(isDone(check(state))).toBe(false);
    state = produced(state, "bp1", "3NKb", 6);
    expect(isDone(check(state))).toBe(false);
    state = produced(state, "bp2", "3NKc", 7);
    expect(isDone(check(state))).toBe(true);
  });
});

describe("gossip state (Mina's Gossip_state.stats)", () => {
  it("counts each node's transaction diffs sent and received together, leaving out the excluded nodes", () => {
    let state = ev(emptyNetworkState(), "node-b", "Transactions_gossip", { hashes: ["5Ja"], direction: "Sent" });
    state = ev(state, "node-b", "Transactions_gossip", { hashes: ["5Jb"], direction: "Sent" });
    state = ev(state, "seed", "Transactions_gossip", { hashes: ["5Ja"], direction: "Received" }, "seed");
    state = ev(state, "seed", "Transactions_gossip", { hashes: ["5Jb"], direction: "Received" }, "seed");
    state = ev(state, "node-a", "Transactions_gossip", { hashes: ["5Ja"], direction: "Received" });
    const nodes = ["seed", "node-a", "node-b"];
    expect(transactionGossipStats(state, nodes, { exclusionList: ["node-b"] })).toEqual({ seenByAll: 1, seenBySome: 2 });
    // node-b's own diffs count as seen by it (sent), as in Mina
    expect(transactionGossipStats(state, nodes, { exclusionList: [] })).toEqual({ seenByAll: 1, seenBySome: 2 });
    expect(transactionGossipStats(state, nodes, { exclusionList: nodes })).toEqual({ seenByAll: 0, seenBySome: 0 });
    // num_transactions_seen: received only
    expect(transactionDiffsReceived(state, nodes)).toBe(2);
    expect(transactionDiffsReceived(state, ["node-b"])).toBe(0);
  });

  it("names a diff by its commands in order, so one diff of two commands is one item", () => {
    let state = ev(emptyNetworkState(), "seed", "Transactions_gossip", { hashes: ["5Ja", "5Jb"], direction: "Received" }, "seed");
    state = ev(state, "node-a", "Transactions_gossip", { hashes: ["5Ja", "5Jb"], direction: "Received" });
    expect(transactionGossipStats(state, ["seed", "node-a"], { exclusionList: [] })).toEqual({ seenByAll: 1, seenBySome: 1 });
    expect(transactionDiffsReceived(state, ["seed", "node-a"])).toBe(1);
  });
});
