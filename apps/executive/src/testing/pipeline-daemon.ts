// Test support for pipeline.docker.test.ts (not exported from index.ts): a stand-in Mina
// daemon whose output is known in advance, and the FROM-scratch image that runs it.
import { SIMULATOR_EVENT_ID_TABLE_NAME, eventIdTable } from "@mina-local/engine";
import { buildTestImage } from "@mina-local/swarm-manager/testing";

/** What every stand-in daemon writes; the test derives the expected counts from these numbers. */
export interface PipelineDaemonPlan {
  /** plain lines; every third one (index % 3 === 0) is at Debug level, the others at Info */
  plainLines: number;
  /** Info lines of `bigLineBytes` each: they span several FIFO frames */
  bigLines: number;
  bigLineBytes: number;
  /** block producers only: Block_produced events at Info, then one more at Debug level */
  blocksAtInfo: number;
  /** Info lines written on SIGTERM, while the stack is being removed */
  linesOnStop: number;
}

export const PIPELINE_MODULE = "Pipeline_test";
export const LAST_LINE_MESSAGE = "pipeline: every planned line written";

export function debugPlainLines(plan: PipelineDaemonPlan): number {
  return Math.ceil(plan.plainLines / 3);
}

/**
 * Lines a node's daemon writes over its life: Starting_transition_frontier_controller
 * (Node_initialization, here at Debug), the plain lines, the big lines, its blocks, the
 * last-line marker, and the lines on stop.
 */
export function plannedLines(plan: PipelineDaemonPlan, blockProducer: boolean, options: { dropDebug: boolean }): number {
  const all = 1 + plan.plainLines + plan.bigLines + (blockProducer ? plan.blocksAtInfo + 1 : 0) + 1 + plan.linesOnStop;
  return options.dropDebug ? all - debugPlainLines(plan) : all;
}

/** The two Mina events the stand-in writes, with the table's ids and messages and Mina's call sites (develop 9f068b1c3b). */
function standInEvents() {
  const table = eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME);
  const row = (constructor: string) => {
    const found = table.rows.find((r) => r.constructor === constructor);
    if (!found) throw new Error(`the ${table.name} table has no ${constructor}`);
    return { id: found.id, message: found.message };
  };
  return {
    // transition_router.ml:78
    initialized: { ...row("Starting_transition_frontier_controller"), location: 'File "src/lib/transition_router/transition_router.ml", line 78, characters 2-17' },
    // block_producer.ml:913
    blockProduced: { ...row("Block_produced"), location: 'File "src/lib/block_producer/block_producer.ml", line 913, characters 20-35' },
  };
}

/**
 * The daemon: a node script, installed as /usr/local/bin/mina. It learns its role from
 * Mina's flags (`-seed`, `-block-producer-key`), its public key from the key file next to
 * the private key, writes its planned lines, then idles until SIGTERM, when it writes
 * `linesOnStop` more. Lines are Mina's JSON (key order, microsecond timestamps, sorted
 * metadata with `metadata.seq` counting every line); the events carry Mina's ids, messages
 * and payloads (Block_produced's breadcrumb as Frontier_base.Breadcrumb.to_yojson writes it).
 * Two things are the test's, not Mina's: every line's module is PIPELINE_MODULE (how the test
 * tells the daemon's lines from the forwarder's), and the plan logs Starting_transition_frontier_controller
 * and the last Block_produced at Debug (Mina logs both at Info) to prove that the in-container
 * filter never drops an event whatever its level.
 */
