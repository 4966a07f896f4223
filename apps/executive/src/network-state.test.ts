import { describe, expect, it } from "vitest";
import { eventIdOf, STRUCTURED_EVENTS, type NodeRole, type StructuredEventName } from "@mina-local/engine";
import { parseLine } from "@mina-local/event-parser";
import { applyEvent, emptyNetworkState, type NetworkState, type StateEvent } from "./network-state.js";

/*
 * Events are made the way the network makes them: a Mina-shaped log line (as daemon-sim
 * and the forwarder print it) goes through the real event parser, and each event it yields
 * is applied as the bus would deliver it ({node, role, type, timestamp, data}). So a field
 * read under a wrong name shows up here.
 */
const TIMESTAMP = "2026-11-26 12:00:00.123456Z";
const HASH = (n: number) => `3NK${String(n).padStart(10, "0")}`;
const BP1 = "B62qbp1";
const BP2 = "B62qbp2";
const RECEIVER = "B62qreceiver";

function line(level: string, module: string, message: string, metadata: Record<string, unknown>, eventId?: string): string {
  return JSON.stringify({
    timestamp: TIMESTAMP,
    level,
    source: { module, location: 'File "src/lib/x.ml", line 1' },
    message,
    metadata,
    ...(eventId && { event_id: eventId }),
  });
}

function eventsOf(node: string, role: NodeRole, text: string): StateEvent[] {
  const parsed = parseLine(text);
  if (parsed.kind === "error") return [{ node, role, type: "Parse_error", timestamp: TIMESTAMP, data: { reason: parsed.reason, raw: parsed.raw, raw_length: parsed.raw.length } }];
  if (parsed.kind === "log") return [];
  return parsed.events.map((e) => ({ node, role, type: e.type, timestamp: parsed.line.timestamp, data: e.data as unknown as Record<string, unknown> }));
}

const structured = (name: StructuredEventName, metadata: Record<string, unknown>, level = "Info") =>
  line(level, "Test_module", STRUCTURED_EVENTS[name].message, metadata, eventIdOf(name));
const puppeteer = (type: string, extra: Record<string, unknown> = {}) =>
  line("Info", "mina-local.forwarder", `daemon ${type}`, { puppeteer_event_type: type, ...extra });

function apply(state: NetworkState, node: string, role: NodeRole, text: string): NetworkState {
  const events = eventsOf(node, role, text);
  expect(events.length, `the line produced no event: ${text}`).toBeGreaterThan(0);
  return events.reduce(applyEvent, state);
}

function blockProduced(hash: string, height: number, slot: number, options: { creator?: string; epoch?: number; proof?: boolean } = {}) {
  return structured("Block_produced", {
    breadcrumb: {
      state_hash: hash,
      just_emitted_a_proof: options.proof ?? false,
      validated_transition: {
        data: {
          protocol_state: {
            previous_state_hash: HASH(0),
            body: {
              consensus_state: {
                blockchain_length: String(height),
                epoch_count: String(options.epoch ?? 0),
                curr_global_slot: { slot_number: String(slot), slots_per_epoch: "480" },
                block_creator: options.creator ?? BP1,
                coinbase_receiver: options.creator ?? BP1,
              },
            },
          },
        },
      },
      user_commands_count: 0,
    },
  });
}

function payment(hash: string, status: unknown[]) {
  return {
    hash,
    data: {
      kind: "Signed_command",
      payload: {
        common: { fee: "10000000", fee_payer_pk: BP1, nonce: "0", valid_until: "4294967295", memo: "E4Yk" },
        body: ["Payment", { receiver_pk: RECEIVER, amount: "1000000000" }],
      },
      signer: BP1,
      signature: "7mX",
    },
    status,
  };
}

