import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SwarmManager } from "@mina-local/swarm-manager";
import type { BenchCleanup } from "./cleanup.js";
import { benchRunDir, benchRunId } from "./run-ids.js";
import { childPids, commOf, containerRssBytes, containersByLabel, leftoversOf, processRssBytes, run } from "./system.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const EXECUTIVE_BIN = join(REPO_ROOT, "apps/executive/bin/test_executive.js");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A user's test file (plain ESM: a test file needs no import): N simulator nodes (one seed,
 * N-1 block producers). Its body polls every node's daemonStatus through the executive's
 * GraphQL clients (the forwarder sockets) until all answer, records when, then waits for
 * the bench's release file so the bench can read the footprint.
 */
export function spinupTestFile(nodes: number): string {
  const producers = Array.from({ length: nodes - 1 }, (_, i) => `bp${i + 1}`);
  const config = {
    genesis_ledger: producers.map((name) => ({ account_name: `${name}-key`, balance: "1000" })),
    block_producers: producers.map((name) => ({ node_name: name, account_name: `${name}-key` })),
  };
  return `import { existsSync, writeFileSync } from "node:fs";
const out = process.env.MINA_LOCAL_BENCH_OUT;
const release = process.env.MINA_LOCAL_BENCH_RELEASE;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export default {
  name: "bench-spinup-${nodes}",
  description: "bench: ${nodes} simulator nodes, every node's GraphQL answering",
  config: ${JSON.stringify(config)},
  async run(t) {
    const bodyStart = Date.now();
    const answered = {};
    await Promise.all(t.network.all.map(async (node) => {
      for (;;) {
        if (t.signal.aborted) throw new Error("interrupted");
        try {
          await node.graphql.daemonStatus({ timeoutMs: 2000 });
          answered[node.name] = Date.now();
          return;
        } catch {
          await sleep(100);
        }
      }
    }));
    const record = { bodyStart, answered, allAnswered: Date.now(), nodes: t.network.all.length };
    writeFileSync(out, JSON.stringify(record));
    const deadline = Date.now() + 180000;
    while (!existsSync(release) && Date.now() < deadline && !t.signal.aborted) await sleep(20);
    writeFileSync(out, JSON.stringify({ ...record, bodyEnd: Date.now() }));
  },
};
`;
}

const RecordSchema = z.object({
  bodyStart: z.number(),
  answered: z.record(z.string(), z.number()),
  allAnswered: z.number(),
  nodes: z.number(),
  bodyEnd: z.number().optional(),
});

export interface Footprint {
  /** per simulator node container (forwarder + daemon-sim): cgroup RSS, MiB */
  nodeRssMiB: { min: number; mean: number; max: number; count: number };
  /** `docker stats --no-stream` memory column of the same containers, as printed */
  dockerStats: string[];
  executiveRssMiB: number | undefined;
  natsServerRssMiB: number | undefined;
}

export interface SpinupResult {
  nodes: number;
  runId: string;
  /** CLI started -> every node's GraphQL answered */
  spinupMs: number;
  /** CLI started -> the test body started (containers deployed, tasks running, forwarders answering) */
  toBodyMs: number;
  /** executive's steps, ms from the CLI start, as it logged them */
  steps: { step: string; atMs: number }[];
  /** test body ended -> no service, container or network with the run's label */
  teardownToNothingMs: number | undefined;
  /** test body ended -> the CLI exited (its teardown includes draining the log pipeline) */
  teardownToExitMs: number | undefined;
  exitCode: number | null;
  footprint?: Footprint;
}

const MiB = 1024 * 1024;

interface CliRun {
  exit: Promise<number | null>;
  pid: number | undefined;
  startedAt: number;
}

function startCli(args: string[], logFile: string, env: NodeJS.ProcessEnv, cleanup: BenchCleanup, outputDir: string): { cli: CliRun; forget: () => Promise<void> } {
  const out = createWriteStream(logFile);
  const startedAt = Date.now();
  const child = spawn(process.execPath, [EXECUTIVE_BIN, ...args], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // interrupted: SIGINT lets the executive tear its run down; then sweep its label anyway
  const forget = cleanup.add("stopping test_executive", async () => {
    if (child.exitCode === null) {
      child.kill("SIGINT");
      await Promise.race([exit, sleep(90_000)]);
    }
    const runId = runIdIn(outputDir);
    if (runId && (await leftoversOf(runId)) > 0) await (await SwarmManager.connect()).removeStack(runId, { timeoutMs: 60_000 });
  });
  return { cli: { exit, pid: child.pid, startedAt }, forget };
}

const runIdIn = (outputDir: string): string | undefined => readdirSync(outputDir).find((name) => !name.startsWith("."));

/** Executive step lines ({"metadata":{"step":...}}) with their time from the CLI start. */
function stepsOf(logFile: string, startedAt: number): { step: string; atMs: number }[] {
  const steps: { step: string; atMs: number }[] = [];
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const parsed = JSON.parse(line) as { timestamp?: string; metadata?: { step?: unknown } };
      if (typeof parsed.metadata?.step !== "string" || !parsed.timestamp) continue;
      const at = Date.parse(parsed.timestamp.replace(" ", "T"));
      if (!Number.isNaN(at)) steps.push({ step: parsed.metadata.step, atMs: at - startedAt });
    } catch {
      // not a log line
    }
  }
  return steps;
}

