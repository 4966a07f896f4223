import { describe, expect, it } from "vitest";
import type { NodeRole } from "@mina-local/engine";
import { applyEvent, emptyNetworkState, type NetworkState } from "../network-state.js";
import {
  blockHeightGrowth,
  blocksToBeProduced,
  ledgerProofsEmittedSinceGenesis,
  nodesToInitialize,
  nodesToSynchronize,
  persistedFrontierLoaded,
  signedCommandToBeIncluded,
  timeoutMs,
  type CheckResult,
} from "./wait-conditions.js";

/* Event data here is the event parser's output shape (see network-state.test.ts for lines -> events). */
const ev = (state: NetworkState, node: string, type: string, data: Record<string, unknown> = {}, role: NodeRole = "block-producer") =>
  applyEvent(state, { node, role, type, timestamp: "2026-11-26 12:00:00.000000Z", data });

let hashes = 0;
const produced = (state: NetworkState, node: string, height: number, extra: Record<string, unknown> = {}) =>
  ev(state, node, "Block_produced", { state_hash: `3NK${++hashes}`, block_height: height, global_slot: height, epoch: 0, snarked_ledger_generated: false, creator: "B62q", ...extra });
const tip = (state: NetworkState, node: string, hash: string) => ev(state, node, "Transition_frontier_diff_application", { best_tip_changed: hash });
const included = (state: NetworkState, hash: string, status: "applied" | "failed", failure?: string) =>
  ev(state, "seed", "Breadcrumb_added", { state_hash: "3NKblock", user_commands: [{ hash, status, ...(failure && { failure }) }] });

const isDone = (r: CheckResult) => "done" in r && r.done;
const isPending = (r: CheckResult) => "done" in r && !r.done;
const failure = (r: CheckResult) => ("failed" in r ? r.failed : undefined);
const waiting = (r: CheckResult) => ("waitingFor" in r ? r.waitingFor : undefined);

describe("timeoutMs", () => {
  it("converts slots with the block window and keeps milliseconds as they are", () => {
    expect(timeoutMs({ slots: 5 }, 20_000)).toBe(100_000);
    expect(timeoutMs({ slots: 5 }, 10)).toBe(50);
    expect(timeoutMs({ ms: 1234 }, 20_000)).toBe(1234);
  });

  it("gives Mina's soft and hard timeouts for each condition", () => {
    const window = 1000;
    const soft = (c: { softTimeout: Parameters<typeof timeoutMs>[0] }) => timeoutMs(c.softTimeout, window);
    const hard = (c: { hardTimeout: Parameters<typeof timeoutMs>[0] }) => timeoutMs(c.hardTimeout, window);
    expect([soft(blocksToBeProduced(3)), hard(blocksToBeProduced(3))]).toEqual([7_000, 14_000]);
    expect([soft(nodesToSynchronize(["a"])), hard(nodesToSynchronize(["a"]))]).toEqual([24_000, 48_000]);
    expect([soft(signedCommandToBeIncluded("x")), hard(signedCommandToBeIncluded("x"))]).toEqual([8_000, 16_000]);
    expect([soft(ledgerProofsEmittedSinceGenesis(1)), hard(ledgerProofsEmittedSinceGenesis(1))]).toEqual([15_000, 20_000]);
    // initialization is counted in minutes: it does not scale with the block window
    expect([soft(nodesToInitialize(["a"])), hard(nodesToInitialize(["a"]))]).toEqual([600_000, 900_000]);
  });
});

describe("nodesToInitialize", () => {
  it("is pending until every node has logged Node_initialization, naming the missing ones", () => {
    let s = emptyNetworkState();
    const check = nodesToInitialize(["seed", "bp1"]).start(s);
    expect(waiting(check(s))).toContain("seed, bp1");
    s = ev(s, "seed", "Node_initialization");
    const r = check(s);
    expect(isPending(r)).toBe(true);
    expect(waiting(r)).toContain("bp1");
    expect(waiting(r)).not.toContain("seed");
    s = ev(s, "bp1", "Node_initialization");
    expect(isDone(check(s))).toBe(true);
  });

  it("fails when one of its nodes crashes during the wait", () => {
    let s = emptyNetworkState();
    const check = nodesToInitialize(["seed", "bp1"]).start(s);
    s = ev(s, "bp1", "Node_crashed", { exit_code: 1 });
    expect(failure(check(s))).toContain("bp1 crashed");
  });

  it("is not failed by a crash of another node, nor by a crash before the wait (the node was restarted)", () => {
    let s = emptyNetworkState();
    s = ev(s, "bp1", "Node_crashed", { exit_code: 1 });
    s = ev(s, "bp1", "Node_started", { pid: 2 });
    const check = nodesToInitialize(["bp1"]).start(s);
    s = ev(s, "bp2", "Node_crashed", { exit_code: 1 });
    expect(isPending(check(s))).toBe(true);
    s = ev(s, "bp1", "Node_initialization");
    expect(isDone(check(s))).toBe(true);
  });
});

