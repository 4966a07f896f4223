import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIMULATOR_EVENT_ID_TABLE_NAME, eventIdTable } from "@mina-local/engine";

/** A run id for one bench phase (RUN_ID_PATTERN: a letter, then 3-19 letters or digits). */
export function benchRunId(kind: string): string {
  const suffix = randomBytes(5).toString("hex");
  return `b${kind.replace(/[^a-z0-9]/g, "").slice(0, 8)}${suffix}`;
}

/** A run directory under the temp dir (bind-mounted into the writers, so absolute). */
export function benchRunDir(runId: string): string {
  return mkdtempSync(join(tmpdir(), `mina-local-bench-${runId}-`));
}

/** The table the writers' ids come from (the simulator's: Mina develop 2023-09) and the parser reads them with. */
export const BENCH_EVENT_ID_TABLE = eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME);

/**
 * The event the writers emit as their probe lines: Mina's Gossip_new_state
 * (src/lib/mina_networking/mina_networking.ml, "Broadcasting new state over gossip net", Trace),
 * which the parser reads as Block_gossip (direction Sent) with its `state_hash`.
 */
export const PROBE_EVENT_ID = probeEventId();

function probeEventId(): string {
  const row = BENCH_EVENT_ID_TABLE.rows.find((r) => r.constructor === "Gossip_new_state");
  if (!row) throw new Error(`the ${BENCH_EVENT_ID_TABLE.name} table has no Gossip_new_state`);
  return row.id;
}
export const PROBE_STATE_HASH_PREFIX = "3NbenchProbe";

export interface WriterLoad {
  linesPerWriter: number;
  /** lines/s per writer; 0 = as fast as it can */
  rate: number;
  eventEvery: number;
  longEvery: number;
  /** a file of real Mina lines to replay instead of the generated ones (a path inside the writer's image) */
  replay?: string;
}

export const DEFAULT_EVENT_EVERY = 100;
export const DEFAULT_LONG_EVERY = 1000;

/** The writer's flags for one node. */
export function writerArgs(node: string, load: WriterLoad, goFile: string): string[] {
  return [
    "--node",
    node,
    "--lines",
    String(load.linesPerWriter),
    "--rate",
    String(load.rate),
    "--go",
    goFile,
    "--event-every",
    String(load.eventEvery),
    "--event-id",
    PROBE_EVENT_ID,
    "--long-every",
    String(load.longEvery),
    ...(load.replay ? ["--replay", load.replay] : []),
  ];
}

/** Probe events a writer emits for its lines (one every eventEvery, the last of each group). */
export const probeEventsPerWriter = (load: WriterLoad): number => (load.eventEvery > 0 ? Math.floor(load.linesPerWriter / load.eventEvery) : 0);

export const touch = (path: string): void => writeFileSync(path, "go\n");

export const writerNames = (count: number): string[] => Array.from({ length: count }, (_, i) => `w${i + 1}`);
