import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LABELS, runPaths } from "@mina-local/compose-generator";
import { isOtherOwnerAlive, type SwarmManager, type RunOwner } from "@mina-local/swarm-manager";
import { GRAPHQL_PORTS_FILE } from "./graphql-proxy.js";
import { registeredRunDirs, unregisterRun } from "./run-registry.js";

/**
 * What a run that died without its teardown (SIGKILL, power loss) leaves: swarm objects
 * (labelled with the owner's pid and start time), the FIFO and sockets in its run
 * directory, and an orphaned nats-server. The next start sweeps them, as testcontainers'
 * reaper does; `test_executive cleanup` does it on demand. Never what a live run owns.
 */
const OWNER_FILE = "owner.json";

const OwnerFileSchema = z.object({ pid: z.number().int().positive(), start: z.string(), natsPid: z.number().int().positive().optional() });

export function recordOwner(runDir: string, owner: RunOwner, natsPid?: number): void {
  writeFileSync(join(runDir, OWNER_FILE), `${JSON.stringify({ ...owner, ...(natsPid && { natsPid }) })}\n`, { mode: 0o600 });
}

const ownerLabels = (owner: { pid: number; start: string }) => ({ [LABELS.ownerPid]: String(owner.pid), [LABELS.ownerStart]: owner.start });

export interface SweepResult {
  runs: string[];
  runDirs: string[];
  skipped: string[];
}

export type SweepScope =
  /** runs recorded in this output directory, or anywhere on the machine (the run registry), whose owner is gone (the sweep at every start) */
  | { kind: "output-dir" }
  /** also every run on this Docker engine with a dead owner (`test_executive cleanup`) */
  | { kind: "all" }
  /** this run, even without owner labels, unless its owner is alive (`test_executive cleanup --run`) */
  | { kind: "run"; runId: string };

export async function sweepAbandonedRuns(outputDir: string, swarm: SwarmManager, scope: SweepScope): Promise<SweepResult> {
  const result: SweepResult = { runs: [], runDirs: [], skipped: [] };
  const collect = (cleaned: Awaited<ReturnType<SwarmManager["cleanup"]>>) => {
    result.runs.push(...cleaned.removed.map((r) => r.runId));
    result.skipped.push(...cleaned.skipped.map((s) => s.runId));
  };
  const deadRunDirs = abandonedRunDirs(outputDir).filter((dir) => scope.kind !== "run" || dir.runId === scope.runId);
  // runs of other output directories, found through the machine's run registry
  for (const registered of registeredRunDirs()) {
    if (deadRunDirs.some((d) => d.runDir === registered.runDir) || (scope.kind === "run" && registered.runId !== scope.runId)) continue;
    const dead = abandonedRunDir(registered.runDir, registered.runId);
    if (dead) deadRunDirs.push(dead);
  }
  if (scope.kind === "all") {
    // objects without owner labels were not made by a test_executive: not ours to judge
    collect(await swarm.cleanup({ isOwnerAlive: (labels) => labels[LABELS.ownerPid] === undefined || isOtherOwnerAlive(labels) }));
  } else if (scope.kind === "run") {
    collect(await swarm.cleanup({ runId: scope.runId, isOwnerAlive: isOtherOwnerAlive }));
  } else {
    for (const dir of deadRunDirs) collect(await swarm.cleanup({ runId: dir.runId, isOwnerAlive: isOtherOwnerAlive }));
  }
  for (const dir of deadRunDirs) {
    if (result.skipped.includes(dir.runId)) continue;
    const paths = runPaths(dir.runDir);
    const natsStore = join(dir.runDir, "nats");
    if (dir.natsPid && processHolds(dir.natsPid, natsStore)) process.kill(dir.natsPid, "SIGKILL");
    // graphql-ports.json lists ports that died with the run's executive
    const leftovers = [paths.shared, natsStore, join(dir.runDir, GRAPHQL_PORTS_FILE)].filter((p) => existsSync(p));
    for (const path of leftovers) rmSync(path, { recursive: true, force: true });
    rmSync(join(dir.runDir, OWNER_FILE), { force: true });
    unregisterRun(dir.runId);
    if (leftovers.length > 0) result.runDirs.push(dir.runDir);
  }
  return result;
}

interface DeadRunDir {
  runId: string;
  runDir: string;
  natsPid?: number;
}

/** Run directories of `outputDir` whose owner.json names a process that is gone. */
function abandonedRunDirs(outputDir: string): DeadRunDir[] {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => abandonedRunDir(join(outputDir, entry.name), entry.name))
    .filter((dir): dir is DeadRunDir => dir !== undefined);
}

/** The run directory, if its owner.json proves its owner dead. */
export function abandonedRunDir(runDir: string, runId: string): DeadRunDir | undefined {
  const ownerFile = join(runDir, OWNER_FILE);
  if (!existsSync(ownerFile)) return undefined;
  const owner = OwnerFileSchema.safeParse(safeJson(readFileSync(ownerFile, "utf8")));
  // this process's own run is not abandoned (isOtherOwnerAlive counts it as removable)
  if (!owner.success || owner.data.pid === process.pid || isOtherOwnerAlive(ownerLabels(owner.data))) return undefined;
  return { runId, runDir, ...(owner.data.natsPid && { natsPid: owner.data.natsPid }) };
}

/** Whether `pid` is a live process whose command line names `path` (so a reused pid is never killed). */
function processHolds(pid: number, path: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .some((arg) => arg.includes(path));
  } catch {
    return false;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
