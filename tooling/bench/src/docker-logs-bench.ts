import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runPaths } from "@mina-local/compose-generator";
import { SwarmManager } from "@mina-local/swarm-manager";
import type { BenchCleanup } from "./cleanup.js";
import { countLines, perSecond } from "./measure.js";
import { benchRunDir, benchRunId, touch, writerArgs, writerNames, type WriterLoad } from "./run-ids.js";
import { containerCpuMs, containersByLabel, pidsByName, processCpuMs } from "./system.js";
import { CONTAINER_GO_FILE, deployWriters } from "./writer-stack.js";

export interface DockerLogsReading {
  /** the command, as a user would type it for one writer */
  command: string;
  linesExpected: number;
  linesSeen: number;
  complete: boolean;
  wallMs: number;
  linesPerSecond: number;
  mbPerSecond: number;
  /** dockerd + containerd + the docker CLI processes (+ the writer containers while they write) */
  cpu: { dockerMs: number; cliMs: number; containersMs: number };
}

export interface DockerLogsResult {
  runId: string;
  containers: number;
  serviceLogs: DockerLogsReading;
  dockerLogs: DockerLogsReading;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const dockerDaemonCpu = () => [...pidsByName("dockerd"), ...pidsByName("containerd")].reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);

interface Follower {
  child: ChildProcess;
  lines: number;
  bytes: number;
  lastAt: number;
  partial: boolean;
}

function follow(args: string[]): Follower {
  const child = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"] });
  const follower: Follower = { child, lines: 0, bytes: 0, lastAt: 0, partial: false };
  const onData = (chunk: Buffer) => {
    follower.bytes += chunk.length;
    follower.lines += countLines(chunk) - (chunk[chunk.length - 1] === 0x0a ? 0 : 1);
    follower.lastAt = now();
  };
  // `docker logs` replays the container's stdout on stdout; nothing of ours goes to stderr, but count both
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return follower;
}

async function readAll(
  what: string,
  argsOf: (index: number) => string[],
  count: number,
  perWriter: number,
  containerIds: string[],
  timeoutMs: number,
  cleanup: BenchCleanup,
  beforeStart?: () => void,
): Promise<DockerLogsReading> {
  const followers = Array.from({ length: count }, (_, i) => follow(argsOf(i)));
  const kills = followers.map((f) => cleanup.process(what, f.child.pid));
  await sleep(300);
  const cliCpu = () => followers.reduce((sum, f) => sum + (f.child.pid === undefined ? 0 : (processCpuMs(f.child.pid) ?? 0)), 0);
  const containersCpu = () => containerIds.reduce((sum, id) => sum + (containerCpuMs(id) ?? 0), 0);
  const before = { docker: dockerDaemonCpu(), cli: cliCpu(), containers: containersCpu() };
  const t0 = now();
  beforeStart?.();
  const deadline = Date.now() + timeoutMs;
  const done = () => followers.every((f) => f.lines >= perWriter);
  while (!done() && Date.now() < deadline) await sleep(10);
  const complete = done();
  const after = { docker: dockerDaemonCpu(), cli: cliCpu(), containers: containersCpu() };
  const end = complete ? Math.max(...followers.map((f) => f.lastAt)) : now();
  for (const kill of kills) await kill();
  const seen = followers.reduce((sum, f) => sum + Math.min(perWriter, f.lines), 0);
  const bytes = followers.reduce((sum, f) => sum + f.bytes, 0);
  return {
    command: `docker ${argsOf(0).join(" ")}`,
    linesExpected: perWriter * count,
    linesSeen: seen,
    complete,
    wallMs: end - t0,
    linesPerSecond: perSecond(seen, end - t0),
    mbPerSecond: perSecond(bytes, end - t0) / 1e6,
    cpu: { dockerMs: after.docker - before.docker, cliMs: after.cli - before.cli, containersMs: after.containers - before.containers },
  };
}

/**
 * What a user would use instead: the same writers (same image and lines) as PID 1 writing
 * to stdout, i.e. to Docker's `local` log driver, read with `docker service logs -f` per
 * service while they write, then with `docker logs -f` per container from the start.
 */
export async function runDockerLogs(options: {
  image: string;
  containers: number;
  load: WriterLoad;
  cleanup: BenchCleanup;
  timeoutMs: number;
  log?: (line: string) => void;
}): Promise<DockerLogsResult> {
  const { cleanup, load } = options;
  const runId = benchRunId("dlogs");
  const runDir = benchRunDir(runId);
  const removeDir = cleanup.directory(runDir);
  const paths = runPaths(runDir);
  mkdirSync(paths.shared, { recursive: true });
  const nodes = writerNames(options.containers);
  const swarm = await SwarmManager.connect();
  const removeStack = cleanup.stack(runId);
  options.log?.(`  deploying ${nodes.length} direct writer service(s) (run ${runId})`);
  await deployWriters(swarm, { runId, runDir, image: options.image, nodes, mode: "direct", writerArgs: (node) => writerArgs(node, load, CONTAINER_GO_FILE) });
  const containerIds = await containersByLabel(`mina-local.run=${runId}`);
  const containerOf = await Promise.all(nodes.map((node) => swarm.containerOf(runId, node)));

  options.log?.("  docker service logs -f, while the writers write");
  const serviceLogs = await readAll(
    "docker service logs",
    (i) => ["service", "logs", "-f", `${runId}_${nodes[i]}`],
    nodes.length,
    load.linesPerWriter,
    containerIds,
    options.timeoutMs,
    cleanup,
    () => touch(join(paths.shared, "go")),
  );
  options.log?.("  docker logs -f, from the start");
  const dockerLogs = await readAll("docker logs", (i) => ["logs", "-f", containerOf[i] ?? ""], nodes.length, load.linesPerWriter, [], options.timeoutMs, cleanup);
  await removeStack();
  await removeDir();
  return { runId, containers: nodes.length, serviceLogs, dockerLogs };
}
