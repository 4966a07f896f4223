import { readFileSync } from "node:fs";
import { LABELS } from "@mina-local/compose-generator";

export interface RunOwner {
  pid: number;
  /** the process's start time in clock ticks since boot (/proc/<pid>/stat field 22): a reused pid has another */
  start: string;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: split after its closing one
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

/** This process, as the owner labels of the runs it deploys record it. */
export function currentOwner(): RunOwner {
  return { pid: process.pid, start: startTimeOf(process.pid) ?? "unknown" };
}

/**
 * Whether the process named by a run's owner labels is still alive on this host and is
 * another process than this one (a run of our own is ours to remove). Objects without
 * owner labels count as abandoned.
 */
export function isOtherOwnerAlive(labels: Record<string, string>): boolean {
  const pid = Number(labels[LABELS.ownerPid]);
  const start = labels[LABELS.ownerStart];
  if (!Number.isInteger(pid) || pid <= 0 || start === undefined) return false;
  if (pid === process.pid) return false;
  return startTimeOf(pid) === start;
}