describe("applyEvent (Network_state)", () => {
  it("counts each produced block once, by state hash, and keeps the greatest height, slot and epoch", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", blockProduced(HASH(1), 2, 3, { creator: BP1 }));
    s = apply(s, "bp2", "block-producer", blockProduced(HASH(2), 3, 5, { creator: BP2, epoch: 1 }));
    // the same block seen again (a duplicated message on the bus) must not count twice
    s = apply(s, "bp2", "block-producer", blockProduced(HASH(2), 3, 5, { creator: BP2, epoch: 1 }));
    // a lower block produced later (a fork) counts but does not lower the height
    s = apply(s, "bp1", "block-producer", blockProduced(HASH(3), 2, 6, { creator: BP1 }));

    expect(s.blocksProduced).toBe(3);
    expect(s.blocksProducedBy).toEqual({ bp1: 2, bp2: 1 });
    expect(s.blockHeight).toBe(3);
    expect(s.globalSlot).toBe(6);
    expect(s.epoch).toBe(1);
    expect(s.producedStateHashes[HASH(2)]).toEqual({ node: "bp2", height: 3, slot: 5 });
    expect(s.heights[HASH(1)]).toBe(2);
  });

  it("counts snarked ledgers from produced blocks that emitted a proof", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", blockProduced(HASH(1), 2, 3, { proof: true }));
    s = apply(s, "bp1", "block-producer", blockProduced(HASH(2), 3, 4, { proof: false }));
    expect(s.snarkedLedgersGenerated).toBe(1);
  });

  it("tracks each node's best tip from frontier diffs, ignoring diffs that do not change it", () => {
    let s = emptyNetworkState();
    s = apply(s, "seed", "seed", structured("Transition_frontier_diff_application", { diffs: [{ New_node: HASH(1) }, { Best_tip_changed: HASH(1) }] }));
    s = apply(s, "bp1", "block-producer", structured("Transition_frontier_diff_application", { diffs: [{ Best_tip_changed: HASH(2) }] }));
    s = apply(s, "seed", "seed", structured("Transition_frontier_diff_application", { diffs: [{ New_node: HASH(3) }, { Root_transitioned: { new_root: HASH(0), garbage: [] } }] }));
    expect(s.bestTips).toEqual({ seed: HASH(1), bp1: HASH(2) });
  });

  it("records included commands by hash with their status, keeping the first block that included them", () => {
    let s = emptyNetworkState();
    s = apply(
      s,
      "bp1",
      "block-producer",
      structured("Breadcrumb_added", { state_hash: HASH(4), user_commands: [payment("CkpApplied", ["Applied"]), payment("CkpFailed", ["Failed", [["Source_insufficient_balance"]]])] }),
    );
    // another node adding the same block later must not move the record
    s = apply(s, "seed", "seed", structured("Breadcrumb_added", { state_hash: HASH(5), user_commands: [payment("CkpApplied", ["Applied"])] }));

    expect(s.includedCommands["CkpApplied"]).toMatchObject({ hash: "CkpApplied", stateHash: HASH(4), node: "bp1", status: "applied" });
    expect(s.includedCommands["CkpFailed"]).toMatchObject({ stateHash: HASH(4), status: "failed" });
    expect(String(s.includedCommands["CkpFailed"]?.failure)).toContain("Source_insufficient_balance");
    expect(s.includedCommands["CkpUnknown"]).toBeUndefined();
  });

  it("tracks initialization: set by Node_initialization, reset when the daemon stops, crashes or starts again", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", puppeteer("node_started", { pid: 42 }));
    expect(s.online["bp1"]).toBe(true);
    expect(s.initialized["bp1"]).toBe(false);
    s = apply(s, "bp1", "block-producer", structured("Node_initialization", {}));
    expect(s.initialized["bp1"]).toBe(true);

    s = apply(s, "bp1", "block-producer", puppeteer("node_stopped", { exit_code: 0 }));
    expect(s.online["bp1"]).toBe(false);
    expect(s.initialized["bp1"]).toBe(false);
    expect(s.errors).toEqual([]);

    s = apply(s, "bp1", "block-producer", structured("Node_initialization", {}));
    s = apply(s, "bp1", "block-producer", puppeteer("node_started", { pid: 43 }));
    expect(s.initialized["bp1"]).toBe(false);
  });

  it("records a crash as a hard error naming the node and how it died", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", structured("Node_initialization", {}));
    s = apply(s, "bp1", "block-producer", puppeteer("node_crashed", { exit_code: 137, signal: null }));
    expect(s.crashed["bp1"]).toMatchObject({ exitCode: 137, timestamp: TIMESTAMP });
    expect(s.online["bp1"]).toBe(false);
    expect(s.initialized["bp1"]).toBe(false);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatchObject({ node: "bp1", severity: "hard" });
    expect(s.errors[0]?.message).toContain("137");

    s = apply(s, "bp2", "block-producer", puppeteer("node_crashed", { signal: "SIGSEGV" }));
    expect(s.errors[1]).toMatchObject({ node: "bp2", severity: "hard" });
    expect(s.errors[1]?.message).toContain("SIGSEGV");
  });

  it("takes Warn and Faulty_peer lines as soft errors, Error and Fatal as hard, with the message filled in", () => {
    let s = emptyNetworkState();
    s = apply(s, "seed", "seed", line("Warn", "Gossip", "Peer $peer is slow", { peer: "12D3KooWpeer" }));
    s = apply(s, "seed", "seed", line("Faulty_peer", "Gossip", "Bad block from peer", {}));
    s = apply(s, "bp1", "block-producer", line("Error", "Block_producer", "Failed to produce a block: $error", { error: "no vrf" }));
    s = apply(s, "bp2", "block-producer", line("Fatal", "Daemon", "Out of memory", {}));
    expect(eventsOf("bp2", "block-producer", line("Info", "Daemon", "An ordinary line", {}))).toEqual([]);

    expect(s.errors.map((e) => [e.node, e.severity])).toEqual([
      ["seed", "soft"],
      ["seed", "soft"],
      ["bp1", "hard"],
      ["bp2", "hard"],
    ]);
    expect(s.errors[0]?.message).toContain("Peer 12D3KooWpeer is slow");
    expect(s.errors[2]?.message).toContain("Failed to produce a block: no vrf");
    expect(s.errors[2]?.message).toContain("Block_producer");
  });

  it("counts a line the parser could not read as a parse error (a soft error, never dropped)", () => {
    let s = emptyNetworkState();
    s = apply(s, "seed", "seed", "Segmentation fault (core dumped)");
    s = apply(s, "seed", "seed", '{"timestamp":"x"');
    expect(s.parseErrors).toBe(2);
    expect(s.errors).toHaveLength(2);
    expect(s.errors[0]).toMatchObject({ node: "seed", severity: "soft" });
    expect(s.errors[0]?.message).toContain("not JSON");
  });

  it("tracks gossip received by hash and sent by count, per node and direction", () => {
    const sender = { peer_id: "12D3KooWx", host: "10.0.0.2", libp2p_port: 8302 };
    let s = emptyNetworkState();
    s = apply(s, "seed", "seed", structured("Block_gossip", { state_hash: HASH(1), sender }));
    s = apply(s, "seed", "seed", structured("Block_gossip", { state_hash: HASH(1), sender }));
    s = apply(s, "bp1", "block-producer", structured("Block_gossip_sent", { state_hash: HASH(1) }));
    s = apply(s, "seed", "seed", structured("Transactions_gossip", { txns: [{ hash: "Ckp1" }, { hash: "Ckp2" }], sender }));
    s = apply(s, "bp1", "block-producer", structured("Transactions_gossip_sent", { txns: [{ hash: "Ckp1" }] }));
    s = apply(s, "seed", "seed", structured("Snark_work_gossip", { work: { work_ids: [3, 4], fee: "25000000", prover: BP1 }, sender }));
    s = apply(s, "coord", "snark-coordinator", structured("Snark_work_gossip_sent", { work: { work_ids: [3, 4], fee: "25000000", prover: BP1 } }));

    expect(s.gossip.blocksReceived).toEqual({ seed: { [HASH(1)]: true } });
    expect(s.gossip.blocksSent).toEqual({ bp1: 1 });
    expect(s.gossip.transactionsReceived).toEqual({ seed: { Ckp1: true, Ckp2: true } });
    expect(s.gossip.transactionsSent).toEqual({ bp1: 1 });
    expect(s.gossip.snarkWorkReceived).toEqual({ seed: 1 });
    expect(s.gossip.snarkWorkSent).toEqual({ coord: 1 });
  });

  it("counts frontier loads, bootstraps, catchups, snark failures and distinct ledger proofs", () => {
    let s = emptyNetworkState();
    s = apply(s, "bp1", "block-producer", structured("Persisted_frontier_loaded", { best_tip: HASH(1), blockchain_length: "7" }));
    s = apply(s, "bp1", "block-producer", structured("Bootstrap_required", { best_tip_length: "30", own_length: "3" }));
    s = apply(s, "bp1", "block-producer", structured("Catchup_complete", { count: 3, best_tip: HASH(2) }));
    s = apply(s, "worker", "snark-worker", structured("Snark_work_failed", { error: "prover died" }));
    // every node logs the proof of a block it adds: one proof, however many nodes saw it
    const proof = structured("Ledger_proof_emitted", { snarked_ledger_hash: "jxLedger1", block_height: "9", transactions: 8 });
    s = apply(s, "bp1", "block-producer", proof);
    s = apply(s, "seed", "seed", proof);
    s = apply(s, "seed", "seed", structured("Ledger_proof_emitted", { snarked_ledger_hash: "jxLedger2", block_height: "12", transactions: 4 }));

    expect(s.persistedFrontierLoaded).toEqual({ bp1: 1 });
    expect(s.bootstraps).toEqual({ bp1: 1 });
    expect(s.catchups).toEqual({ bp1: 1 });
    expect(s.snarkWorkFailed).toBe(1);
    expect(s.ledgerProofsEmitted).toBe(2);
  });

  it("is pure: the previous state is left unchanged, and every event is counted", () => {
    const before = emptyNetworkState();
    const snapshot = structuredClone(before);
    const after = apply(before, "bp1", "block-producer", blockProduced(HASH(1), 2, 3));
    expect(before).toEqual(snapshot);
    expect(after.eventsSeen).toBe(1);
    expect(applyEvent(after, { node: "bp1", role: "block-producer", type: "Something_new", timestamp: TIMESTAMP, data: {} }).eventsSeen).toBe(2);
  });
});
