// A sample run for the report page's tests: two block producers that fork at height 2, a seed.
import { NO_PIPELINE_ERRORS, type TestReport } from "../report/model.js";
import type { StoryEvent } from "../report/html/run-story.js";

export const START = "2026-12-01T10:00:00.000Z";
export const SAMPLE_REPORT: TestReport = {
  test: "two-blocks <&>",
  runId: "mlsample",
  runDir: "/tmp/mlsample",
  image: "mina-local/daemon-sim:abc",
  startedAt: START,
  durationMs: 30_000,
  outcome: "hard-errors",
  sections: [
    { name: "wait for nodes to initialize", status: "passed", durationMs: 8_000, startedAt: "2026-12-01T10:00:05.000Z" },
    { name: "produce two blocks", status: "failed", durationMs: 12_000, startedAt: "2026-12-01T10:00:13.000Z" },
  ],
  errors: [
    { severity: "hard", section: "produce two blocks", message: "timed out waiting for 2 blocks\n  last: 1 block", node: "bp" },
    { severity: "hard", section: "(log pipeline)", message: "3 log lines were lost" },
  ],
  pipeline: { linesRelayed: 120, linesReceived: 120, linesLost: 0, blankLines: 0, parseErrors: 1, eventsReceived: 40, maxLagMs: 80, errors: NO_PIPELINE_ERRORS },
  failure: "teardown: something <b>bad</b>",
};

const at = (s: number) => `2026-12-01 10:00:${String(s).padStart(2, "0")}.123456Z`;
const produced = (node: string, s: number, hash: string, parent: string, height: number): StoryEvent => ({
  node,
  type: "Block_produced",
  timestamp: at(s),
  data: { state_hash: hash, previous_state_hash: parent, block_height: height, global_slot: s, creator: "B62q" },
});
const tip = (node: string, s: number, hash: string): StoryEvent => ({ node, type: "Transition_frontier_diff_application", timestamp: at(s), data: { best_tip_changed: hash } });
export const SAMPLE_NODES = [
  { name: "seed", role: "seed" },
  { name: "bp", role: "block-producer" },
  { name: "bp2", role: "block-producer" },
];
export const SAMPLE_EVENTS: StoryEvent[] = [
  { node: "bp", type: "Node_started", timestamp: at(2), data: {} },
  produced("bp", 14, "3NKaaaaaaaaaaaaaaaaaaaa1", "3NKgenesis", 2),
  produced("bp2", 15, "3NKbbbbbbbbbbbbbbbbbbbb2", "3NKgenesis", 2),
  produced("bp", 20, "3NKcccccccccccccccccccc3", "3NKaaaaaaaaaaaaaaaaaaaa1", 3),
  { node: "seed", type: "Block_gossip", timestamp: at(21), data: { state_hash: "3NKcccccccccccccccccccc3", direction: "Received" } },
  { node: "seed", type: "Block_gossip", timestamp: at(22), data: { state_hash: "x", direction: "Sent" } },
  tip("seed", 21, "3NKcccccccccccccccccccc3"),
  tip("bp", 20, "3NKcccccccccccccccccccc3"),
  tip("bp2", 15, "3NKbbbbbbbbbbbbbbbbbbbb2"),
  { node: "bp2", type: "Log_error", timestamp: at(25), data: { level: "Error", severity: "hard", message: "bad <thing>" } },
  { node: "bp2", type: "Node_stopped", timestamp: at(26), data: {} },
];
