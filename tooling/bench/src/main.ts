/**
 * `pnpm bench`: the benchmarks of issue 9. Prints tables, writes
 * bench-results/<date>.json, and removes everything it started (stacks by label,
 * processes, nats-servers, temporary directories) at the end, on failure and on SIGINT.
 *
 *   pnpm bench [--quick] [--only throughput,profile,latency,trace,multihost,spinup,send-payment] [--relay-parts files,classify,readback|none] [--trace-rates 500,2000,5000]
 *
 * --relay-parts picks what the pipeline host runs besides the relay and the event parser
 * (default files,classify: as the executive wires them; readback adds a subscriber that
 * reads every log line back, as the executive's feed did before issue 19), to measure each
 * part's cost.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { buildSimulatorImage } from "@mina-local/daemon-sim";
import { BenchCleanup } from "./cleanup.js";
import { runDockerLogs, type DockerLogsResult } from "./docker-logs-bench.js";
import { runSendPayment, runSpinup, type SendPaymentResult, type SpinupResult } from "./executive-bench.js";
import { cpuPercent, type Percentiles } from "./measure.js";
import { runPipeline, type PipelineRunResult, type RelayParts } from "./pipeline-bench.js";
import { runMultiHostPipeline, type MultiHostRunResult } from "./multi-host-bench.js";
import { startBenchHosts } from "./bench-hosts.js";
import { summarizeProfile, type ProfileSummary } from "./profile.js";
import { runRawFifo, type RawFifoResult } from "./raw-fifo-bench.js";
import { DEFAULT_EVENT_EVERY, DEFAULT_LONG_EVERY, type WriterLoad } from "./run-ids.js";
import { fmt1, fmt2, fmtInt, renderTable } from "./table.js";
import { TRACE_LINES_IN_IMAGE, buildWriterImage } from "./writer-image.js";

const SECTIONS = ["throughput", "profile", "latency", "trace", "multihost", "spinup", "send-payment"] as const;
type Section = (typeof SECTIONS)[number];

const PARTS = ["files", "classify", "readback"] as const;
const ArgsSchema = z.object({ quick: z.boolean(), only: z.array(z.enum(SECTIONS)), parts: z.array(z.enum(PARTS)), traceRates: z.array(z.number().int().positive()).min(1) });

function parseArgs(argv: string[]): z.infer<typeof ArgsSchema> {
  let quick = false;
  let only: string[] = [...SECTIONS];
  let parts: string[] = ["files", "classify"];
  // lines/s per node of the Trace-volume run (see docs/benchmarks.md for where the rates come from)
  let traceRates: number[] = [500, 2_000, 5_000];
  const partsOf = (value: string | undefined) => (value === "none" ? [] : (value ?? "").split(",").filter(Boolean));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (arg === "--quick") quick = true;
    else if (arg === "--only") only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (arg?.startsWith("--only=")) only = arg.slice(7).split(",").filter(Boolean);
    else if (arg === "--relay-parts") parts = partsOf(argv[++i]);
    else if (arg === "--trace-rates") traceRates = (argv[++i] ?? "").split(",").filter(Boolean).map(Number);
    else if (arg?.startsWith("--relay-parts=")) parts = partsOf(arg.slice(14));
    else throw new Error(`unknown argument ${arg}: use --quick, --only <${SECTIONS.join("|")}>[,...] and --relay-parts <${PARTS.join("|")}>[,...]|none`);
  }
  const parsed = ArgsSchema.safeParse({ quick, only, parts, traceRates });
  if (!parsed.success)
    throw new Error(`--only takes a comma-separated list of ${SECTIONS.join(", ")} (got ${only.join(",")}); --relay-parts one of ${PARTS.join(", ")} or none (got ${parts.join(",")})`);
  return parsed.data;
}

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const sh = (command: string, args: string[]) => {
  try {
    return execFileSync(command, args, { encoding: "utf8", timeout: 15_000 }).trim();
  } catch (error) {
    return `unavailable (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
  }
};

function machine() {
  return {
    date: sh("date", ["-u"]),
    nproc: sh("nproc", []),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memory: sh("free", ["-h"]),
    totalMemGiB: totalmem() / 2 ** 30,
    freeMemGiB: freemem() / 2 ** 30,
    kernel: sh("uname", ["-r"]),
    docker: sh("docker", ["version", "--format", "server {{.Server.Version}}, client {{.Client.Version}}"]),
    node: process.version,
    natsServer: sh("nats-server", ["--version"]),
  };
}

interface Results {
  machine: ReturnType<typeof machine>;
  quick: boolean;
  sections: Section[];
  relayParts: string[];
  throughput: { containers: number; raw?: RawFifoResult; pipeline?: PipelineRunResult; dockerLogs?: DockerLogsResult }[];
  profile?: { run: PipelineRunResult; summary: ProfileSummary; file: string };
  latency: PipelineRunResult[];
  trace: PipelineRunResult[];
  multiHost: { containers: number; single?: PipelineRunResult; multi?: MultiHostRunResult }[];
  spinup: SpinupResult[];
  sendPayment?: SendPaymentResult;
  errors: string[];
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const cleanup = new BenchCleanup();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: cleaning up (stacks by label, processes, nats-servers, temporary directories)...`);
    void cleanup.runAll().then((failures) => {
      for (const f of failures) log(`cleanup: ${f}`);
      process.exit(130);
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const results: Results = { machine: machine(), quick: args.quick, sections: args.only, relayParts: args.parts, throughput: [], latency: [], trace: [], multiHost: [], spinup: [], errors: [] };
  const lines = args.quick ? 100_000 : 1_000_000;
  const relayParts: RelayParts = { files: args.parts.includes("files"), classify: args.parts.includes("classify"), readback: args.parts.includes("readback") };
  const has = (s: Section) => args.only.includes(s);
  const attempt = async (what: string, work: () => Promise<void>) => {
    if (interrupted) return;
    try {
      await work();
    } catch (error) {
      const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
      results.errors.push(message);
      log(`FAILED ${message}`);
      for (const f of await cleanup.runAll()) log(`cleanup: ${f}`);
    }
  };

  try {
    log(`mina-local bench (${args.quick ? "quick" : "full"}): ${args.only.join(", ")}; pipeline host: relay + event parser${args.parts.length > 0 ? ` + ${args.parts.join(" + ")}` : ""}`);
    log(`machine: ${results.machine.nproc} cores, ${results.machine.totalMemGiB.toFixed(1)} GiB, docker ${results.machine.docker}, node ${results.machine.node}`);
    const needsWriter = has("throughput") || has("profile") || has("latency") || has("trace") || has("multihost");
    const writerImage = needsWriter ? await buildWriterImage(log) : "";
    if (has("spinup") || has("send-payment")) log(`simulator image: ${(await buildSimulatorImage({ onProgress: log })).tag}`);

    const fastLoad = (writers: number, total: number): WriterLoad => ({ linesPerWriter: Math.floor(total / writers), rate: 0, eventEvery: DEFAULT_EVENT_EVERY, longEvery: DEFAULT_LONG_EVERY });

    if (has("throughput")) {
      for (const containers of [1, 4, 16]) {
        const row: Results["throughput"][number] = { containers };
        results.throughput.push(row);
        const load = fastLoad(containers, lines);
        log(`\n== throughput, ${containers} writer(s), ${(load.linesPerWriter * containers).toLocaleString("en-US")} lines`);
        await attempt(`raw FIFO, ${containers} writers`, async () => {
          log("  raw FIFO (the ceiling)");
          row.raw = await runRawFifo({ writers: containers, load, cleanup });
        });
        await attempt(`pipeline, ${containers} containers`, async () => {
          log("  mina-local pipeline");
          row.pipeline = await runPipeline({ image: writerImage, containers, load, cleanup, parts: relayParts, log });
        });
        await attempt(`docker logs, ${containers} containers`, async () => {
          row.dockerLogs = await runDockerLogs({ image: writerImage, containers, load, cleanup, timeoutMs: args.quick ? 60_000 : 240_000, log });
        });
      }
      printThroughput(results.throughput);
    }

    if (has("profile")) {
      await attempt("profile", async () => {
        const dir = mkdtempSync(join(tmpdir(), "mina-local-bench-prof-"));
        const removeDir = cleanup.directory(dir);
        log(`\n== profile: the relay + parser process under node --cpu-prof, 4 writers`);
        const run = await runPipeline({ image: writerImage, containers: 4, load: fastLoad(4, lines / 2), cleanup, cpuProfileDir: dir, parts: relayParts, log });
        const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
        if (!file) throw new Error(`no .cpuprofile was written in ${dir}`);
        const summary = summarizeProfile(join(dir, file), run.hostWindowUs);
        const keep = join(PACKAGE_DIR, "bench-results", `relay-${stamp()}.cpuprofile`);
        mkdirSync(join(PACKAGE_DIR, "bench-results"), { recursive: true });
        copyFileSync(join(dir, file), keep);
        await removeDir();
        results.profile = { run, summary, file: keep };
        printProfile(results.profile);
      });
    }

    if (has("latency")) {
      // 50k lines/s is the target; 10k lines/s shows the pipeline's own latency below saturation
      for (const total of [50_000, 10_000])
        await attempt(`latency at ${total} lines/s`, async () => {
          const writers = 4;
          const seconds = args.quick ? 5 : 20;
          log(`\n== latency: ${total.toLocaleString("en-US")} lines/s from ${writers} writers for ${seconds} s`);
          const run = await runPipeline({
            image: writerImage,
            containers: writers,
            load: { linesPerWriter: (total / writers) * seconds, rate: total / writers, eventEvery: DEFAULT_EVENT_EVERY, longEvery: DEFAULT_LONG_EVERY },
            cleanup,
            parts: relayParts,
            log,
          });
          results.latency.push(run);
          printLatency(run);
        });
    }

    if (has("trace")) {
      // 10 nodes whose daemons write real Mina lines (Trace, Debug, Info) at a daemon's Trace rate
      for (const rate of args.traceRates)
        await attempt(`trace volume at ${rate} lines/s per node`, async () => {
          const nodes = 10;
          const seconds = args.quick ? 10 : 30;
          log(`\n== Trace volume: ${nodes} nodes x ${rate.toLocaleString("en-US")} lines/s of real Mina lines for ${seconds} s`);
          const run = await runPipeline({
            image: writerImage,
            containers: nodes,
            load: { linesPerWriter: rate * seconds, rate, eventEvery: DEFAULT_EVENT_EVERY, longEvery: 0, replay: TRACE_LINES_IN_IMAGE },
            cleanup,
            parts: relayParts,
            log,
          });
          results.trace.push(run);
        });
      printTrace(results.trace);
    }

    if (has("multihost")) {
      await attempt("multi-host", async () => {
        log("\n== multi-host: the pipeline across three test hosts (tooling/test-hosts) against one host, same writers and lines");
        const { hosts, relayImage } = await startBenchHosts({ cleanup, images: [writerImage], log });
        for (const containers of [3, 12]) {
          const row: Results["multiHost"][number] = { containers };
          results.multiHost.push(row);
          const load = fastLoad(containers, lines);
          await attempt(`single-host pipeline, ${containers} writers`, async () => {
            log(`  one host: ${containers} writers, ${(load.linesPerWriter * containers).toLocaleString("en-US")} lines`);
            row.single = await runPipeline({ image: writerImage, containers, load, cleanup, parts: relayParts, log });
          });
          await attempt(`multi-host pipeline, ${containers} writers`, async () => {
            log(`  three hosts: ${containers} writers`);
            row.multi = await runMultiHostPipeline({ image: writerImage, relayImage, hosts, containers, load, cleanup, log });
          });
        }
        printMultiHost(results.multiHost);
      });
    }

    if (has("spinup")) {
      for (const nodes of args.quick ? [3, 10] : [3, 10, 30]) {
        await attempt(`spin-up, ${nodes} nodes`, async () => {
          log(`\n== spin-up and teardown, ${nodes} nodes`);
          results.spinup.push(await runSpinup({ nodes, cleanup, withFootprint: nodes === 10, log }));
        });
      }
      printSpinup(results.spinup);
    }

    if (has("send-payment")) {
      await attempt("send-payment", async () => {
        log("\n== a whole send-payment run");
        results.sendPayment = await runSendPayment({ cleanup, log });
        const r = results.sendPayment;
        console.log(`\nsend-payment: ${fmt1(r.wallMs / 1000)} s wall (exit ${r.exitCode}, outcome ${r.outcome ?? "?"}, report ${fmt1((r.reportDurationMs ?? NaN) / 1000)} s)`);
      });
    }
  } finally {
    for (const f of await cleanup.runAll()) results.errors.push(`cleanup: ${f}`);
  }
  const file = join(PACKAGE_DIR, "bench-results", `${stamp()}.json`);
  mkdirSync(join(PACKAGE_DIR, "bench-results"), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${file}`);
  if (results.errors.length > 0) log(`errors:\n  ${results.errors.join("\n  ")}`);
  return results.errors.length > 0 ? 1 : 0;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

function printThroughput(rows: Results["throughput"]): void {
  const table: string[][] = [];
  for (const row of rows) {
    const n = String(row.containers);
    if (row.raw) {
      const r = row.raw;
      table.push([
        `${n}: raw FIFO (ceiling)`,
        fmtInt(r.linesCounted),
        fmtInt(r.linesExpected - r.linesCounted),
        fmt2(r.wallMs / 1000),
        fmtInt(r.linesPerSecond),
        fmt1(r.mbPerSecond),
        `writers ${fmtInt(cpuPercent(r.cpu.writersMs, r.wallMs))}%, reader ${fmtInt(cpuPercent(r.cpu.readerMs, r.wallMs))}%`,
      ]);
    }
    if (row.pipeline) {
      const p = row.pipeline;
      const c = p.cpu;
      table.push([
        `${n}: mina-local pipeline`,
        fmtInt(p.linesCounted),
        `${fmtInt(p.linesLost)} (relay ${fmtInt(p.relayLinesLost)})`,
        fmt2(p.wallMs / 1000),
        fmtInt(p.linesPerSecond),
        fmt1(p.mbPerSecond),
        `containers ${fmtInt(cpuPercent(c.containersMs, p.cpuWindowMs))}%, relay+parser ${fmtInt(cpuPercent(c.relayAndParserMs, p.cpuWindowMs))}%, nats ${fmtInt(cpuPercent(c.natsServerMs, p.cpuWindowMs))}%, subscriber ${fmtInt(cpuPercent(c.subscriberMs, p.cpuWindowMs))}%`,
      ]);
    }
    if (row.dockerLogs) {
      for (const [label, r] of [
        ["docker service logs -f", row.dockerLogs.serviceLogs],
        ["docker logs -f", row.dockerLogs.dockerLogs],
      ] as const) {
        table.push([
          `${n}: ${label}`,
          fmtInt(r.linesSeen),
          r.complete ? "0" : `${fmtInt(r.linesExpected - r.linesSeen)} unseen (timeout)`,
          fmt2(r.wallMs / 1000),
          fmtInt(r.linesPerSecond),
          fmt1(r.mbPerSecond),
          `dockerd+containerd ${fmtInt(cpuPercent(r.cpu.dockerMs, r.wallMs))}%, cli ${fmtInt(cpuPercent(r.cpu.cliMs, r.wallMs))}%, containers ${fmtInt(cpuPercent(r.cpu.containersMs, r.wallMs))}%`,
        ]);
      }
    }
  }
  console.log(`\nLog throughput (lines of ~370 bytes, 1 in ${DEFAULT_LONG_EVERY} of 6 KB; CPU in % of one core)\n`);
  console.log(renderTable(["writers: path", "lines", "lost", "s", "lines/s", "MB/s", "CPU"], table));
  for (const row of rows) {
    const p = row.pipeline;
    if (p)
      console.log(
        `  ${row.containers}: relay read every line after ${fmt2((p.relayReadMs ?? NaN) / 1000)} s, published (acked) after ${fmt2((p.relayPublishedMs ?? NaN) / 1000)} s in ${fmtInt(p.messagesPublished)} messages; events ${fmtInt(p.eventsCounted)}/${fmtInt(p.eventsExpected)} at the event subscriber after ${fmt2(p.eventsWallMs / 1000)} s; relay handed the parser ${fmtInt(p.linesToParser)} lines, parser read ${fmtInt(p.parser.lines)}, ${fmtInt(p.parser.parseErrors)} parse errors${p.fileLines === undefined ? "" : `; log files hold ${fmtInt(p.fileLines)} lines`}`,
      );
  }
}

function printProfile(profile: NonNullable<Results["profile"]>): void {
  console.log(`\nWhere the relay + parser process spends its time (${fmtInt(profile.run.linesCounted)} lines at ${fmtInt(profile.run.linesPerSecond)} lines/s under the profiler; ${profile.file})\n`);
  const r = profile.run;
  console.log(
    `relay parts: ${
      Object.entries(r.parts)
        .filter(([, on]) => on)
        .map(([part]) => part)
        .join(", ") || "none"
    }; ${fmtInt(r.messagesPublished)} log messages; ${fmtInt(r.linesToParser)} lines handed to the parser (parser read ${fmtInt(r.parser.lines)}); events ${fmtInt(r.eventsCounted)}/${fmtInt(r.eventsExpected)}; lost ${fmtInt(r.linesLost)}${r.fileLines === undefined ? "" : `; log files hold ${fmtInt(r.fileLines)} lines`}\n`,
  );
  console.log(
    renderTable(
      ["area (self time)", "ms", "%"],
      profile.summary.byArea.slice(0, 12).map((a) => [a.area, fmtInt(a.ms), fmt1(a.share * 100)]),
    ),
  );
  console.log("");
  console.log(
    renderTable(
      ["function (self time)", "ms", "%"],
      profile.summary.topFunctions.map((f) => [f.fn, fmtInt(f.ms), fmt1(f.share * 100)]),
    ),
  );
}

function printLatency(r: PipelineRunResult): void {
  const rows: string[][] = [];
  const add = (label: string, p: Percentiles | undefined) => {
    if (p) rows.push([label, fmtInt(p.count), fmt1(p.p50), fmt1(p.p90), fmt1(p.p99), fmt1(p.max)]);
  };
  add("written -> log subject subscriber (last line of each message)", r.latency?.logSubject);
  add("written -> event subject subscriber (probe events)", r.latency?.eventSubject);
  console.log(`\nLatency at ${fmtInt(r.latency?.ratePerSecond)} lines/s (${fmtInt(r.linesCounted)} lines, ${fmtInt(r.linesLost)} lost; ms)\n`);
  console.log(renderTable(["path", "samples", "p50", "p90", "p99", "max"], rows));
}

function printTrace(rows: PipelineRunResult[]): void {
  console.log("\nTrace volume: 10 nodes replaying real Mina lines (tooling/bench/src/writer/mina-trace-lines.jsonl) plus 1 probe event in 100\n");
  console.log(
    renderTable(
      ["lines/s per node", "lines/s offered", "lines", "lost", "events", "max lag ms (relay)", "event p99 ms", "CPU relay+parser %", "CPU nats %", "CPU containers %"],
      rows.map((r) => [
        fmtInt(r.latency?.ratePerSecond === undefined ? NaN : r.latency.ratePerSecond / r.containers),
        fmtInt(r.latency?.ratePerSecond),
        fmtInt(r.linesCounted),
        fmtInt(r.linesLost),
        `${fmtInt(r.eventsCounted)}/${fmtInt(r.eventsExpected)}`,
        fmtInt(r.relayMaxLagMs),
        fmt1(r.latency?.eventSubject?.p99 ?? NaN),
        fmtInt(cpuPercent(r.cpu.relayAndParserMs, r.cpuWindowMs)),
        fmtInt(cpuPercent(r.cpu.natsServerMs, r.cpuWindowMs)),
        fmtInt(cpuPercent(r.cpu.containersMs, r.cpuWindowMs)),
      ]),
    ),
  );
}

function printMultiHost(rows: Results["multiHost"]): void {
  console.log("\nMulti-host: writers spread over three test hosts (each host's relay -> the bus over the hosts' network -> the executive's stream reader), against one host's FIFO relay\n");
  const cpu = (ms: number | undefined, windowMs: number) => fmtInt(ms === undefined ? NaN : cpuPercent(ms, windowMs));
  type Run = { linesCounted: number; wallMs: number; linesPerSecond: number; eventsCounted: number; eventsExpected: number; cpuWindowMs: number };
  const cells = (containers: number, path: string, run: Run, lost: string, lagMs: number, executiveMs: number, natsMs: number, containersMs: number | undefined) => [
    String(containers),
    path,
    fmtInt(run.linesCounted),
    lost,
    fmt2(run.wallMs / 1000),
    fmtInt(run.linesPerSecond),
    `${fmtInt(run.eventsCounted)}/${fmtInt(run.eventsExpected)}`,
    fmtInt(lagMs),
    cpu(executiveMs, run.cpuWindowMs),
    cpu(natsMs, run.cpuWindowMs),
    cpu(containersMs, run.cpuWindowMs),
  ];
  console.log(
    renderTable(
      ["writers", "path", "lines", "lost", "s", "lines/s", "events", "max lag ms", "CPU executive side %", "CPU nats %", "CPU containers %"],
      rows.flatMap((r) => [
        ...(r.single
          ? [
              cells(
                r.containers,
                "one host (FIFO relay)",
                r.single,
                fmtInt(r.single.linesLost),
                r.single.relayMaxLagMs,
                r.single.cpu.relayAndParserMs,
                r.single.cpu.natsServerMs,
                r.single.cpu.containersMs,
              ),
            ]
          : []),
        ...(r.multi
          ? [
              cells(
                r.containers,
                `${r.multi.hosts} hosts (relays + stream)`,
                r.multi,
                `${fmtInt(r.multi.linesLost)} (relays ${r.multi.relays.map((h) => fmtInt(h.linesLost)).join("/")})`,
                r.multi.maxLagMs,
                r.multi.cpu.intakeAndParserMs,
                r.multi.cpu.natsServerMs,
                r.multi.cpu.containersMs,
              ),
            ]
          : []),
      ]),
    ),
  );
}

function printSpinup(rows: SpinupResult[]): void {
  console.log("\nSpin-up and teardown (test_executive local <test file>, simulator image built beforehand)\n");
  console.log(
    renderTable(
      ["nodes", "CLI -> test body s", "CLI -> all GraphQL s", "body end -> nothing left s", "body end -> CLI exit s", "exit"],
      rows.map((r) => [String(r.nodes), fmt2(r.toBodyMs / 1000), fmt2(r.spinupMs / 1000), fmt2((r.teardownToNothingMs ?? NaN) / 1000), fmt2((r.teardownToExitMs ?? NaN) / 1000), String(r.exitCode)]),
    ),
  );
  for (const r of rows) {
    if (r.steps.length > 0) console.log(`  ${r.nodes} nodes, executive steps (s from CLI start): ${r.steps.map((s) => `${s.step} @${fmt1(s.atMs / 1000)}`).join("; ")}`);
    const f = r.footprint;
    if (f) {
      console.log(
        `\nFootprint, ${r.nodes}-node run: per node RSS ${fmt1(f.nodeRssMiB.min)}-${fmt1(f.nodeRssMiB.max)} MiB (mean ${fmt1(f.nodeRssMiB.mean)}, ${f.nodeRssMiB.count} containers); executive ${fmt1(f.executiveRssMiB)} MiB; its nats-server ${fmt1(f.natsServerRssMiB)} MiB`,
      );
      for (const line of f.dockerStats) console.log(`  docker stats: ${line}`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