describe("blocksToBeProduced", () => {
  it("counts blocks from the start of the wait, not those already produced", () => {
    let s = emptyNetworkState();
    s = produced(s, "bp1", 2);
    s = produced(s, "bp1", 3);
    const check = blocksToBeProduced(2).start(s);
    // two blocks exist already: the condition is not met by them
    expect(isPending(check(s))).toBe(true);
    expect(waiting(check(s))).toContain("0 of 2");
    s = produced(s, "bp2", 4);
    expect(waiting(check(s))).toContain("1 of 2");
    s = produced(s, "bp1", 5);
    expect(isDone(check(s))).toBe(true);
  });

  it("does not count the same block twice", () => {
    let s = emptyNetworkState();
    const check = blocksToBeProduced(2).start(s);
    s = produced(s, "bp1", 2, { state_hash: "3NKsame" });
    s = produced(s, "bp1", 2, { state_hash: "3NKsame" });
    expect(isPending(check(s))).toBe(true);
  });
});

describe("blockHeightGrowth", () => {
  it("is done when the height reaches the target", () => {
    let s = emptyNetworkState();
    const check = blockHeightGrowth(3, { soft: { slots: 1 }, hard: { slots: 2 } }).start(s);
    s = produced(s, "bp1", 2);
    expect(waiting(check(s))).toContain("block height 2");
    s = produced(s, "bp1", 3);
    expect(isDone(check(s))).toBe(true);
  });
});

describe("nodesToSynchronize", () => {
  it("needs every node to have a best tip, all equal", () => {
    let s = emptyNetworkState();
    const check = nodesToSynchronize(["seed", "bp1", "bp2"]).start(s);
    expect(isPending(check(s))).toBe(true);
    s = tip(s, "seed", "3NKa");
    s = tip(s, "bp1", "3NKa");
    // bp2 has no tip yet: not synchronized even though the others agree
    const r = check(s);
    expect(isPending(r)).toBe(true);
    expect(waiting(r)).toContain("bp2=none");
    s = tip(s, "bp2", "3NKb");
    expect(isPending(check(s))).toBe(true);
    s = tip(s, "bp2", "3NKa");
    expect(isDone(check(s))).toBe(true);
    // a node moving on un-synchronizes them
    s = tip(s, "seed", "3NKc");
    expect(isPending(check(s))).toBe(true);
  });

  it("fails when one of its nodes crashes", () => {
    let s = emptyNetworkState();
    const check = nodesToSynchronize(["seed", "bp1"]).start(s);
    s = ev(s, "seed", "Node_crashed", { signal: "SIGKILL" }, "seed");
    expect(failure(check(s))).toContain("seed crashed");
  });
});

describe("signedCommandToBeIncluded", () => {
  it("is done when a block including the command is added, pending before", () => {
    let s = emptyNetworkState();
    const check = signedCommandToBeIncluded("CkpHash", "the payment").start(s);
    expect(waiting(check(s))).toContain("the payment");
    s = included(s, "CkpOther", "applied");
    expect(isPending(check(s))).toBe(true);
    s = included(s, "CkpHash", "applied");
    expect(isDone(check(s))).toBe(true);
  });

  it("fails when the command was included with a failed status, giving the reason", () => {
    let s = emptyNetworkState();
    const check = signedCommandToBeIncluded("CkpHash").start(s);
    s = included(s, "CkpHash", "failed", "Source_insufficient_balance");
    expect(failure(check(s))).toContain("Source_insufficient_balance");
  });
});

describe("ledgerProofsEmittedSinceGenesis", () => {
  it("counts blocks that generated a snarked ledger (Block_produced.snarked_ledger_generated), as Mina's executive does", () => {
    let s = emptyNetworkState();
    const check = ledgerProofsEmittedSinceGenesis(2).start(s);
    s = produced(s, "bp1", 9, { snarked_ledger_generated: true });
    s = produced(s, "bp1", 10);
    expect(waiting(check(s))).toContain("1 of 2");
    s = produced(s, "bp1", 11, { snarked_ledger_generated: true });
    expect(isDone(check(s))).toBe(true);
  });

  it("also counts a root transition that emitted a proof, once per block however many nodes log it", () => {
    let s = emptyNetworkState();
    const check = ledgerProofsEmittedSinceGenesis(2).start(s);
    s = produced(s, "bp1", 9, { state_hash: "3NKproof", snarked_ledger_generated: true });
    // every node moves its root onto the same block later: still one snarked ledger
    for (const node of ["bp1", "seed"]) s = ev(s, node, "Transition_frontier_diff_application", { root_transitioned: { new_root: "3NKproof", garbage: [], just_emitted_a_proof: true } });
    expect(waiting(check(s))).toContain("1 of 2");
    s = ev(s, "seed", "Transition_frontier_diff_application", { root_transitioned: { new_root: "3NKother", garbage: [], just_emitted_a_proof: true } }, "seed");
    expect(isDone(check(s))).toBe(true);
  });
});

describe("persistedFrontierLoaded", () => {
  it("needs a load after the start of the wait", () => {
    let s = emptyNetworkState();
    s = ev(s, "bp1", "Persisted_frontier_loaded");
    const check = persistedFrontierLoaded("bp1").start(s);
    expect(isPending(check(s))).toBe(true);
    s = ev(s, "bp2", "Persisted_frontier_loaded");
    expect(isPending(check(s))).toBe(true);
    s = ev(s, "bp1", "Persisted_frontier_loaded");
    expect(isDone(check(s))).toBe(true);
  });

  it("counts from `since` when given (a load logged before the wait was set up)", () => {
    const since = emptyNetworkState();
    const s = ev(since, "bp1", "Persisted_frontier_loaded");
    expect(isDone(persistedFrontierLoaded("bp1", { since }).start(s)(s))).toBe(true);
    expect(isPending(persistedFrontierLoaded("bp1").start(s)(s))).toBe(true);
  });
});
