import type Docker from "dockerode";
import { groupByRun, listLabelled, type RunObjects } from "./runs.js";
import { isOtherOwnerAlive } from "./owner.js";
import { removeStack, type RemoveResult } from "./teardown.js";

export async function listRuns(docker: Docker, callTimeoutMs?: number): Promise<RunObjects[]> {
  const [services, containers, networks] = await listLabelled(docker, undefined, callTimeoutMs);
  return groupByRun(services!, containers!, networks!);
}

export interface CleanupOptions {
  /** only this run; default every run found by label */
  runId?: string;
  /** whether a run's owner (from its labels) is alive: its objects are then left alone. Default: another live process on this host */
  isOwnerAlive?: (labels: Record<string, string>) => boolean;
  /** bound per run; default 60 s */
  timeoutMs?: number;
  callTimeoutMs?: number;
}

export interface CleanupResult {
  removed: RemoveResult[];
  /** runs left alone because their owner is alive */
  skipped: { runId: string; labels: Record<string, string> }[];
}

/** Removes the services, containers and networks of every abandoned run (or of one run). */
export async function cleanup(docker: Docker, options: CleanupOptions = {}): Promise<CleanupResult> {
  const isOwnerAlive = options.isOwnerAlive ?? isOtherOwnerAlive;
  const runs = (await listRuns(docker, options.callTimeoutMs)).filter((run) => options.runId === undefined || run.runId === options.runId);
  const result: CleanupResult = { removed: [], skipped: [] };
  for (const run of runs) {
    if (isOwnerAlive(run.labels)) {
      result.skipped.push({ runId: run.runId, labels: run.labels });
      continue;
    }
    result.removed.push(await removeStack(docker, run.runId, { timeoutMs: options.timeoutMs ?? 60_000, ...(options.callTimeoutMs && { callTimeoutMs: options.callTimeoutMs }) }));
  }
  return result;
}
