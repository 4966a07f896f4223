import fs from "node:fs";

/** Processes whose command line mentions one of `needles` (e.g. a host's exec-root), by pid. */
export function processesMentioning(needles: readonly string[]): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline !== "" && needles.some((n) => cmdline.includes(n))) found.push({ pid, cmdline });
  }
  return found;
}

/** The pids whose parent is `pid` (a shim's container processes). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // the command name is in parentheses and may hold spaces: the ppid is the 2nd field after it
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      continue;
    }
  }
  return children;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) {
    process.kill(pid, "SIGKILL");
    const killDeadline = Date.now() + 5_000;
    while (alive(pid) && Date.now() < killDeadline) await sleep(50);
  }
}

/** Mount points under one of `roots`, deepest first (so they can be unmounted in order). */
export function mountsUnder(roots: readonly string[]): string[] {
  const lines = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  const points = lines.map((line) => line.split(" ")[4]).filter((p): p is string => p !== undefined && roots.some((root) => p === root || p.startsWith(`${root}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
