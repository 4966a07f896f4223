import { describe, expect, it } from "vitest";
import { applyEvent, emptyNetworkState, type NetworkState } from "../network-state.js";
import { blockHeightToPassTipOf, blocksToBeProducedBy, nodeToInitializeAfterBootstraps, nodesToCatchUp, type CheckResult } from "./wait-conditions.js";

/* Our restart waits beside Mina's (no ported test uses nodesToCatchUp or blockHeightToPassTipOf since peers-reliability and medium-bootstrap follow their Mina sources; test-fixtures/restarts-a-node.ts uses nodeToInitializeAfterBootstraps). */
const ev = (state: NetworkState, node: string, type: string, data: Record<string, unknown> = {}) =>
  applyEvent(state, { node, role: "block-producer", type, timestamp: "2026-11-26 12:00:00.000000Z", data });
let hashes = 0;
const produced = (state: NetworkState, node: string, height: number) => ev(state, node, "Block_produced", { state_hash: `3NK${++hashes}`, block_height: height, global_slot: height, epoch: 0 });
const isDone = (r: CheckResult) => "done" in r && r.done;
const failure = (r: CheckResult) => ("failed" in r ? r.failed : undefined);

describe("blocksToBeProducedBy", () => {
  it("counts only the given producers' blocks made since the wait began", () => {
    let s = produced(emptyNetworkState(), "a", 2);
    const check = blocksToBeProducedBy(["a"], 2).start(s);
    s = produced(s, "b", 3);
    s = produced(s, "a", 4);
    expect(isDone(check(s))).toBe(false);
    s = produced(s, "a", 5);
    expect(isDone(check(s))).toBe(true);
  });

  it("fails when one of the producers crashes", () => {
    const s = emptyNetworkState();
    const check = blocksToBeProducedBy(["a"], 1).start(s);
    expect(failure(check(ev(s, "a", "Node_crashed", { exit_code: 1 })))).toMatch(/a crashed/);
  });
});

describe("blockHeightToPassTipOf", () => {
  it("waits for the height to pass the node's tip height by n", () => {
    let s = produced(emptyNetworkState(), "a", 4);
    s = ev(s, "c", "Transition_frontier_diff_application", { best_tip_changed: `3NK${hashes}` });
    const check = blockHeightToPassTipOf("c", 3).start(s);
    s = produced(s, "a", 6);
    expect(isDone(check(s))).toBe(false);
    s = produced(s, "a", 7);
    expect(isDone(check(s))).toBe(true);
  });

  it("takes the tip a stopped node had when it went down (a stopped node has no best tip, as in Mina)", () => {
    let s = produced(emptyNetworkState(), "a", 4);
    s = ev(s, "c", "Transition_frontier_diff_application", { best_tip_changed: `3NK${hashes}` });
    s = ev(s, "c", "Node_stopped");
    expect(s.bestTips["c"]).toBeUndefined();
    const check = blockHeightToPassTipOf("c", 1).start(s);
    expect(isDone(check(produced(s, "a", 5)))).toBe(true);
  });

  it("fails when the node's tip height is unknown", () => {
    const s = emptyNetworkState();
    expect(failure(blockHeightToPassTipOf("c", 3).start(s)(s))).toMatch(/height of c's best tip is not known/);
  });
});

describe("nodesToCatchUp", () => {
  const tip = (s: NetworkState, node: string, hash: string) => ev(s, node, "Transition_frontier_diff_application", { new_node: hash, best_tip_changed: hash });
  const down = (s: NetworkState, node: string) => ev(ev(s, node, "Node_stopped"), node, "Node_started");

  it("is done when every node's new best tip reaches the network's height at the start of the wait", () => {
    let s = produced(emptyNetworkState(), "a", 3);
    const old = `3NK${hashes}`;
    s = tip(tip(s, "b", old), "c", old);
    s = down(down(s, "b"), "c");
    s = produced(s, "a", 4);
    const h4 = `3NK${hashes}`;
    s = produced(s, "a", 5);
    const h5 = `3NK${hashes}`;
    const check = nodesToCatchUp(["b", "c"]).start(s);
    expect(check(s)).toMatchObject({ done: false, waitingFor: expect.stringContaining("not yet at height 5: b (best tip none") });
    s = tip(s, "b", h4);
    s = tip(s, "c", h5);
    expect(isDone(check(s))).toBe(false);
    s = tip(s, "b", h5);
    expect(isDone(check(s))).toBe(true);
  });

  it("does not take the tip a node had before it went down", () => {
    let s = produced(emptyNetworkState(), "a", 3);
    s = tip(s, "b", `3NK${hashes}`);
    s = ev(s, "b", "Node_stopped");
    expect(isDone(nodesToCatchUp(["b"]).start(s)(s))).toBe(false);
  });

  it("fails when a node bootstraps instead, counted from `since` when given", () => {
    const s = emptyNetworkState();
    const check = nodesToCatchUp(["b"]).start(s);
    expect(failure(check(ev(s, "b", "Bootstrap_required")))).toMatch(/b bootstrapped instead of catching up/);
    const after = ev(s, "b", "Bootstrap_required");
    expect(failure(nodesToCatchUp(["b"], { since: s }).start(after)(after))).toMatch(/b bootstrapped/);
  });
});

describe("nodeToInitializeAfterBootstraps", () => {
  const restart = (s: NetworkState) => ev(ev(s, "c", "Node_stopped"), "c", "Node_started");

  it("is done when the node initializes after exactly the expected bootstraps", () => {
    let s = restart(ev(emptyNetworkState(), "c", "Node_initialization"));
    const check = nodeToInitializeAfterBootstraps("c", 1).start(s);
    s = ev(s, "c", "Bootstrap_required");
    expect(isDone(check(s))).toBe(false);
    expect(isDone(check(ev(s, "c", "Node_initialization")))).toBe(true);
  });

  it("fails at once when the node initializes after another number of bootstraps", () => {
    let s = restart(emptyNetworkState());
    const check = nodeToInitializeAfterBootstraps("c", 1).start(s);
    s = ev(s, "c", "Node_initialization");
    expect(failure(check(s))).toBe("c initialized after 0 bootstraps, expected 1");
    const zero = nodeToInitializeAfterBootstraps("c", 0).start(restart(s));
    expect(failure(zero(ev(ev(restart(s), "c", "Bootstrap_required", {}), "c", "Node_initialization")))).toBe("c initialized after 1 bootstraps, expected 0");
  });

  it("counts bootstraps from `since` (logged before the wait was set up)", () => {
    const since = ev(ev(emptyNetworkState(), "c", "Node_initialization"), "c", "Node_stopped");
    const s = ev(ev(ev(since, "c", "Node_started"), "c", "Bootstrap_required"), "c", "Node_initialization");
    expect(isDone(nodeToInitializeAfterBootstraps("c", 1, { since }).start(s)(s))).toBe(true);
    // without it, the restart that already happened is missed: the wait would sit until its timeout
    expect(nodeToInitializeAfterBootstraps("c", 1).start(s)(s)).toEqual({ done: false, waitingFor: "c has not restarted yet" });
  });

  it("does not count an initialization from before the wait (a node not restarted yet)", () => {
    const s = ev(emptyNetworkState(), "c", "Node_initialization");
    const check = nodeToInitializeAfterBootstraps("c", 0).start(s);
    expect(isDone(check(s))).toBe(false);
    // the runner checks every state, so the restart (initialized: false) is seen before the new initialization
    const restarted = restart(s);
    expect(isDone(check(restarted))).toBe(false);
    expect(isDone(check(ev(restarted, "c", "Node_initialization")))).toBe(true);
  });
});
