import { STRUCTURED_EVENTS, STRUCTURED_EVENT_NAMES } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { MinaLogLineSchema, checkLogLineShape, errorSeverity, parseLine } from "./index.js";
import type { MinaEvent, ParsedLine } from "./index.js";
import { H1, H2, H3, PK1, PK2, SENDER, blockProducedMetadata, delegation, eventLine, forwarderLine, minaLine, payment } from "./test-fixtures.js";

function eventsOf(parsed: ParsedLine): MinaEvent[] {
  if (parsed.kind !== "event") throw new Error(`expected events, got ${JSON.stringify(parsed).slice(0, 400)}`);
  return parsed.events;
}
function onlyEvent(text: string): MinaEvent {
  const events = eventsOf(parseLine(text));
  expect(events).toHaveLength(1);
  return events[0] as MinaEvent;
}
function errorOf(text: string): string {
  const parsed = parseLine(text);
  if (parsed.kind !== "error") throw new Error(`expected an error, got ${parsed.kind}`);
  expect(parsed.raw).toBe(text);
  return parsed.reason;
}

describe("structured events (with event_id)", () => {
  it("Node_initialization", () => {
    expect(onlyEvent(eventLine("Node_initialization", {}))).toEqual({ type: "Node_initialization", data: {} });
  });

  it("Transition_frontier_diff_application with every kind of diff", () => {
    const line = eventLine("Transition_frontier_diff_application", {
      diffs: [{ New_node: H2 }, { Best_tip_changed: H2 }, { Root_transitioned: { new_root: H1, garbage: [H3] } }],
    });
    expect(onlyEvent(line)).toEqual({
      type: "Transition_frontier_diff_application",
      data: { new_node: H2, best_tip_changed: H2, root_transitioned: { new_root: H1, garbage: [H3] } },
    });
    expect(onlyEvent(eventLine("Transition_frontier_diff_application", { diffs: [{ Best_tip_changed: H3 }] })).data).toEqual({ best_tip_changed: H3 });
  });

  it("Block_produced, with integers as strings or numbers", () => {
    const expected = {
      block_height: 5,
      epoch: 0,
      global_slot: 12,
      snarked_ledger_generated: false,
      state_hash: H2,
      previous_state_hash: H1,
      creator: PK1,
      coinbase_receiver: PK1,
      user_commands_count: 1,
    };
    expect(onlyEvent(eventLine("Block_produced", blockProducedMetadata("5", "12")))).toEqual({ type: "Block_produced", data: expected });
    const numeric = blockProducedMetadata(5, 12);
    (numeric.breadcrumb.validated_transition.data.protocol_state.body.consensus_state as Record<string, unknown>)["blockchain_length"] = 5;
    expect(onlyEvent(eventLine("Block_produced", numeric)).data).toEqual(expected);
  });

  it("Breadcrumb_added with an applied payment and a failed delegation", () => {
    expect(onlyEvent(eventLine("Breadcrumb_added", { state_hash: H2, user_commands: [payment(), delegation()] }))).toEqual({
      type: "Breadcrumb_added",
      data: {
        state_hash: H2,
        user_commands: [
          {
            hash: payment().hash,
            kind: "payment",
            fee_payer: PK1,
            receiver: PK2,
            amount: "1000000000",
            fee: "10000000",
            nonce: 0,
            memo: payment().data.payload.common.memo,
            status: "applied",
          },
          {
            hash: delegation().hash,
            kind: "delegation",
            fee_payer: PK2,
            receiver: PK1,
            amount: "0",
            fee: "20000000",
            nonce: 3,
            memo: "",
            status: "failed",
            failure: "Amount_insufficient_to_create_account, Cancelled",
          },
        ],
      },
    });
  });

  it("gossip events, received and sent, become one type with a direction", () => {
    expect(onlyEvent(eventLine("Block_gossip", { state_hash: H2, sender: SENDER }))).toEqual({
      type: "Block_gossip",
      data: { state_hash: H2, direction: "Received", sender: SENDER },
    });
    expect(onlyEvent(eventLine("Block_gossip_sent", { state_hash: H2 }))).toEqual({ type: "Block_gossip", data: { state_hash: H2, direction: "Sent" } });
    expect(onlyEvent(eventLine("Transactions_gossip", { txns: [{ hash: "5Jtx1" }, { hash: "5Jtx2" }], sender: SENDER }))).toEqual({
      type: "Transactions_gossip",
      data: { hashes: ["5Jtx1", "5Jtx2"], direction: "Received", sender: SENDER },
    });
    expect(onlyEvent(eventLine("Transactions_gossip_sent", { txns: [{ hash: "5Jtx1" }] }))).toEqual({
      type: "Transactions_gossip",
      data: { hashes: ["5Jtx1"], direction: "Sent" },
    });
    const work = { work_ids: [3, 4], fee: "25000000", prover: PK1 };
    expect(onlyEvent(eventLine("Snark_work_gossip", { work, sender: SENDER }))).toEqual({
      type: "Snark_work_gossip",
      data: { ...work, direction: "Received", sender: SENDER },
    });
    expect(onlyEvent(eventLine("Snark_work_gossip_sent", { work }))).toEqual({ type: "Snark_work_gossip", data: { ...work, direction: "Sent" } });
  });

  it("the other chain events", () => {
    expect(onlyEvent(eventLine("Snark_work_failed", { error: "prover crashed" }))).toEqual({ type: "Snark_work_failed", data: { error: "prover crashed" } });
    expect(onlyEvent(eventLine("Persisted_frontier_loaded", { best_tip: H3, blockchain_length: "7" }))).toEqual({
      type: "Persisted_frontier_loaded",
      data: { best_tip: H3, blockchain_length: 7 },
    });
    expect(onlyEvent(eventLine("Bootstrap_required", { best_tip_length: "30", own_length: "3" }))).toEqual({
      type: "Bootstrap_required",
      data: { best_tip_length: 30, own_length: 3 },
    });
    expect(onlyEvent(eventLine("Bootstrap_complete", { best_tip: H3 }))).toEqual({ type: "Bootstrap_complete", data: { best_tip: H3 } });
    expect(onlyEvent(eventLine("Catchup_complete", { count: 3, best_tip: H3 }))).toEqual({ type: "Catchup_complete", data: { count: 3, best_tip: H3 } });
    expect(onlyEvent(eventLine("Ledger_proof_emitted", { snarked_ledger_hash: "jx7buQVWFLsXTtzRgSxbYcT8EYLS8KCZbLrfDcJxMtyy4thw2Ee", block_height: "9", transactions: 8 }))).toEqual({
      type: "Ledger_proof_emitted",
      data: { snarked_ledger_hash: "jx7buQVWFLsXTtzRgSxbYcT8EYLS8KCZbLrfDcJxMtyy4thw2Ee", block_height: 9, transactions: 8 },
    });
  });

  it("the forwarder's puppeteer events", () => {
    expect(onlyEvent(forwarderLine("node_started", { pid: 42, fresh_state: true }))).toEqual({ type: "Node_started", data: { pid: 42, fresh_state: true } });
    expect(onlyEvent(forwarderLine("node_stopped", { exit_code: 0, signal: null }))).toEqual({ type: "Node_stopped", data: { exit_code: 0 } });
    const crashed = eventsOf(parseLine(forwarderLine("node_crashed", { exit_code: null, signal: "SIGSEGV" }, "Error")));
    expect(crashed).toEqual([
      { type: "Node_crashed", data: { signal: "SIGSEGV" } },
      expect.objectContaining({ type: "Log_error", data: expect.objectContaining({ level: "Error", severity: "hard" }) }),
    ]);
    expect(onlyEvent(forwarderLine("node_offline"))).toEqual({ type: "Node_offline", data: {} });
  });
});

