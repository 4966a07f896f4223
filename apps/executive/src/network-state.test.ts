import { describe, expect, it } from "vitest";
import type { NodeRole } from "@mina-local/engine";
import { applyEvent, emptyNetworkState, logErrorOf, type NetworkState, type StateEvent } from "./network-state.js";

/*
 * Events as the bus delivers them ({node, role, type, timestamp, data}), with the event
 * parser's data: the field names of Mina's event_type.ml records (the #14 contract).
 */
const TIMESTAMP = "2023-11-11 13:25:54.414332Z";
const HASH = (n: number) => `3NK${String(n).padStart(10, "0")}`;
const BP1 = "B62qbp1";
const BP2 = "B62qbp2";

const event = (node: string, role: NodeRole, type: string, data: Record<string, unknown> = {}): StateEvent => ({ node, role, type, timestamp: TIMESTAMP, data });
const apply = (state: NetworkState, node: string, role: NodeRole, type: string, data: Record<string, unknown> = {}) => applyEvent(state, event(node, role, type, data));

const blockProduced = (hash: string, height: number, slot: number, options: { creator?: string; epoch?: number; proof?: boolean } = {}) => ({
  block_height: height,
  epoch: options.epoch ?? 0,
  global_slot: slot,
  snarked_ledger_generated: options.proof ?? false,
  state_hash: hash,
  previous_state_hash: HASH(0),
  creator: options.creator ?? BP1,
});

const command = (hash: string, status: "applied" | "failed", failure?: string) => ({
  hash,
  kind: "payment",
  fee_payer: BP1,
  receiver: BP2,
  amount: "1000000000",
  fee: "10000000",
  nonce: 0,
  status,
  ...(failure && { failure }),
});

