import { describe, expect, it } from "vitest";
import { applyEvent, emptyNetworkState, type NetworkState } from "../network-state.js";
import { blockHeightToPassTipOf, blocksToBeProducedBy, nodeToInitializeAfterBootstraps, nodesToCatchUp, type CheckResult } from "./wait-conditions.js";

/* The wait conditions of the restart tests (peers-reliability, chain-reliability, medium-bootstrap). */
const ev = (state: NetworkState, node: string, type: string, data: Record<string, unknown> = {}) =>
  applyEvent(state, { node, role: "block-producer", type, timestamp: "2026-11-26 12:00:00.000000Z", data });
let hashes = 0;
const produced = (state: NetworkState, node: string, height: number) =>
  ev(state, node, "Block_produced", { state_hash: `3NK${++hashes}`, block_height: height, global_slot: height, epoch: 0 });
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

  it("fails when the node's tip height is unknown", () => {
    const s = emptyNetworkState();
    expect(failure(blockHeightToPassTipOf("c", 3).start(s)(s))).toMatch(/height of c's best tip is not known/);
  });
});

describe("nodesToCatchUp", () => {
  it("is done when every node completed a catch-up since the wait began", () => {
    let s = ev(emptyNetworkState(), "b", "Catchup_complete", { count: 1 });
    const check = nodesToCatchUp(["b", "c"]).start(s);
    s = ev(s, "c", "Catchup_complete", { count: 2 });
    expect(isDone(check(s))).toBe(false);
    s = ev(s, "b", "Catchup_complete", { count: 2 });
    expect(isDone(check(s))).toBe(true);
  });

  it("fails when a node bootstraps instead", () => {
    const s = emptyNetworkState();
    const check = nodesToCatchUp(["b"]).start(s);
    expect(failure(check(ev(s, "b", "Bootstrap_required", { best_tip_length: 30, own_length: 3 })))).toMatch(/b bootstrapped instead of catching up/);
  });
});

describe("nodeToInitializeAfterBootstraps", () => {
  const restart = (s: NetworkState) => ev(ev(s, "c", "Node_stopped"), "c", "Node_started");

  it("is done when the node initializes after exactly the expected bootstraps", () => {
    let s = restart(ev(emptyNetworkState(), "c", "Node_initialization"));
    const check = nodeToInitializeAfterBootstraps("c", 1).start(s);
    s = ev(s, "c", "Bootstrap_required", { best_tip_length: 9, own_length: 3 });
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
