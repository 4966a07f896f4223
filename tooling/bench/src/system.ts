import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { withTimeout } from "@mina-local/engine";

/** Linux reports process CPU in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** user + system CPU of a live process, ms (undefined once it is gone). */
export function processCpuMs(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size of a live process, bytes. */
export function processRssBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Pids whose command name (/proc/<pid>/comm) is `name`, e.g. dockerd. */
export function pidsByName(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) pids.push(Number(entry));
    } catch {
      // the process ended while listing
    }
  }
  return pids;
}

/** Direct children of a process. */
export function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === parent) pids.push(Number(entry));
  }
  return pids;
}

export function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** A container's cgroup directory for a controller: cgroup v1 (cgroupfs or systemd driver) or v2. */
function cgroupDir(controller: "cpuacct" | "memory", id: string): { dir: string; v2: boolean } | undefined {
  const candidates = [
    { dir: `/sys/fs/cgroup/${controller}/docker/${id}`, v2: false },
    { dir: `/sys/fs/cgroup/${controller}/system.slice/docker-${id}.scope`, v2: false },
    { dir: `/sys/fs/cgroup/system.slice/docker-${id}.scope`, v2: true },
    { dir: `/sys/fs/cgroup/docker/${id}`, v2: true },
  ];
  return candidates.find((c) => existsSync(c.dir));
}

/** CPU used by a container since it started, ms (from its cgroup). */
export function containerCpuMs(id: string): number | undefined {
  const cg = cgroupDir("cpuacct", id);
  if (!cg) return undefined;
  try {
    if (!cg.v2) return Number(readFileSync(`${cg.dir}/cpuacct.usage`, "utf8")) / 1e6;
    const usage = /usage_usec (\d+)/.exec(readFileSync(`${cg.dir}/cpu.stat`, "utf8"));
    return usage ? Number(usage[1]) / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A container's resident memory (anonymous + page cache it is charged for is left out), bytes. */
export function containerRssBytes(id: string): number | undefined {
  const cg = cgroupDir("memory", id);
  if (!cg) return undefined;
  try {
    const stat = readFileSync(`${cg.dir}/memory.stat`, "utf8");
    const key = cg.v2 ? /^anon (\d+)$/m : /^total_rss (\d+)$/m;
    const match = key.exec(stat);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command with a timeout; resolves with stdout. */
export function run(command: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return withTimeout(
    `${command} ${args.join(" ")}`,
    timeoutMs,
    new Promise<string>((resolve, reject) => {
      execFile(command, args, { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${stderr.trim() || error.message}`));
        else resolve(stdout);
      });
    }),
    "docker",
  );
}

/** Ids of the (running or not) containers carrying a label. */
export async function containersByLabel(label: string): Promise<string[]> {
  const out = await run("docker", ["ps", "-aq", "--no-trunc", "--filter", `label=${label}`]);
  return out.split("\n").filter(Boolean);
}

/** What is left of a run, by label: services, containers, networks. */
export async function leftoversOf(runId: string): Promise<number> {
  const label = `label=mina-local.run=${runId}`;
  const [services, containers, networks] = await Promise.all([
    run("docker", ["service", "ls", "-q", "--filter", label]),
    run("docker", ["ps", "-aq", "--filter", label]),
    run("docker", ["network", "ls", "-q", "--filter", label]),
  ]);
  return [services, containers, networks].reduce((sum, out) => sum + out.split("\n").filter(Boolean).length, 0);
}
