// What report.html draws, computed from the run's events: pure, no I/O.

export interface StoryNode {
  name: string;
  role: string;
}

/** An event as the parser gives it, with its node and its line's timestamp (Mina's format). */
export interface StoryEvent {
  node: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export type MarkKind = "produced" | "received" | "started" | "stopped" | "crashed" | "offline" | "error" | "warning";

export interface LaneMark {
  kind: MarkKind;
  /** ms since the run started */
  atMs: number;
  label: string;
}

export interface Lane {
  node: string;
  role: string;
  marks: LaneMark[];
}

export interface Block {
  stateHash: string;
  previousStateHash: string;
  height: number;
  slot: number;
  producer: string;
}

export interface NodeChainView {
  node: string;
  /** the last best tip the node reported, undefined if it reported none */
  bestTip: string | undefined;
  bestTipHeight: number | undefined;
  bestTipChanges: number;
}

export interface RunStory {
  lanes: Lane[];
  /** every block a node produced, by state hash */
  blocks: Block[];
  views: NodeChainView[];
  /** heights at which more than one block was produced */
  forkHeights: number[];
  /** for each block, the nodes whose final best chain holds it */
  onBestChainOf: Record<string, string[]>;
}

/** Mina's timestamps ("2023-09-12 10:00:00.123456Z") as epoch ms; NaN when unreadable. */
export function minaTimeMs(timestamp: string): number {
  const iso = timestamp
    .trim()
    .replace(" ", "T")
    .replace(/(\.\d{3})\d+/, "$1");
  return Date.parse(iso);
}

const short = (hash: string) => (hash.length > 12 ? `${hash.slice(0, 6)}…${hash.slice(-4)}` : hash);

function markOf(event: StoryEvent): { kind: MarkKind; label: string } | undefined {
  const d = event.data;
  switch (event.type) {
    case "Block_produced":
      return { kind: "produced", label: `produced block ${String(d.block_height)} (slot ${String(d.global_slot)}) ${short(String(d.state_hash))}` };
    case "Block_gossip":
      return d.direction === "Received" ? { kind: "received", label: `received block ${short(String(d.state_hash))}` } : undefined;
    case "Node_started":
      return { kind: "started", label: d.fresh_state ? "daemon started (fresh state)" : "daemon started" };
    case "Node_stopped":
      return { kind: "stopped", label: "daemon stopped" };
    case "Node_crashed":
      return { kind: "crashed", label: `daemon crashed ${JSON.stringify(d)}` };
    case "Node_offline":
      return { kind: "offline", label: "node offline" };
    case "Log_error":
      return { kind: d.severity === "hard" ? "error" : "warning", label: `${String(d.level)}: ${String(d.message)}` };
    default:
      return undefined;
  }
}

/** Lanes (one per node, in the given order), the produced blocks, each node's view of the chain. */
export function runStory(nodes: readonly StoryNode[], events: readonly StoryEvent[], runStartMs: number): RunStory {
  const lanes = new Map<string, Lane>(nodes.map((n) => [n.name, { node: n.name, role: n.role, marks: [] }]));
  const blocks = new Map<string, Block>();
  const tips = new Map<string, { tip: string; changes: number }>();
  const sorted = [...events].sort((a, b) => minaTimeMs(a.timestamp) - minaTimeMs(b.timestamp));
  for (const event of sorted) {
    const lane = lanes.get(event.node);
    const mark = markOf(event);
    const at = minaTimeMs(event.timestamp);
    if (lane && mark && Number.isFinite(at)) lane.marks.push({ ...mark, atMs: Math.max(0, at - runStartMs) });
    if (event.type === "Block_produced") {
      const d = event.data;
      const stateHash = String(d.state_hash);
      blocks.set(stateHash, { stateHash, previousStateHash: String(d.previous_state_hash), height: Number(d.block_height), slot: Number(d.global_slot), producer: event.node });
    }
    if (event.type === "Transition_frontier_diff_application" && typeof event.data.best_tip_changed === "string") {
      const seen = tips.get(event.node);
      tips.set(event.node, { tip: event.data.best_tip_changed, changes: (seen?.changes ?? 0) + 1 });
    }
  }

  const onBestChainOf: Record<string, string[]> = {};
  const views: NodeChainView[] = nodes.map((n) => {
    const seen = tips.get(n.name);
    for (let hash = seen?.tip, steps = 0; hash !== undefined && steps < 10_000; steps++) {
      const block = blocks.get(hash);
      if (!block) break;
      (onBestChainOf[hash] ??= []).push(n.name);
      hash = block.previousStateHash;
    }
    return { node: n.name, bestTip: seen?.tip, bestTipHeight: seen ? blocks.get(seen.tip)?.height : undefined, bestTipChanges: seen?.changes ?? 0 };
  });

  const perHeight = new Map<number, number>();
  for (const block of blocks.values()) perHeight.set(block.height, (perHeight.get(block.height) ?? 0) + 1);
  const forkHeights = [...perHeight]
    .filter(([, count]) => count > 1)
    .map(([height]) => height)
    .sort((a, b) => a - b);
  const ordered = [...blocks.values()].sort((a, b) => b.height - a.height || a.slot - b.slot);
  return { lanes: [...lanes.values()], blocks: ordered, views, forkHeights, onBestChainOf };
}
