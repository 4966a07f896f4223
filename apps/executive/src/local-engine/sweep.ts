import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LABELS, runPaths } from "@mina-local/compose-generator";
import { isOtherOwnerAlive, type SwarmManager, type RunOwner } from "@mina-local/swarm-manager";

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

/**
 * `onlyOwned`: the automatic sweep at start leaves objects without owner labels alone
 * (they are not a test_executive's); `test_executive cleanup` removes them too.
 */
export async function sweepAbandonedRuns(outputDir: string, swarm: SwarmManager, options: { onlyOwned: boolean; runId?: string }): Promise<SweepResult> {
  const result: SweepResult = { runs: [], runDirs: [], skipped: [] };
  const cleaned = await swarm.cleanup({
    ...(options.runId && { runId: options.runId }),
    isOwnerAlive: (labels) => (options.onlyOwned && labels[LABELS.ownerPid] === undefined) || isOtherOwnerAlive(labels),
  });
  result.runs = cleaned.removed.map((r) => r.runId);
  result.skipped = cleaned.skipped.map((s) => s.runId);
  if (!existsSync(outputDir)) return result;
  for (const entry of readdirSync(outputDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    if (options.runId && entry.name !== options.runId) continue;
    const runDir = join(outputDir, entry.name);
    const ownerFile = join(runDir, OWNER_FILE);
    if (!existsSync(ownerFile)) continue;
    const owner = OwnerFileSchema.safeParse(safeJson(readFileSync(ownerFile, "utf8")));
    if (!owner.success || isOtherOwnerAlive(ownerLabels(owner.data))) continue;
    const paths = runPaths(runDir);
    const natsStore = join(runDir, "nats");
    if (owner.data.natsPid && processHolds(owner.data.natsPid, natsStore)) process.kill(owner.data.natsPid, "SIGKILL");
    const leftovers = [paths.fifo, paths.socketsDir, natsStore].filter((p) => existsSync(p));
    for (const path of leftovers) rmSync(path, { recursive: true, force: true });
    rmSync(ownerFile, { force: true });
    if (leftovers.length > 0) result.runDirs.push(runDir);
  }
  return result;
}

/** Whether `pid` is a live process whose command line names `path` (so a reused pid is never killed). */
function processHolds(pid: number, path: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some((arg) => arg.includes(path));
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
