import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import Client from "mina-signer";
import { eventIdTable } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import type { MinaEvent, ParsedLine } from "./index.js";
import { berkeleySignedCommandHash, checkLogLineShape, MinaLogLineSchema, parseLine } from "./index.js";
import {
  BERKELEY,
  H1,
  H2,
  H3,
  MAINNET,
  PK1,
  PK2,
  PUPPETEER_NODE_OFFLINE,
  REMOTE,
  VECTOR_COMMAND,
  VECTOR_HASH,
  blockProducedMetadata,
  delegationCommand,
  eventLine,
  forwarderLine,
  minaLine,
  statement,
} from "./testing/fixtures.js";

const NEWEST = eventIdTable("develop-newest");
const parse = (text: string, table = BERKELEY) => parseLine(text, { table });

function eventsOf(parsed: ParsedLine): MinaEvent[] {
  if (parsed.kind !== "event") throw new Error(`expected events, got ${JSON.stringify(parsed).slice(0, 400)}`);
  return parsed.events;
}
const only = (text: string, table = BERKELEY): MinaEvent => {
  const events = eventsOf(parse(text, table));
  expect(events).toHaveLength(1);
  return events[0] as MinaEvent;
};

describe("parseLine: Mina's events, by the table's ids", () => {
  it("Node_initialization from Starting_transition_frontier_controller", () => {
    expect(only(eventLine(BERKELEY, "Starting_transition_frontier_controller", { host: "1.2.3.4", peer_id: "12D3", pid: 7, port: 8302 }))).toEqual({ type: "Node_initialization", data: {} });
  });

  it("Transition_frontier_diff_application: each diff kind, and Mina's errors for a repeat or an unknown kind", () => {
    const line = eventLine(BERKELEY, "Applying_diffs", {
      diffs: [{ New_node: H2 }, { Root_transitioned: { new_root: H1, garbage: [H3], just_emitted_a_proof: true } }, { Best_tip_changed: H2 }],
    });
    expect(only(line)).toEqual({
      type: "Transition_frontier_diff_application",
      data: { new_node: H2, best_tip_changed: H2, root_transitioned: { new_root: H1, garbage: [H3], just_emitted_a_proof: true } },
    });
    expect(parse(eventLine(BERKELEY, "Applying_diffs", { diffs: [{ New_node: H2 }, { New_node: H3 }] }))).toMatchObject({
      kind: "error",
      problem: "bad-payload",
      event: "Transition_frontier_diff_application",
      field: "metadata.diffs.1",
    });
    expect(parse(eventLine(BERKELEY, "Applying_diffs", { diffs: [{ Catchup: H2 }] }))).toMatchObject({
      kind: "error",
      problem: "bad-payload",
      reason: expect.stringMatching(/unexpected transition frontier diff name "Catchup"/),
    });
    expect(parse(eventLine(BERKELEY, "Applying_diffs", { diffs: [{ Root_transitioned: { new_root: H1 } }] }))).toMatchObject({ kind: "error", field: "metadata.diffs.0.Root_transitioned.garbage" });
  });

  it("Block_produced: the state hash of 2023 ({state_hash}) and of 2020 (a string), numbers as strings or ints, either slot field", () => {
    const expected = { block_height: 5, epoch: 0, global_slot: 12, snarked_ledger_generated: false, state_hash: H2, previous_state_hash: H1, creator: PK1, coinbase_receiver: PK1 };
    expect(only(eventLine(BERKELEY, "Block_produced", blockProducedMetadata("5", "12")))).toEqual({ type: "Block_produced", data: expected });
    expect(only(eventLine(BERKELEY, "Block_produced", blockProducedMetadata(5, 12, { legacyHash: true, legacySlot: true })))).toEqual({ type: "Block_produced", data: expected });
    const noProof = blockProducedMetadata();
    delete (noProof.breadcrumb as Partial<typeof noProof.breadcrumb>).just_emitted_a_proof;
    expect(parse(eventLine(BERKELEY, "Block_produced", noProof))).toMatchObject({ kind: "error", problem: "bad-payload", event: "Block_produced", field: "metadata.breadcrumb.just_emitted_a_proof" });
  });

  it("Breadcrumb_added: a whole Berkeley command gets Mina's transaction hash; the newest daemons' hash is taken as is", () => {
    const event = only(
      eventLine(BERKELEY, "Added_breadcrumb_user_commands", {
        state_hash: H2,
        user_commands: [
          { data: VECTOR_COMMAND, status: ["Applied"] },
          { data: delegationCommand(), status: ["Failed", [["Amount_insufficient_to_create_account"], ["Cancelled"]]] },
        ],
      }),
    );
    expect(event.type).toBe("Breadcrumb_added");
    if (event.type !== "Breadcrumb_added") return;
    expect(event.data.state_hash).toBe(H2);
    expect(event.data.user_commands[0]).toEqual({
      hash: VECTOR_HASH,
      kind: "payment",
      fee_payer: "B62qmM48jczCSEQ5CtZhkUgJmwoKXeckPSW8GjX1ifZrEmfybomgo6u",
      receiver: "B62qjBrdnzkAWFbUU8Wid52jArUHTaFWiaeujBVnvHAMhKEgXwTxBYv",
      amount: "9396",
      fee: "2000000008",
      nonce: 0,
      memo: "E4QrrmNc5Bag198tAkuEXCdzFNBvsVAFg2US3oDYzhu6SA6x3wscb",
      status: "applied",
    });
    expect(event.data.user_commands[1]).toMatchObject({
      kind: "delegation",
      fee_payer: PK2,
      receiver: PK1,
      amount: "0",
      fee: "20000000",
      nonce: 3,
      status: "failed",
      failure: "Amount_insufficient_to_create_account, Cancelled",
    });
    expect(event.data.user_commands[1]?.hash).toMatch(/^5J[1-9A-HJ-NP-Za-km-z]{50}$/);

    const newest = only(eventLine(NEWEST, "Added_breadcrumb_user_commands", { state_hash: H2, user_commands: [{ data: VECTOR_HASH, status: ["Applied"] }] }), NEWEST);
    expect(newest).toEqual({ type: "Breadcrumb_added", data: { state_hash: H2, user_commands: [{ hash: VECTOR_HASH, status: "applied" }] } });
  });

  it("Breadcrumb_added: a mainnet 1.x command (fee_token, source_pk) gets the 1.x hash (mina-signer's legacy hashing)", () => {
    // real keys (mina-signer checks they are curve points): those of Mina's hash test vector
    const A = "B62qmM48jczCSEQ5CtZhkUgJmwoKXeckPSW8GjX1ifZrEmfybomgo6u";
    const B = "B62qjBrdnzkAWFbUU8Wid52jArUHTaFWiaeujBVnvHAMhKEgXwTxBYv";
    const legacy = [
      "Signed_command",
      {
        payload: {
          common: { fee: "0.01", fee_token: "1", fee_payer_pk: A, nonce: "5", valid_until: "4294967295", memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH" },
          body: ["Payment", { source_pk: A, receiver_pk: B, token_id: "1", amount: "1000000000" }],
        },
        signer: A,
        signature: "7mXFbws8zFVHDngRcRgUAs9gvWcJ4ZDmXrjXozyhhNyM1KrR2XsBzSQGDSR4ghD5Dip13iFrnweGKB5mguDmDLhk1h87etB8",
      },
    ];
    const event = only(
      eventLine(MAINNET, "Added_breadcrumb_user_commands", {
        state_hash: H2,
        user_commands: [{ data: legacy, status: ["Applied", { fee_payer_account_creation_fee_paid: null }, { fee_payer_balance: "5" }] }],
      }),
      MAINNET,
    );
    if (event.type !== "Breadcrumb_added") throw new Error(event.type);
    const command = event.data.user_commands[0];
    expect(command).toMatchObject({ kind: "payment", fee: "10000000", amount: "1000000000", nonce: 5, status: "applied" });
    const signature = createBase58check(sha256).decode(legacy[1] && typeof legacy[1] === "object" ? (legacy[1] as { signature: string }).signature : "");
    const le = (b: Uint8Array) => b.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n).toString();
    const expected = new Client({ network: "mainnet" }).hashPayment({
      data: { from: A, to: B, fee: "10000000", amount: "1000000000", nonce: "5", memo: "", validUntil: "4294967295" },
      signature: { field: le(signature.subarray(2, 34)), scalar: le(signature.subarray(34, 66)) },
      publicKey: A,
    });
    expect(command?.hash).toBe(expected);
    expect(command?.hash).not.toBe(
      berkeleySignedCommandHash({
        fee: 10000000n,
        feePayer: A,
        nonce: 5n,
        validUntil: 4294967295n,
        memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH",
        body: { kind: "payment", receiver: B, amount: 1000000000n },
        signer: A,
      }),
    );
  });

  it("Breadcrumb_added: a zkApp command keeps its fee payer; its hash is left out (not computable here)", () => {
    const zkapp = [
      "Zkapp_command",
      { fee_payer: { body: { public_key: PK1, fee: "0.1", nonce: "4", valid_until: null }, authorization: "7mX" }, account_updates: [], memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH" },
    ];
    const event = only(eventLine(BERKELEY, "Added_breadcrumb_user_commands", { state_hash: H2, user_commands: [{ data: zkapp, status: ["Applied"] }] }));
    expect(event).toEqual({
      type: "Breadcrumb_added",
      data: { state_hash: H2, user_commands: [{ kind: "zkapp", fee_payer: PK1, fee: "100000000", nonce: 4, memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH", status: "applied" }] },
    });
  });

  it("a command whose key does not decode names the field", () => {
    const bad = structuredClone(VECTOR_COMMAND) as unknown as [string, { signer: string }];
    bad[1].signer = "B62qnotakeyatallnotakeyatallnotakeyatallnotakey";
    expect(parse(eventLine(BERKELEY, "Added_breadcrumb_user_commands", { state_hash: H2, user_commands: [{ data: bad, status: ["Applied"] }] }))).toMatchObject({
      kind: "error",
      problem: "bad-payload",
      event: "Breadcrumb_added",
      field: "metadata.user_commands.0.data",
    });
  });

  it("Block_gossip: the sender union, and the sent side by Gossip_new_state", () => {
    expect(only(eventLine(BERKELEY, "Block_received", { sender: REMOTE, state_hash: H2 }))).toEqual({ type: "Block_gossip", data: { state_hash: H2, direction: "Received", sender: REMOTE.Remote } });
    expect(only(eventLine(BERKELEY, "Block_received", { sender: "Local", state_hash: H2 }))).toEqual({ type: "Block_gossip", data: { state_hash: H2, direction: "Received", sender: "Local" } });
    expect(only(eventLine(BERKELEY, "Gossip_new_state", { message: ["New_state", {}], state_hash: H2 }))).toEqual({ type: "Block_gossip", data: { state_hash: H2, direction: "Sent" } });
    expect(parse(eventLine(BERKELEY, "Block_received", { sender: { Remote: 5 }, state_hash: H2 }))).toMatchObject({
      kind: "error",
      event: "Block_gossip",
      field: expect.stringMatching(/^metadata\.sender/),
    });
  });

  it("Snark_work_gossip: work ids from the statements' ledgers, one or two statements", () => {
    const work = { work: ["Two", statement("jxA", "jxB"), statement("jxB", "jxC")], fee: "0.025", prover: PK1 };
    expect(only(eventLine(BERKELEY, "Snark_work_received", { sender: REMOTE, work }))).toEqual({
      type: "Snark_work_gossip",
      data: { work_ids: ["jxA->jxB", "jxB->jxC"], fee: "25000000", prover: PK1, direction: "Received", sender: REMOTE.Remote },
    });
    expect(only(eventLine(BERKELEY, "Gossip_snark_pool_diff", { work: { work: ["One", statement("jxA", "jxB")], fee: "0", prover: PK1 } }))).toMatchObject({
      type: "Snark_work_gossip",
      data: { work_ids: ["jxA->jxB"], direction: "Sent" },
    });
  });

  it("Transactions_gossip: hashes of the commands (2023) or the fee payer summaries (newest)", () => {
    expect(only(eventLine(BERKELEY, "Transactions_received", { sender: REMOTE, txns: [VECTOR_COMMAND] }))).toEqual({
      type: "Transactions_gossip",
      data: { hashes: [VECTOR_HASH], commands: 1, direction: "Received", sender: REMOTE.Remote },
    });
    const summaries = [{ fee_payer: PK1, nonce: "3" }];
    expect(only(eventLine(NEWEST, "Gossip_transaction_pool_diff", { fee_payer_summaries: summaries }), NEWEST)).toEqual({
      type: "Transactions_gossip",
      data: { hashes: [], fee_payer_summaries: summaries, direction: "Sent" },
    });
  });

  it("Snark_work_failed: any error value; at Error it is also a hard Log_error", () => {
    const events = eventsOf(parse(eventLine(BERKELEY, "Generating_snark_work_failed", { error: { string: "out of memory" } })));
    expect(events.map((e) => e.type)).toEqual(["Snark_work_failed", "Log_error"]);
    expect(events[0]).toEqual({ type: "Snark_work_failed", data: { error: { string: "out of memory" } } });
    expect(events[1]).toMatchObject({ data: { level: "Error", severity: "hard", message: "Failed to generate SNARK work: $error" } });
    expect(parse(eventLine(BERKELEY, "Generating_snark_work_failed", {}))).toMatchObject({ kind: "error", event: "Snark_work_failed", field: "metadata.error" });
    expect(only(eventLine(NEWEST, "Generating_snark_work_failed", { error: "x" }, { level: "Info" }), NEWEST)).toEqual({ type: "Snark_work_failed", data: { error: "x" } });
  });

  it.each([
    ["Transition_frontier_loaded_from_persistence", "Transition_frontier_loaded_from_persistence"],
    ["Persisted_frontier_loaded", "Persisted_frontier_loaded"],
    ["Persisted_frontier_fresh_boot", "Persisted_frontier_fresh_boot"],
    ["Persisted_frontier_dropped", "Persisted_frontier_dropped"],
    ["Bootstrap_required", "Bootstrap_required"],
  ])("%s (no payload; extra metadata ignored)", (constructor, type) => {
    expect(only(eventLine(BERKELEY, constructor, { host: "10.0.0.1", pid: 12 }))).toEqual({ type, data: {} });
  });

  it("Node_offline: the puppeteer's line exactly as Mina's puppeteer writes it", () => {
    expect(parse(PUPPETEER_NODE_OFFLINE)).toEqual({ kind: "event", events: [{ type: "Node_offline", data: {} }] });
    // older puppeteers' other event types are not events of event_type.ml
    expect(parse('{"puppeteer_script_event": true, "puppeteer_event_type": "node_started", "message":"x"}')).toMatchObject({ kind: "text" });
  });

  it("the forwarder's own lines", () => {
    expect(only(forwarderLine("node_started", { node: "bp1", pid: 41, fresh_state: true }))).toEqual({ type: "Node_started", data: { pid: 41, fresh_state: true } });
    expect(only(forwarderLine("node_stopped", { node: "bp1", pid: 41, exit_code: 0, signal: null }))).toEqual({ type: "Node_stopped", data: { exit_code: 0 } });
    expect(eventsOf(parse(forwarderLine("node_crashed", { exit_code: null, signal: "SIGKILL" }, "Error"))).map((e) => e.type)).toEqual(["Node_crashed", "Log_error"]);
    expect(only(forwarderLine("node_offline", { node: "bp1", signal: "SIGTERM" }))).toEqual({ type: "Node_offline", data: {} });
    // puppeteer_event_type in a daemon's own line is just metadata
    expect(parse(minaLine("x", { puppeteer_event_type: "node_started" }, { module: "Mina_lib" }))).toMatchObject({ kind: "log" });
  });
});

describe("parseLine: ids the table does not hold, and plain lines", () => {
  it("an id the table does not hold is an ordinary log line", () => {
    const line = minaLine("Something new", {}, { eventId: "0123456789abcdef0123456789abcdef" });
    expect(parse(line)).toMatchObject({ kind: "log", unknownId: "0123456789abcdef0123456789abcdef" });
    // the persistence events do not exist in mainnet 1.3: under its table they are log lines
    expect(parse(eventLine(BERKELEY, "Persisted_frontier_loaded", {}), MAINNET)).toMatchObject({ kind: "log", unknownId: "1c4150aa7058a3058c4d20ae90ff7ec3" });
    // mainnet's Block_received id is not Berkeley's
    expect(parse(eventLine(MAINNET, "Block_received", { sender: REMOTE, state_hash: H2 }), MAINNET)).toMatchObject({ kind: "event" });
    expect(parse(eventLine(MAINNET, "Block_received", { sender: REMOTE, state_hash: H2 }), BERKELEY)).toMatchObject({ kind: "log", unknownId: "b7fa8b10ff17b32b1aa2e2ef508ba811" });
  });

  it("a registered event the executive does not use is a log line that names its row", () => {
    const parsed = parse(eventLine(BERKELEY, "Bootstrapping", { pid: 5 }));
    expect(parsed).toMatchObject({ kind: "log", row: { constructor: "Bootstrapping" } });
  });

  it("no message-template fallback: a known message without an id is a log line", () => {
    expect(parse(minaLine("Successfully produced a new block", blockProducedMetadata()))).toMatchObject({ kind: "log" });
  });

  it("Log_error for Warn / Faulty_peer (soft) and Error / Fatal (hard); lines with no source too", () => {
    for (const [level, severity] of [
      ["Warn", "soft"],
      ["Faulty_peer", "soft"],
      ["Error", "hard"],
      ["Fatal", "hard"],
    ] as const) {
      expect(only(minaLine("Peer $p is slow", { p: "x" }, { level, module: "Gossip_net" }))).toEqual({
        type: "Log_error",
        data: { level, severity, module: "Gossip_net", message: "Peer $p is slow", metadata: { p: "x" } },
      });
    }
    const noSource = JSON.stringify({ timestamp: "2023-11-11 13:25:54.414332Z", level: "Error", message: "x", metadata: {} });
    expect(only(noSource)).toEqual({ type: "Log_error", data: { level: "Error", severity: "hard", message: "x", metadata: {} } });
    expect(parse(JSON.stringify({ timestamp: "2023-11-11 13:25:54.414332Z", level: "Spam", message: "x", metadata: {} }))).toMatchObject({ kind: "log" });
    expect(parse(minaLine("x", {}, { level: "Internal" }))).toMatchObject({ kind: "log" });
  });

  it("text that is not JSON is a text line, not an error", () => {
    expect(parse("Environment variable MINA_TIME_OFFSET not found, using default of 0")).toEqual({ kind: "text", raw: "Environment variable MINA_TIME_OFFSET not found, using default of 0" });
    expect(parse("mina_daemon_puppeteer_script: daemon fully started")).toMatchObject({ kind: "text" });
  });
});

describe("parseLine: bad input is reported as what it is", () => {
  it("truncated and malformed JSON, JSON that is not a log line", () => {
    const full = eventLine(BERKELEY, "Block_produced", blockProducedMetadata());
    expect(parse(full.slice(0, 200))).toMatchObject({ kind: "error", problem: "truncated-json" });
    expect(parse('{"timestamp": 2023-11-11}')).toMatchObject({ kind: "error", problem: "malformed-json" });
    expect(parse("[1,2]")).toMatchObject({ kind: "error", problem: "not-a-log-line" });
    expect(parse('{"level":"Info"}')).toMatchObject({ kind: "error", problem: "not-a-log-line", reason: expect.stringMatching(/timestamp/) });
    expect(parse(minaLine("x", {}, { level: "Verbose" as never }))).toMatchObject({ kind: "error", problem: "not-a-log-line", reason: expect.stringMatching(/level/) });
  });

  it("the fast path and the schema agree on what a log line is", () => {
    const samples: unknown[] = [
      JSON.parse(minaLine("x", {})),
      { timestamp: "t", level: "Info", message: "m", metadata: {} },
      { timestamp: "t", level: "Info", source: 5, message: "m", metadata: {} },
      { timestamp: "t", level: "Info", source: { module: 1 }, message: "m", metadata: {} },
      { timestamp: "t", level: "Nope", message: "m", metadata: {} },
      { timestamp: "t", level: "Info", message: "m", metadata: [] },
      { timestamp: "t", level: "Info", message: "m", metadata: {}, event_id: 7 },
    ];
    for (const sample of samples) {
      expect(checkLogLineShape(sample as Record<string, unknown>) === undefined, JSON.stringify(sample)).toBe(MinaLogLineSchema.safeParse(sample).success);
    }
  });

  it("with full validation, a bad line without events is an error too", () => {
    expect(parseLine('{"timestamp":"t","level":"Info","message":5,"metadata":{}}', { table: BERKELEY, full: true })).toMatchObject({ kind: "error", problem: "not-a-log-line" });
  });
});
