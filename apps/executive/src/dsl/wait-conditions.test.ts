import { describe, expect, it } from "vitest";
import type { NodeRole } from "@mina-local/engine";
import { applyEvent, emptyNetworkState, type NetworkState } from "../network-state.js";
import {
  blockHeightGrowth,
  blockProducerKnown,
  networkStatePredicate,
  producerOf,
  spanMs,
  transitionFrontierLoadedFromPersistence,
  withTimeouts,
  zkappCommandToBeIncluded,
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

const CONSTANTS = { blockWindowDurationMs: 1000, slotsPerEpoch: 48, workDelay: 1, transactionCapacityLog2: 2 };

describe("timeoutMs (Mina's Network_time_span)", () => {
  it("converts slots with the block window and keeps milliseconds as they are", () => {
    expect(timeoutMs({ slots: 5 }, 20_000)).toBe(100_000);
    expect(timeoutMs({ slots: 5 }, 10)).toBe(50);
    expect(timeoutMs({ ms: 1234 }, 20_000)).toBe(1234);
  });

  it("converts epochs with slots_per_epoch and the block window", () => {
    expect(spanMs({ epochs: 2 }, CONSTANTS)).toBe(2 * 48 * 1000);
    expect(() => timeoutMs({ epochs: 1 }, 1000)).toThrow(/slots_per_epoch/);
  });

  it("with_timeouts replaces either timeout and keeps the other", () => {
    const changed = withTimeouts(blocksToBeProduced(1), { hard: { epochs: 1 } });
    expect(changed.softTimeout).toEqual({ slots: 3 });
    expect(changed.hardTimeout).toEqual({ epochs: 1 });
  });

  it("gives Mina's soft and hard timeouts for each condition", () => {
    const window = 1000;
    const soft = (c: { softTimeout: Parameters<typeof timeoutMs>[0] }) => timeoutMs(c.softTimeout, window);
    const hard = (c: { hardTimeout: Parameters<typeof timeoutMs>[0] }) => timeoutMs(c.hardTimeout, window);
    expect([soft(blocksToBeProduced(3)), hard(blocksToBeProduced(3))]).toEqual([7_000, 14_000]);
    expect([soft(blockHeightGrowth(3)), hard(blockHeightGrowth(3))]).toEqual([7_000, 14_000]);
    expect([soft(nodesToSynchronize(["a"])), hard(nodesToSynchronize(["a"]))]).toEqual([4_000, 6_000]);
    expect([soft(signedCommandToBeIncluded("x")), hard(signedCommandToBeIncluded("x"))]).toEqual([8_000, 16_000]);
    expect([soft(zkappCommandToBeIncluded("x")), hard(zkappCommandToBeIncluded("x"))]).toEqual([8_000, 16_000]);
    expect([soft(persistedFrontierLoaded("a")), hard(persistedFrontierLoaded("a"))]).toEqual([4_000, 8_000]);
    // Mina's test_config.ml: (work_delay + 1) * (log2 capacity + 1) + 1 = 7 blocks -> 10 slots, 1 more proof -> 2 slots; + 6 / + 12
    expect([soft(ledgerProofsEmittedSinceGenesis(2, CONSTANTS)), hard(ledgerProofsEmittedSinceGenesis(2, CONSTANTS))]).toEqual([18_000, 24_000]);
    expect([soft(transitionFrontierLoadedFromPersistence({ freshData: false, syncNeeded: false })), hard(transitionFrontierLoadedFromPersistence({ freshData: false, syncNeeded: false }))]).toEqual([
      600_000, 900_000,
    ]);
    expect([soft(networkStatePredicate("x", () => true)), hard(networkStatePredicate("x", () => true))]).toEqual([3_600_000, 7_200_000]);
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

  it("counts chain height growth, as Mina's Network_state counts blocks_generated: a fork of the same height does not count", () => {
    let s = emptyNetworkState();
    s = produced(s, "bp1", 2);
    const check = blocksToBeProduced(2).start(s);
    s = produced(s, "bp1", 3);
    // bp2's block at height 3 too: a fork, no growth
    s = produced(s, "bp2", 3);
    expect(waiting(check(s))).toContain("1 of 2");
    s = produced(s, "bp2", 4);
    expect(isDone(check(s))).toBe(true);
  });
});

describe("blockHeightGrowth", () => {
  it("counts growth from the block height at the start of the wait, not an absolute height", () => {
    let s = emptyNetworkState();
    s = produced(s, "bp1", 5);
    const check = blockHeightGrowth(2).start(s);
    // height 5 already reached 2 in absolute terms: not done
    expect(isPending(check(s))).toBe(true);
    s = produced(s, "bp1", 6);
    expect(waiting(check(s))).toContain("grown 1 of 2");
    s = produced(s, "bp2", 6);
    expect(isPending(check(s))).toBe(true);
    s = produced(s, "bp1", 7);
    expect(isDone(check(s))).toBe(true);
  });
});

describe("networkStatePredicate (Mina's Wait_condition.network_state)", () => {
  it("waits on any predicate over the network state", () => {
    let s = emptyNetworkState();
    const check = networkStatePredicate("bp2 to produce a block", (state) => (state.blocksProducedBy["bp2"] ?? 0) > 0).start(s);
    s = produced(s, "bp1", 2);
    expect(isPending(check(s))).toBe(true);
    s = produced(s, "bp2", 3);
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

  it("on a given node: done only once a block including the command is in that node's frontier", () => {
    let s = emptyNetworkState();
    const check = signedCommandToBeIncluded("CkpHash", "the payment", { node: "bp2" }).start(s);
    const added = {
      node: "seed",
      role: "seed" as const,
      type: "Breadcrumb_added",
      timestamp: "2026-11-26 12:00:00.000000Z",
      data: { state_hash: "3NKblock", user_commands: [{ hash: "CkpHash", status: "applied" }] },
    };
    s = applyEvent(s, added);
    // the seed has it; bp2 has not seen that block yet
    expect(waiting(check(s, added))).toContain("none yet in bp2's frontier");
    // bp2 adds another block that includes it (a fork): that counts too
    const onFork = { ...added, node: "bp2", data: { state_hash: "3NKfork", user_commands: [{ hash: "CkpHash", status: "applied" }] } };
    s = applyEvent(s, onFork);
    expect(isDone(check(s, onFork))).toBe(true);
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
    const check = ledgerProofsEmittedSinceGenesis(2, CONSTANTS).start(s);
    s = produced(s, "bp1", 9, { snarked_ledger_generated: true });
    s = produced(s, "bp1", 10);
    expect(waiting(check(s))).toContain("1 of 2");
    s = produced(s, "bp1", 11, { snarked_ledger_generated: true });
    expect(isDone(check(s))).toBe(true);
  });

  it("also counts a root transition that emitted a proof, once per block however many nodes log it", () => {
    let s = emptyNetworkState();
    const check = ledgerProofsEmittedSinceGenesis(2, CONSTANTS).start(s);
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

describe("zkappCommandToBeIncluded (an event predicate on Breadcrumb_added)", () => {
  const added = (hash: string, status: string) => ({
    node: "bp1",
    role: "block-producer" as const,
    type: "Breadcrumb_added",
    timestamp: "2026-11-26 12:00:00.000000Z",
    data: {
      state_hash: "3NKz",
      user_commands: [
        { hash: "CkpOther", status: "applied" },
        { hash, status },
      ],
    },
  });

  it("is done when a Breadcrumb_added lists the command as applied, and ignores other events", () => {
    const s = emptyNetworkState();
    const check = zkappCommandToBeIncluded("5JuZk").start(s);
    expect(isPending(check(s))).toBe(true);
    expect(isPending(check(s, { ...added("5JuZk", "applied"), type: "Block_produced" }))).toBe(true);
    expect(isPending(check(s, added("5JuOther", "applied")))).toBe(true);
    expect(isDone(check(s, added("5JuZk", "applied")))).toBe(true);
  });

  it("fails on an unexpected status; with hasFailures a failed command is the one expected", () => {
    const s = emptyNetworkState();
    expect(failure(zkappCommandToBeIncluded("5JuZk").start(s)(s, added("5JuZk", "failed")))).toContain("Unexpected status");
    expect(isDone(zkappCommandToBeIncluded("5JuZk", { hasFailures: true }).start(s)(s, added("5JuZk", "failed")))).toBe(true);
    expect(failure(zkappCommandToBeIncluded("5JuZk", { hasFailures: true }).start(s)(s, added("5JuZk", "applied")))).toContain("Unexpected status");
  });

  it("misses a block from before the wait, as Mina's; with `since` (ours) a block after that state counts, with its status", () => {
    const before = emptyNetworkState();
    const after = applyEvent(before, added("5JuZk", "failed"));
    expect(isPending(zkappCommandToBeIncluded("5JuZk").start(after)(after))).toBe(true);
    expect(failure(zkappCommandToBeIncluded("5JuZk", { since: before }).start(after)(after))).toContain("Unexpected status");
    expect(isDone(zkappCommandToBeIncluded("5JuZk", { since: before, hasFailures: true }).start(after)(after))).toBe(true);
    // included before `since` too: only a new event counts
    expect(isPending(zkappCommandToBeIncluded("5JuZk", { since: after, hasFailures: true }).start(after)(after))).toBe(true);
  });
});

describe("transitionFrontierLoadedFromPersistence", () => {
  it("needs a frontier loaded and one from persistence since the wait; no fresh boot nor bootstrap when not asked", () => {
    let s = emptyNetworkState();
    s = ev(s, "bp1", "Persisted_frontier_loaded");
    const check = transitionFrontierLoadedFromPersistence({ freshData: false, syncNeeded: false }).start(s);
    s = ev(s, "bp2", "Node_started");
    s = ev(s, "bp2", "Persisted_frontier_loaded");
    expect(isPending(check(s))).toBe(true);
    s = ev(s, "bp2", "Transition_frontier_loaded_from_persistence");
    expect(isDone(check(s))).toBe(true);
    // a fresh boot since the wait: not what was asked
    expect(isPending(check(ev(s, "bp2", "Persisted_frontier_fresh_boot")))).toBe(true);
  });

  it("with fresh data, needs a fresh boot and a dropped frontier too", () => {
    let s = emptyNetworkState();
    const check = transitionFrontierLoadedFromPersistence({ freshData: true, syncNeeded: true }).start(s);
    s = ev(s, "bp1", "Persisted_frontier_loaded");
    s = ev(s, "bp1", "Transition_frontier_loaded_from_persistence");
    s = ev(s, "bp1", "Persisted_frontier_fresh_boot");
    expect(isPending(check(s))).toBe(true);
    s = ev(s, "bp1", "Persisted_frontier_dropped");
    expect(isDone(check(s))).toBe(true);
  });

  it("with since, counts the events logged between that state and the start of the wait (a node restarted just before)", () => {
    let s = emptyNetworkState();
    s = ev(s, "bp1", "Persisted_frontier_loaded");
    const since = s;
    s = ev(s, "bp1", "Node_started");
    s = ev(s, "bp1", "Persisted_frontier_loaded");
    s = ev(s, "bp1", "Transition_frontier_loaded_from_persistence");
    expect(isPending(transitionFrontierLoadedFromPersistence({ freshData: false, syncNeeded: false }).start(s)(s))).toBe(true);
    expect(isDone(transitionFrontierLoadedFromPersistence({ freshData: false, syncNeeded: false, since }).start(s)(s))).toBe(true);
  });
});

describe("blockProducerKnown: which node produced a block, judged on the producer's own event", () => {
  it("waits when another node's Breadcrumb_added for the block arrives before the producer's Block_produced", () => {
    let s = emptyNetworkState();
    const check = blockProducerKnown("3NKdelegation").start(s);
    // bp2 received the block and added it: its line reached the bus first
    s = ev(s, "bp2", "Breadcrumb_added", { state_hash: "3NKdelegation", user_commands: [{ hash: "CkpDelegation", status: "applied" }] });
    expect(s.includedCommands["CkpDelegation"]?.node).toBe("bp2");
    expect(producerOf(s, "3NKdelegation")).toBeUndefined();
    expect(waiting(check(s))).toContain("no Block_produced for 3NKdelegation");
    // then bp1's own Block_produced: now, and only now, the producer is known, and it is bp1 (not the first reporter)
    s = produced(s, "bp1", 7, { state_hash: "3NKdelegation", global_slot: 30 });
    expect(isDone(check(s))).toBe(true);
    expect(producerOf(s, "3NKdelegation")).toEqual({ node: "bp1", height: 7, slot: 30 });
  });

  it("is done at once when the producer's event came first", () => {
    let s = emptyNetworkState();
    s = produced(s, "bp1", 3, { state_hash: "3NKfirst" });
    expect(isDone(blockProducerKnown("3NKfirst").start(s)(s))).toBe(true);
  });
});