async function footprintOf(runId: string, cliPid: number | undefined): Promise<Footprint> {
  const ids = await containersByLabel(`mina-local.run=${runId}`);
  const rss = ids
    .map((id) => containerRssBytes(id))
    .filter((v): v is number => v !== undefined)
    .map((v) => v / MiB);
  const stats = await run("docker", ["stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}", ...ids], 60_000);
  const nats = cliPid === undefined ? undefined : childPids(cliPid).find((pid) => commOf(pid) === "nats-server");
  return {
    nodeRssMiB: {
      min: Math.min(...rss),
      max: Math.max(...rss),
      mean: rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length),
      count: rss.length,
    },
    dockerStats: stats.split("\n").filter(Boolean),
    executiveRssMiB: cliPid === undefined ? undefined : (processRssBytes(cliPid) ?? 0) / MiB,
    natsServerRssMiB: nats === undefined ? undefined : (processRssBytes(nats) ?? 0) / MiB,
  };
}

/**
 * `test_executive local <a test file of N nodes>`: spin-up (CLI start to every node's
 * GraphQL answering), teardown (end of the test body to nothing left by label) and, on
 * request, the footprint while the network runs.
 */
export async function runSpinup(options: { nodes: number; cleanup: BenchCleanup; withFootprint: boolean; log?: (line: string) => void }): Promise<SpinupResult> {
  const dir = benchRunDir(benchRunId("spin"));
  const removeDir = options.cleanup.directory(dir);
  const testFile = join(dir, `bench-spinup-${options.nodes}.mjs`);
  writeFileSync(testFile, spinupTestFile(options.nodes));
  const outFile = join(dir, "record.json");
  const releaseFile = join(dir, "release");
  const outputDir = join(dir, "runs");
  mkdirSync(outputDir);
  const env = { ...process.env, MINA_LOCAL_BENCH_OUT: outFile, MINA_LOCAL_BENCH_RELEASE: releaseFile };
  options.log?.(`  test_executive local bench-spinup-${options.nodes}.mjs (${options.nodes} nodes)`);
  const { cli, forget } = startCli(["local", testFile, "--output-dir", outputDir, "--log-level", "info"], join(dir, "executive.log"), env, options.cleanup, outputDir);
  const exitedEarly = { code: undefined as number | null | undefined };
  void cli.exit.then((code) => (exitedEarly.code = code));

  const readRecord = () => (existsSync(outFile) ? RecordSchema.parse(JSON.parse(readFileSync(outFile, "utf8"))) : undefined);
  const deadline = Date.now() + 600_000;
  while (!readRecord() && exitedEarly.code === undefined && Date.now() < deadline) await sleep(50);
  const record = readRecord();
  if (!record) {
    const tail = readFileSync(join(dir, "executive.log"), "utf8").split("\n").slice(-15).join("\n");
    await forget();
    throw new Error(`test_executive (${options.nodes} nodes) ended (exit ${exitedEarly.code}) before every node answered; its log ends:\n${tail}`);
  }
  const runId = runIdIn(outputDir) ?? "?";
  let footprint: Footprint | undefined;
  if (options.withFootprint) {
    await sleep(5_000); // let the nodes settle after booting
    footprint = await footprintOf(runId, cli.pid);
  }
  writeFileSync(releaseFile, "done\n");
  let bodyEnd: number | undefined;
  let nothingLeftAt: number | undefined;
  while (Date.now() < deadline) {
    bodyEnd ??= readRecord()?.bodyEnd;
    if (bodyEnd !== undefined && (await leftoversOf(runId)) === 0) {
      nothingLeftAt = Date.now();
      break;
    }
    await sleep(100);
  }
  const exitCode = await cli.exit;
  const exitedAt = Date.now();
  await forget();
  const steps = stepsOf(join(dir, "executive.log"), cli.startedAt);
  await removeDir();
  return {
    nodes: options.nodes,
    runId,
    spinupMs: record.allAnswered - cli.startedAt,
    toBodyMs: record.bodyStart - cli.startedAt,
    steps,
    teardownToNothingMs: bodyEnd !== undefined && nothingLeftAt !== undefined ? nothingLeftAt - bodyEnd : undefined,
    teardownToExitMs: bodyEnd !== undefined ? exitedAt - bodyEnd : undefined,
    exitCode,
    ...(footprint && { footprint }),
  };
}

export interface SendPaymentResult {
  wallMs: number;
  exitCode: number | null;
  outcome: string | undefined;
  reportDurationMs: number | undefined;
}

/** A whole `test_executive local send-payment`, wall time from spawn to exit. */
export async function runSendPayment(options: { cleanup: BenchCleanup; log?: (line: string) => void }): Promise<SendPaymentResult> {
  const dir = benchRunDir(benchRunId("pay"));
  const removeDir = options.cleanup.directory(dir);
  const outputDir = join(dir, "runs");
  mkdirSync(outputDir);
  options.log?.("  test_executive local send-payment");
  const { cli, forget } = startCli(["local", "send-payment", "--output-dir", outputDir, "--log-level", "info"], join(dir, "executive.log"), process.env, options.cleanup, outputDir);
  const exitCode = await cli.exit;
  const wallMs = Date.now() - cli.startedAt;
  await forget();
  const runId = runIdIn(outputDir);
  const reportFile = runId ? join(outputDir, runId, "report.json") : undefined;
  const report = reportFile && existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, "utf8")) as { outcome?: string; durationMs?: number }) : undefined;
  await removeDir();
  return { wallMs, exitCode, outcome: report?.outcome, reportDurationMs: report?.durationMs };
}