export function pipelineDaemonScript(plan: PipelineDaemonPlan): string {
  const events = standInEvents();
  return `#!/usr/bin/node
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const plan = ${JSON.stringify(plan)};
const events = ${JSON.stringify(events)};
const argv = process.argv.slice(2);
// the forwarder's container preparation runs \`mina accounts import\` / \`mina libp2p generate-keypair\` first
if (argv[0] === "accounts" || argv[0] === "libp2p") process.exit(0);
const keyAt = argv.indexOf("-block-producer-key");
const blockProducer = keyAt >= 0;
const publicKey = blockProducer ? fs.readFileSync(argv[keyAt + 1] + ".pub", "utf8").trim() : "";
const node = os.hostname();
const OWN_LOCATION = 'File "apps/executive/src/testing/pipeline-daemon.ts", line 1, characters 0-0';
let seq = 0;
const start = Date.now() * 1000 - Number(process.hrtime.bigint() / 1000n);
const timestamp = () => {
  const micros = start + Number(process.hrtime.bigint() / 1000n);
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19).replace("T", " ") + "." + String(micros % 1000000).padStart(6, "0") + "Z";
};
function write(level, message, metadata, event) {
  const all = { ...metadata, node, seq: seq++ };
  const sorted = {};
  for (const key of Object.keys(all).sort()) sorted[key] = all[key];
  const line = { timestamp: timestamp(), level, source: { module: "${PIPELINE_MODULE}", location: event ? event.location : OWN_LOCATION }, message, metadata: sorted };
  if (event) line.event_id = event.id;
  process.stdout.write(JSON.stringify(line) + "\\n");
}
function hash(n) {
  return "3N" + String(n).padStart(50, "K");
}
const LEDGER = "jwq7pxSqT6bQYqC4dnt1N3W6VYTUSgr3RA8CnJV8oZKMbqEUgKT";
const signed = (magnitude) => ({ magnitude, sgn: ["Pos"] });
const registers = () => ({ first_pass_ledger: LEDGER, second_pass_ledger: LEDGER,
  pending_coinbase_stack: { data: "4QNrZFBTDQCPfEZqBZsaPYx8qdaNFv1nebUyCUsQW9QUJqyuD3un", state: { init: "4Yx5U3t3EYQycZ91yj4478bHkLwGkhDHnPbCY9TxgUk69SQityej", curr: "4Yx5U3t3EYQycZ91yj4478bHkLwGkhDHnPbCY9TxgUk69SQityej" } },
  local_state: { stack_frame: "0x0641662E94D68EC970D0AFC059D02729BBF4A2CD88C548CCD9FB1E26E570C66C", call_stack: "0x" + "0".repeat(64), transaction_commitment: "0x" + "0".repeat(64), full_transaction_commitment: "0x" + "0".repeat(64),
    excess: signed("0"), supply_increase: signed("0"), ledger: "jw6bz2wud1N6itRUHZ5ypo3267stk4UgzkiuWtAMPRZo9g4Udyd", success: true, account_update_index: "0", failure_status_tbl: [], will_succeed: true } });
const epochData = (seed, lock) => ({ ledger: { hash: LEDGER, total_currency: "1000000000000000" }, seed, start_checkpoint: hash(1), lock_checkpoint: lock, epoch_length: "1" });
/** Frontier_base.Breadcrumb.to_yojson of a block at height with slot height + 1 (shapes of Mina develop 9f068b1c3b) */
function breadcrumb(height) {
  const slot = String(height + 1);
  return {
    validated_transition: {
      data: {
        protocol_state: {
          previous_state_hash: hash(height - 1),
          body: {
            genesis_state_hash: hash(1),
            blockchain_state: {
              staged_ledger_hash: { non_snark: { ledger_hash: LEDGER, aux_hash: "VHK1wNNNStDStffTw4WUKsA7XpWHUAgZqqE6hwyE5jPejatdqy", pending_coinbase_aux: "XH9htC21tQMDKM6hhATkQjecZPRUGpofWATXPkjB5QKxpTBv7H" }, pending_coinbase_hash: "2mzcFr5TxgWNmHe2dBbvGZRqSGLjx8vRxAZJL3nDdM1gHEBD3YYo" },
              genesis_ledger_hash: LEDGER,
              ledger_proof_statement: { source: registers(), target: registers(), connecting_ledger_left: LEDGER, connecting_ledger_right: LEDGER, supply_increase: signed("0"),
                fee_excess: [{ token: "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf", amount: signed("0") }, { token: "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf", amount: signed("0") }], sok_digest: null },
              timestamp: String(Date.now()),
              body_reference: "8268e884f4cdf5d5d2616eaf434fc876eec5da521f5be8b44a6298df942f4345",
            },
            consensus_state: {
              blockchain_length: String(height), epoch_count: "0", min_window_density: "6", sub_window_densities: ["1", "0", "0"],
              last_vrf_output: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", total_currency: "1000000000000000",
              curr_global_slot: { slot_number: slot, slots_per_epoch: "480" }, global_slot_since_genesis: slot,
              staking_epoch_data: epochData("2va9BGv9JrLTtrzZttiEMDYw1Zj6a6EHzXjmP9evHDTG3oEquURA", hash(1)),
              next_epoch_data: epochData("2vbhjwHdFZqQaG1zZVkrnHacQba792hNoPuBd4KLTnMgwCSP5f4d", hash(height - 1)),
              has_ancestor_in_same_checkpoint_window: true, block_stake_winner: publicKey, block_creator: publicKey, coinbase_receiver: publicKey, supercharge_coinbase: false,
            },
            constants: { k: "10", slots_per_epoch: "480", slots_per_sub_window: "2", delta: "0", genesis_state_timestamp: "1548878400000" },
          },
        },
        protocol_state_proof: "<opaque>", staged_ledger_diff: "<opaque>", delta_transition_chain_proof: "<opaque>", current_protocol_version: "3.0.0", proposed_protocol_version: "<None>",
      },
      hash: { state_body_hash: "3WthpkfEMnbcjVUz8bgTwfLLiQEdtzboddTCP7BaHMekK8c5pnG4", state_hash: hash(height) },
    },
    staged_ledger: "<opaque>",
    just_emitted_a_proof: false,
    transition_receipt_time: new Date().toISOString().slice(0, 23) + "000Z",
  };
}
function blockProduced(height, level) {
  write(level, events.blockProduced.message, { breadcrumb: breadcrumb(height) }, events.blockProduced);
}
process.on("SIGTERM", () => {
  for (let i = 0; i < plan.linesOnStop; i++) write("Info", "pipeline stop line $i", { i });
  process.stdout.write("", () => process.exit(0));
});
write("Debug", events.initialized.message, {}, events.initialized);
for (let i = 0; i < plan.plainLines; i++) write(i % 3 === 0 ? "Debug" : "Info", "pipeline line $i", { i });
for (let i = 0; i < plan.bigLines; i++) write("Info", "pipeline big line $i", { i, filler: "x".repeat(plan.bigLineBytes) });
if (blockProducer) {
  for (let h = 2; h < 2 + plan.blocksAtInfo; h++) blockProduced(h, "Info");
  blockProduced(2 + plan.blocksAtInfo, "Debug");
}
write("Info", "${LAST_LINE_MESSAGE}", { written: seq + 1 });
setInterval(() => {}, 1 << 30);
`;
}

/** Builds the FROM-scratch image: Node runtime, the real forwarder bundle, the stand-in daemon (swarm-manager's test image). */
export async function buildPipelineImage(tag: string, plan: PipelineDaemonPlan): Promise<void> {
  await buildTestImage(tag, { daemon: pipelineDaemonScript(plan), label: "pipeline" });
}
