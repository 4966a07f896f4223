/**
 * The log pipeline on the host, without Docker: N forwarders (the built bundle,
 * packages/log-forwarder/dist/forwarder.cjs) each running the bench writer as its daemon
 * -> one FIFO -> the pipeline host (relay + event parser, as the executive wires them) ->
 * nats-server. Prints CPU per line of each process from /proc (user+system, and system
 * alone) over the window from the go file to the relay counting every line received.
 * Not part of `pnpm bench` (its figures are the targets'): a quick way to compare the
 * host side's cost of two versions of the code on the same machine, minutes apart,
 * without the Docker lock. Build the bundle first (`pnpm --filter @mina-local/log-forwarder bundle`).
 *
 *   W=4 L=300000 [PROF=relay,fwd] pnpm --filter @mina-local/bench exec tsx src/host-pipeline.ts
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureFifo, ensureRunStream, startNatsServer } from "@mina-local/bus";
import type { RelayStats } from "@mina-local/bus";
import type { EventParserStats } from "@mina-local/event-parser";
import { IpcChild } from "./ipc-child.js";
import { summarizeProfile } from "./profile.js";
import { benchRunId, touch, writerArgs, writerNames } from "./run-ids.js";
import { childPids, processCpuMs } from "./system.js";

const writers = Number(process.env.W ?? 1);
const lines = Number(process.env.L ?? 300_000);
const profile = process.env.PROF ?? "";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const root = fileURLToPath(new URL("../../..", import.meta.url));
const FORWARDER = join(root, "packages/log-forwarder/dist/forwarder.cjs");
const WRITER = join(root, "tooling/bench/src/writer/mina-writer.cjs");

/** System CPU of a live process, ms. */
function systemCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[12]) * 10;
}

async function main(): Promise<void> {
  const runId = benchRunId("host");
  const dir = mkdtempSync(join(tmpdir(), `mina-local-bench-${runId}-`));
  const fifo = join(dir, "logs.fifo");
  const profileDir = join(dir, "profiles");
  mkdirSync(profileDir);
  ensureFifo(fifo);
  const nats = await startNatsServer({ storeDir: join(dir, "nats"), logFile: join(dir, "nats-server.log") });
  const nc = await nats.connect();
  await ensureRunStream(nc, runId);
  const host = new IpcChild(
    process.execPath,
    [...(profile.includes("relay") ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "--conditions=development", "--import", "tsx", join(root, "tooling/bench/src/pipeline-host.ts")],
    { ...process.env, MINA_LOCAL_BENCH_PIPELINE: JSON.stringify({ natsUrl: nats.url, runId, fifoPath: fifo, classify: true, logsDir: join(dir, "logs") }) },
    join(root, "tooling/bench"),
  );
  await host.ready;
  const go = join(dir, "go");
  const load = { linesPerWriter: Math.floor(lines / writers), rate: Number(process.env.RATE ?? 0), eventEvery: 100, longEvery: 1000 };
  const forwarders = writerNames(writers).map((node) =>
    spawn(
      process.execPath,
      [
        ...(profile.includes("fwd") && node === "w1" ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
        FORWARDER,
        ...["--node", node, "--role", "node", "--fifo", fifo, "--socket", join(dir, `${node}.sock`), "--stop-grace-ms", "1000", "--"],
        process.execPath,
        WRITER,
        ...writerArgs(node, load, go),
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    ),
  );
  const stats = async () => (await host.request("stats")).stats as { relay: RelayStats; parser: EventParserStats };
  while ((await stats()).relay.linesReceived < writers) await sleep(50);
  await sleep(500);
  const tree = (pid: number): number[] => [pid, ...childPids(pid).flatMap(tree)];
  const pidOf = (pid: number | undefined) => pid ?? -1;
  const cpu = () => ({
    forwardersAndWriters: forwarders.reduce((sum, child) => sum + tree(pidOf(child.pid)).reduce((s, pid) => s + (processCpuMs(pid) ?? 0), 0), 0),
    forwarders: forwarders.reduce((sum, child) => sum + (processCpuMs(pidOf(child.pid)) ?? 0), 0),
    forwardersSystem: forwarders.reduce((sum, child) => sum + systemCpuMs(pidOf(child.pid)), 0),
    relayAndParser: processCpuMs(pidOf(host.pid)) ?? 0,
    relaySystem: systemCpuMs(pidOf(host.pid)),
    nats: processCpuMs(nats.pid) ?? 0,
  });
  const before = cpu();
  const from = Number((await host.request("mark")).hrtimeUs);
  const t0 = Date.now();
  touch(go);
  const expected = load.linesPerWriter * writers + writers;
  let last = await stats();
  while (last.relay.linesReceived < expected) {
    await sleep(20);
    last = await stats();
  }
  const wallMs = Date.now() - t0;
  const after = cpu();
  const to = Number((await host.request("mark")).hrtimeUs);
  const n = load.linesPerWriter * writers;
  const perLine = (key: keyof typeof before) => Number((((after[key] - before[key]) * 1000) / n).toFixed(2));
  const usPerLine = Object.fromEntries(Object.keys(before).map((key) => [key, perLine(key as keyof typeof before)]));
  process.stdout.write(
    `${JSON.stringify({ writers, lines: n, wallMs, linesPerSecond: Math.round((n / wallMs) * 1000), usPerLine, messages: last.relay.messagesPublished, frames: last.relay.framesRead, toParser: last.relay.linesToParser, events: last.parser.events, lost: last.relay.linesLost, loadavg: readFileSync("/proc/loadavg", "utf8").trim() })}\n`,
  );
  for (const child of forwarders) child.kill("SIGTERM");
  await sleep(1500);
  const final = (await host.request("stop", 60_000)).stats as { relay: RelayStats; parser: EventParserStats };
  process.stdout.write(
    `final: relayed ${final.relay.linesRelayed}, received ${final.relay.linesReceived}, lost ${final.relay.linesLost}, events ${final.parser.events}, parse errors ${final.parser.parseErrors}\n`,
  );
  await host.exit();
  await nc.close();
  await nats.stop();
  await sleep(300);
  for (const file of readdirSync(profileDir)) {
    const isRelay = file.includes(`.${host.pid}.`);
    const summary = summarizeProfile(join(profileDir, file), isRelay ? { from, to } : undefined);
    process.stdout.write(`${isRelay ? "relay + parser (measured window)" : "forwarder w1 (whole life)"}: self time by area\n`);
    for (const area of summary.byArea.slice(0, 10)) process.stdout.write(`  ${area.area}: ${area.ms.toFixed(0)} ms ${(area.share * 100).toFixed(1)} %\n`);
    for (const fn of summary.topFunctions) process.stdout.write(`    ${fn.fn}: ${fn.ms.toFixed(0)} ms ${(fn.share * 100).toFixed(1)} %\n`);
  }
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`host-pipeline: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
