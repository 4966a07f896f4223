// Test support for pipeline.docker.test.ts (not exported from index.ts): a stand-in Mina
// daemon whose output is known in advance, and the FROM-scratch image that runs it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STRUCTURED_EVENTS, eventIdOf } from "@mina-local/engine";
import { buildScratchImage } from "@mina-local/image-builder";
import { bundleForwarder } from "@mina-local/log-forwarder/build";

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
 * Lines a node's daemon writes over its life: Node_initialization (Debug), the plain
 * lines, the big lines, its blocks, the last-line marker, and the lines on stop.
 */
export function plannedLines(plan: PipelineDaemonPlan, blockProducer: boolean, options: { dropDebug: boolean }): number {
  const all = 1 + plan.plainLines + plan.bigLines + (blockProducer ? plan.blocksAtInfo + 1 : 0) + 1 + plan.linesOnStop;
  return options.dropDebug ? all - debugPlainLines(plan) : all;
}

/**
 * The daemon: a node script, installed as /usr/local/bin/mina. It learns its role from
 * Mina's flags (`-seed`, `-block-producer-key`), its public key from the key file next to
 * the private key, writes its planned lines (Mina-shaped JSON, `metadata.seq` counting
 * every line it writes), then idles until SIGTERM, when it writes `linesOnStop` more.
 */
export function pipelineDaemonScript(plan: PipelineDaemonPlan): string {
  const events = {
    Node_initialization: { id: eventIdOf("Node_initialization"), message: STRUCTURED_EVENTS.Node_initialization.message },
    Block_produced: { id: eventIdOf("Block_produced"), message: STRUCTURED_EVENTS.Block_produced.message },
  };
  return `#!/usr/bin/node
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const plan = ${JSON.stringify(plan)};
const events = ${JSON.stringify(events)};
const argv = process.argv.slice(2);
const keyAt = argv.indexOf("-block-producer-key");
const blockProducer = keyAt >= 0;
const publicKey = blockProducer ? fs.readFileSync(argv[keyAt + 1] + ".pub", "utf8").trim() : "";
const node = os.hostname();
let seq = 0;
const timestamp = () => new Date().toISOString().replace("T", " ").replace(/Z$/, "000Z");
function write(level, message, metadata, eventId) {
  const line = { timestamp: timestamp(), level, source: { module: "${PIPELINE_MODULE}", location: 'File "pipeline-daemon.js", line 1' }, message, metadata: { ...metadata, node, seq: seq++ } };
  if (eventId) line.event_id = eventId;
  process.stdout.write(JSON.stringify(line) + "\\n");
}
function hash(n) {
  return "3N" + String(n).padStart(49, "K");
}
function blockProduced(height, level) {
  write(level, events.Block_produced.message, {
    breadcrumb: {
      state_hash: hash(height),
      just_emitted_a_proof: false,
      validated_transition: { data: { protocol_state: { previous_state_hash: hash(height - 1), body: { consensus_state: {
        blockchain_length: String(height), epoch_count: "0",
        curr_global_slot: { slot_number: String(height + 1), slots_per_epoch: "480" },
        block_creator: publicKey, coinbase_receiver: publicKey } } } } },
      user_commands_count: 0,
    },
  }, events.Block_produced.id);
}
process.on("SIGTERM", () => {
  for (let i = 0; i < plan.linesOnStop; i++) write("Info", "pipeline stop line $i", { i });
  process.stdout.write("", () => process.exit(0));
});
write("Debug", events.Node_initialization.message, {}, events.Node_initialization.id);
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

/** Builds the FROM-scratch image: Node runtime, the real forwarder bundle, the stand-in daemon. */
export async function buildPipelineImage(tag: string, plan: PipelineDaemonPlan): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "pipeline-image-"));
  try {
    const { outFile } = await bundleForwarder({ outFile: join(work, "forwarder.cjs") });
    const bundle = await readFile(outFile, "utf8");
    await buildScratchImage({
      tag,
      files: [
        { path: "/mina-local/forwarder", content: `#!/usr/bin/node\n${bundle}`, mode: 0o755 },
        { path: "/usr/local/bin/mina", content: pipelineDaemonScript(plan), mode: 0o755 },
      ],
      env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
      labels: { "mina-local.test": "pipeline" },
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