describe("applyEvent (Network_state)", () => {
  it("counts each produced block once, by state hash, and keeps the greatest height, slot and epoch", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", "Block_produced", blockProduced(HASH(1), 2, 3, { creator: BP1 }));
    s = apply(s, "bp2", "block-producer", "Block_produced", blockProduced(HASH(2), 3, 5, { creator: BP2, epoch: 1 }));
    // the same block seen again (a duplicated message on the bus) must not count twice
    s = apply(s, "bp2", "block-producer", "Block_produced", blockProduced(HASH(2), 3, 5, { creator: BP2, epoch: 1 }));
    // a lower block produced later (a fork) counts but does not lower the height
    s = apply(s, "bp1", "block-producer", "Block_produced", blockProduced(HASH(3), 2, 6, { creator: BP1 }));

    expect(s.blocksProduced).toBe(3);
    expect(s.blocksProducedBy).toEqual({ bp1: 2, bp2: 1 });
    expect(s.blockHeight).toBe(3);
    expect(s.globalSlot).toBe(6);
    expect(s.epoch).toBe(1);
    expect(s.producedStateHashes[HASH(2)]).toEqual({ node: "bp2", height: 3, slot: 5 });
    expect(s.heights[HASH(1)]).toBe(2);
  });

  it("counts snarked ledgers from produced blocks that generated one, and from roots that just emitted a proof, once per block", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", "Block_produced", blockProduced(HASH(1), 2, 3, { proof: true }));
    s = apply(s, "bp1", "block-producer", "Block_produced", blockProduced(HASH(2), 3, 4, { proof: false }));
    expect(s.snarkedLedgersGenerated).toBe(1);
    // the block becomes the root on every node later: the same proof
    s = apply(s, "seed", "seed", "Transition_frontier_diff_application", { root_transitioned: { new_root: HASH(1), garbage: [], just_emitted_a_proof: true } });
    s = apply(s, "seed", "seed", "Transition_frontier_diff_application", { root_transitioned: { new_root: HASH(2), garbage: [HASH(9)], just_emitted_a_proof: false } });
    expect(s.snarkedLedgersGenerated).toBe(1);
    // a block we did not see produced (its producer's line was lost, or a node outside the run)
    s = apply(s, "seed", "seed", "Transition_frontier_diff_application", { root_transitioned: { new_root: HASH(7), garbage: [], just_emitted_a_proof: true } });
    expect(s.snarkedLedgersGenerated).toBe(2);
  });

  it("tracks each node's best tip and the blocks it added from frontier diffs, ignoring diffs that do not change the tip", () => {
    let s = emptyNetworkState();
    s = apply(s, "seed", "seed", "Transition_frontier_diff_application", { new_node: HASH(1), best_tip_changed: HASH(1) });
    s = apply(s, "bp1", "block-producer", "Transition_frontier_diff_application", { best_tip_changed: HASH(2) });
    s = apply(s, "seed", "seed", "Transition_frontier_diff_application", { new_node: HASH(3), root_transitioned: { new_root: HASH(0), garbage: [] } });
    expect(s.bestTips).toEqual({ seed: HASH(1), bp1: HASH(2) });
    expect(s.blocksSeen).toEqual({ seed: { [HASH(1)]: true, [HASH(3)]: true } });
  });

  it("drops a node's best tip when it goes offline (Mina's Node_offline), keeping it as its last known tip", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", "Transition_frontier_diff_application", { best_tip_changed: HASH(2) });
    s = apply(s, "bp2", "block-producer", "Transition_frontier_diff_application", { best_tip_changed: HASH(2) });
    s = apply(s, "bp1", "block-producer", "Node_offline");
    s = apply(s, "bp2", "block-producer", "Node_stopped", { exit_code: 0 });
    expect(s.bestTips).toEqual({});
    expect(s.lastBestTips).toEqual({ bp1: HASH(2), bp2: HASH(2) });
  });

  it("records included commands by hash with their status, keeping the first block that included them, and the blocks each node added", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", "Breadcrumb_added", {
      state_hash: HASH(4),
      user_commands: [command("CkpApplied", "applied"), command("CkpFailed", "failed", "Source_insufficient_balance")],
    });
    // another node adding the same command in another block later must not move the record
    s = apply(s, "seed", "seed", "Breadcrumb_added", { state_hash: HASH(5), user_commands: [command("CkpApplied", "applied")] });
    s = apply(s, "seed", "seed", "Breadcrumb_added", { state_hash: HASH(6), user_commands: [] });

    expect(s.includedCommands["CkpApplied"]).toMatchObject({ hash: "CkpApplied", stateHash: HASH(4), node: "bp1", status: "applied" });
    expect(s.includedCommands["CkpFailed"]).toMatchObject({ stateHash: HASH(4), status: "failed", failure: "Source_insufficient_balance" });
    expect(s.includedCommands["CkpUnknown"]).toBeUndefined();
    expect(s.blocksSeen).toEqual({ bp1: { [HASH(4)]: true }, seed: { [HASH(5)]: true, [HASH(6)]: true } });
  });

  it("tracks initialization: set by Node_initialization, reset when the daemon stops, goes offline, crashes or starts again", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", "Node_started", { pid: 42 });
    expect(s.online["bp1"]).toBe(true);
    expect(s.initialized["bp1"]).toBe(false);
    s = apply(s, "bp1", "block-producer", "Node_initialization");
    expect(s.initialized["bp1"]).toBe(true);

    s = apply(s, "bp1", "block-producer", "Node_stopped", { exit_code: 0 });
    expect(s.online["bp1"]).toBe(false);
    expect(s.initialized["bp1"]).toBe(false);
    expect(s.errors).toEqual([]);

    s = apply(s, "bp1", "block-producer", "Node_initialization");
    s = apply(s, "bp1", "block-producer", "Node_offline");
    expect(s.initialized["bp1"]).toBe(false);
    s = apply(s, "bp1", "block-producer", "Node_initialization");
    s = apply(s, "bp1", "block-producer", "Node_started", { pid: 43 });
    expect(s.initialized["bp1"]).toBe(false);
  });

  it("records a crash as a hard error naming the node and how it died", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", "Node_initialization");
    s = apply(s, "bp1", "block-producer", "Node_crashed", { exit_code: 137 });
    expect(s.crashed["bp1"]).toMatchObject({ exitCode: 137, timestamp: TIMESTAMP });
    expect(s.online["bp1"]).toBe(false);
    expect(s.initialized["bp1"]).toBe(false);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatchObject({ node: "bp1", severity: "hard" });
    expect(s.errors[0]?.message).toContain("137");

    s = apply(s, "bp2", "block-producer", "Node_crashed", { signal: "SIGSEGV" });
    expect(s.errors[1]).toMatchObject({ node: "bp2", severity: "hard" });
    expect(s.errors[1]?.message).toContain("SIGSEGV");
  });

  it("counts Mina's persistence events per node", () => {
    let s = emptyNetworkState();
    for (const type of ["Node_started", "Persisted_frontier_fresh_boot", "Persisted_frontier_dropped", "Persisted_frontier_loaded", "Transition_frontier_loaded_from_persistence"])
      s = apply(s, "bp1", "block-producer", type);
    s = apply(s, "bp2", "block-producer", "Persisted_frontier_loaded");
    expect(s.persistedFrontierFreshBoots).toEqual({ bp1: 1 });
    expect(s.persistedFrontierDropped).toEqual({ bp1: 1 });
    expect(s.persistedFrontierLoaded).toEqual({ bp1: 1, bp2: 1 });
    expect(s.frontierLoadedFromPersistence).toEqual({ bp1: 1 });
    expect(s.bootstraps).toEqual({});
  });

  it("counts a bootstrap as Mina's daemon shows one: Bootstrap_required, or a second frontier load since the daemon started", () => {
    const boot = (s: NetworkState, node: string, events: string[]) => events.reduce((state, type) => apply(state, node, "block-producer", type), apply(s, node, "block-producer", "Node_started"));
    // down more than k blocks: the router finds the network too far ahead, bootstraps, and the bootstrap controller loads the frontier again
    let s = boot(emptyNetworkState(), "a", [
      "Persisted_frontier_loaded",
      "Transition_frontier_loaded_from_persistence",
      "Persisted_frontier_loaded",
      "Transition_frontier_loaded_from_persistence",
      "Node_initialization",
    ]);
    expect(s.bootstraps).toEqual({ a: 1 });
    // its persisted frontier cannot be fast-forwarded: Bootstrap_required, then one load when the bootstrap is done
    s = boot(s, "b", ["Transition_frontier_loaded_from_persistence", "Bootstrap_required", "Persisted_frontier_dropped", "Persisted_frontier_loaded", "Node_initialization"]);
    expect(s.bootstraps).toEqual({ a: 1, b: 1 });
    // a restart that catches up loads once; so does a fresh boot (reset to genesis, then loaded)
    s = boot(s, "a", ["Persisted_frontier_loaded", "Transition_frontier_loaded_from_persistence", "Node_initialization"]);
    s = boot(s, "c", ["Persisted_frontier_fresh_boot", "Persisted_frontier_dropped", "Persisted_frontier_loaded", "Node_initialization"]);
    expect(s.bootstraps).toEqual({ a: 1, b: 1 });
    // a fresh boot far behind the network: loaded from genesis, then again after the bootstrap
    s = boot(s, "c", ["Persisted_frontier_fresh_boot", "Persisted_frontier_dropped", "Persisted_frontier_loaded", "Persisted_frontier_loaded", "Node_initialization"]);
    expect(s.bootstraps).toEqual({ a: 1, b: 1, c: 1 });
  });

  it("keeps log errors out of the state (a real daemon logs thousands of Warn lines), and counts unparsable lines with the first ones kept", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", "Log_error", { level: "Error", severity: "hard", module: "Block_producer", message: "x", metadata: {} });
    expect(s.errors).toEqual([]);
    for (let i = 0; i < 60; i++) s = apply(s, "seed", "seed", "Parse_error", { reason: `Block_produced: bad metadata ${i}`, raw: "{}", raw_length: 2 });
    expect(s.parseErrors).toBe(60);
    expect(s.unparsable).toHaveLength(50);
    expect(s.unparsable[0]).toEqual({ node: "seed", reason: "Block_produced: bad metadata 0", timestamp: TIMESTAMP });
  });

  it("tracks gossip received by hash and sent by count, per node and direction", () => {
    const sender = { peer_id: "12D3KooWx", host: "10.0.0.2", libp2p_port: 8302 };
    let s = emptyNetworkState();
    s = apply(s, "seed", "seed", "Block_gossip", { direction: "Received", state_hash: HASH(1), sender });
    s = apply(s, "seed", "seed", "Block_gossip", { direction: "Received", state_hash: HASH(1), sender: "Local" });
    s = apply(s, "bp1", "block-producer", "Block_gossip", { direction: "Sent", state_hash: HASH(1) });
    s = apply(s, "seed", "seed", "Transactions_gossip", { direction: "Received", hashes: ["Ckp1", "Ckp2"], sender });
    s = apply(s, "bp1", "block-producer", "Transactions_gossip", { direction: "Sent", hashes: ["Ckp1"] });
    s = apply(s, "seed", "seed", "Snark_work_gossip", { direction: "Received", work_ids: ["1-2"], fee: "25000000", prover: BP1, sender });
    s = apply(s, "coord", "snark-coordinator", "Snark_work_gossip", { direction: "Sent", work_ids: ["1-2"], fee: "25000000", prover: BP1 });
    s = apply(s, "worker", "snark-worker", "Snark_work_failed", { error: ["prover died"] });

    expect(s.gossip.blocksReceived).toEqual({ seed: { [HASH(1)]: true } });
    expect(s.gossip.blocksSent).toEqual({ bp1: 1 });
    expect(s.gossip.transactionsReceived).toEqual({ seed: { Ckp1: true, Ckp2: true } });
    expect(s.gossip.transactionsSent).toEqual({ bp1: 1 });
    // Mina's Gossip_state: each node's diffs by direction (a diff named by its commands)
    expect(s.gossip.transactionDiffs).toEqual({ seed: { sent: {}, received: { "Ckp1,Ckp2": true } }, bp1: { sent: { Ckp1: true }, received: {} } });
    expect(s.gossip.snarkWorkReceived).toEqual({ seed: 1 });
    expect(s.gossip.snarkWorkSent).toEqual({ coord: 1 });
    expect(s.snarkWorkFailed).toBe(1);
  });

  it("is pure: the previous state is left unchanged, and every event is counted", () => {
    const before = emptyNetworkState();
    const snapshot = structuredClone(before);
    const after = apply(before, "bp1", "block-producer", "Block_produced", blockProduced(HASH(1), 2, 3));
    expect(before).toEqual(snapshot);
    expect(after.eventsSeen).toBe(1);
    expect(apply(after, "bp1", "block-producer", "Something_new").eventsSeen).toBe(2);
  });
});