describe("recognising events by message when event_id is absent", () => {
  it.each(STRUCTURED_EVENT_NAMES.map((n) => [n]))("%s is found by its template", (name) => {
    const withId = parseLine(eventLine(name, sampleMetadata(name)));
    const withoutId = parseLine(eventLine(name, sampleMetadata(name), { withId: false }));
    expect(eventsOf(withoutId)).toEqual(eventsOf(withId));
  });

  it("a null event_id also falls back to the template", () => {
    expect(onlyEvent(minaLine(STRUCTURED_EVENTS.Bootstrap_complete.message, { best_tip: H1 }, { eventId: null })).type).toBe("Bootstrap_complete");
  });

  it("a similar but different message is a plain log line", () => {
    expect(parseLine(minaLine("Bootstrap state: complete!", { best_tip: H1 })).kind).toBe("log");
  });
});

describe("log errors by level", () => {
  it("Warn and Faulty_peer are soft, Error and Fatal hard, the rest none", () => {
    expect(["Spam", "Trace", "Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"].map(errorSeverity)).toEqual([
      undefined, undefined, undefined, undefined, "soft", "hard", "soft", "hard",
    ]);
  });

  it("a Warn line becomes a Log_error event", () => {
    expect(onlyEvent(minaLine("Peer $peer is slow", { peer: "10.0.0.2" }, { level: "Faulty_peer", module: "Gossip" }))).toEqual({
      type: "Log_error",
      data: { level: "Faulty_peer", severity: "soft", module: "Gossip", message: "Peer $peer is slow", metadata: { peer: "10.0.0.2" } },
    });
  });

  it("an Error line that is also an event yields both", () => {
    const events = eventsOf(parseLine(eventLine("Snark_work_failed", { error: "boom" }, { level: "Error" })));
    expect(events.map((e) => e.type)).toEqual(["Snark_work_failed", "Log_error"]);
  });

  it("an Info or Debug line without an event is a plain log line", () => {
    const parsed = parseLine(minaLine("Connected to $n peers", { n: 3 }, { level: "Debug" }));
    expect(parsed).toMatchObject({ kind: "log", line: { level: "Debug", message: "Connected to $n peers", metadata: { n: 3 } } });
  });
});