describe("logErrorOf", () => {
  const logError = (level: string, message: string, metadata: Record<string, unknown> = {}, module = "Gossip") =>
    logErrorOf(event("seed", "seed", "Log_error", { level, severity: level === "Warn" || level === "Faulty_peer" ? "soft" : "hard", module, message, metadata }));

  it("takes Warn and Faulty_peer lines as soft errors, Error and Fatal as hard, with the message filled in from the metadata", () => {
    expect(logError("Warn", "Peer $peer is slow", { peer: "12D3KooWpeer" })).toEqual({
      node: "seed",
      level: "Warn",
      severity: "soft",
      message: "(Gossip) Peer 12D3KooWpeer is slow",
      timestamp: TIMESTAMP,
    });
    expect(logError("Faulty_peer", "Bad block from peer")?.severity).toBe("soft");
    expect(logError("Error", "Failed to produce a block: $error", { error: { kind: "no vrf" } }, "Block_producer")).toMatchObject({
      severity: "hard",
      message: '(Block_producer) Failed to produce a block: {"kind":"no vrf"}',
    });
    expect(logError("Fatal", "Out of memory")?.severity).toBe("hard");
  });

  it("derives the severity from the level when the event does not say it, and ignores other events", () => {
    expect(logErrorOf(event("seed", "seed", "Log_error", { level: "Faulty_peer", message: "m" }))?.severity).toBe("soft");
    expect(logErrorOf(event("seed", "seed", "Log_error", { level: "Fatal", message: "m" }))?.severity).toBe("hard");
    expect(logErrorOf(event("seed", "seed", "Block_produced", {}))).toBeUndefined();
  });
});