describe("errors: every kind, with a reason naming what is wrong", () => {
  it("not JSON, not an object", () => {
    expect(errorOf("Fatal error: exception Stack_overflow")).toBe("not JSON");
    expect(errorOf('{"timestamp":"2026-11')).toBe("not JSON");
    expect(errorOf("null")).toBe("not a JSON object but null");
    expect(errorOf("42")).toBe("not a JSON object but number");
    expect(errorOf('["a"]')).toBe("not a JSON object but an array");
    expect(errorOf('"text"')).toBe("not a JSON object but string");
  });

  it("a JSON object that is not a Mina log line names the field", () => {
    expect(errorOf('{"hello":"world"}')).toMatch(/^not a Mina log line: timestamp/);
    expect(errorOf(minaLine("x", {}).replace('"Info"', '"Loud"'))).toMatch(/level/);
    expect(errorOf(minaLine("x", {}).replace('"metadata":{}', '"metadata":[]'))).toMatch(/metadata: expected an object/);
    expect(errorOf(minaLine("x", {}, { level: "Warn" }).replace('"metadata":{}', '"metadata":7'))).toMatch(/metadata/);
  });

  it("an unknown event_id is reported", () => {
    expect(errorOf(minaLine("Something new", {}, { eventId: "0123456789abcdef0123456789abcdef" }))).toMatch(/^unknown event_id "0123456789abcdef0123456789abcdef"/);
  });

  it("an unknown puppeteer_event_type is reported", () => {
    expect(errorOf(forwarderLine("node_exploded"))).toMatch(/unknown puppeteer_event_type "node_exploded"/);
  });

  it("event metadata that does not match its schema names the field", () => {
    const bad = blockProducedMetadata();
    (bad.breadcrumb.validated_transition.data.protocol_state.body.consensus_state as Record<string, unknown>)["blockchain_length"] = "five";
    expect(errorOf(eventLine("Block_produced", bad))).toMatch(
      /^Block_produced: bad metadata: metadata\.breadcrumb\.validated_transition\.data\.protocol_state\.body\.consensus_state\.blockchain_length/,
    );
    expect(errorOf(eventLine("Breadcrumb_added", { state_hash: H2, user_commands: [payment(["Maybe"])] }))).toMatch(/metadata\.user_commands\.0\.status/);
    expect(errorOf(eventLine("Catchup_complete", { best_tip: H1 }))).toMatch(/metadata\.count/);
    expect(errorOf(eventLine("Transition_frontier_diff_application", { diffs: [{ Something: H1 }] }))).toMatch(/metadata\.diffs\.0/);
  });
});

describe("fast path and full validation agree", () => {
  it("checkLogLineShape accepts and rejects what MinaLogLineSchema does", () => {
    const good = JSON.parse(minaLine("x", { a: 1 })) as Record<string, unknown>;
    const variants: Array<Record<string, unknown>> = [
      good,
      { ...good, source: { module: "m" } },
      { ...good, event_id: null },
      { ...good, timestamp: 5 },
      { ...good, level: "Verbose" },
      { ...good, source: "x" },
      { ...good, source: { module: 1, location: "l" } },
      { ...good, source: { module: "m", location: 3 } },
      { ...good, message: null },
      { ...good, metadata: null },
      { ...good, metadata: [] },
      { ...good, event_id: 7 },
      Object.fromEntries(Object.entries(good).filter(([k]) => k !== "message")),
    ];
    for (const v of variants) {
      expect(checkLogLineShape(v) === undefined, JSON.stringify(v)).toBe(MinaLogLineSchema.safeParse(v).success);
      expect(parseLine(JSON.stringify(v)).kind, JSON.stringify(v)).toBe(parseLine(JSON.stringify(v), { full: true }).kind);
    }
  });
});

function sampleMetadata(name: (typeof STRUCTURED_EVENT_NAMES)[number]): Record<string, unknown> {
  const work = { work_ids: [1], fee: "1", prover: PK1 };
  const samples: Record<(typeof STRUCTURED_EVENT_NAMES)[number], Record<string, unknown>> = {
    Node_initialization: {},
    Transition_frontier_diff_application: { diffs: [{ New_node: H1 }] },
    Block_produced: blockProducedMetadata(),
    Breadcrumb_added: { state_hash: H1, user_commands: [payment()] },
    Block_gossip: { state_hash: H1, sender: SENDER },
    Block_gossip_sent: { state_hash: H1 },
    Transactions_gossip: { txns: [{ hash: "5J" }], sender: SENDER },
    Transactions_gossip_sent: { txns: [] },
    Snark_work_gossip: { work, sender: SENDER },
    Snark_work_gossip_sent: { work },
    Snark_work_failed: { error: "e" },
    Persisted_frontier_loaded: { best_tip: H1, blockchain_length: 1 },
    Bootstrap_required: { best_tip_length: 9, own_length: 1 },
    Bootstrap_complete: { best_tip: H1 },
    Catchup_complete: { count: 1, best_tip: H1 },
    Ledger_proof_emitted: { snarked_ledger_hash: "jx", block_height: 2, transactions: 1 },
  };
  return samples[name];
}
