import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureRunStream, logFilter, nodeLogFileName, readRunStream, startNatsServer } from "@mina-local/bus";
import type { RelayStats, RunStreamReader } from "@mina-local/bus";
import { runPaths } from "@mina-local/compose-generator";
import type { EventParserStats } from "@mina-local/event-parser";
import { SwarmManager } from "@mina-local/swarm-manager";
import type { BenchCleanup } from "./cleanup.js";
import { IpcChild } from "./ipc-child.js";
import { countLogMessage, countProbeEvents } from "./probe-events.js";
import { countLines, lastLineTimestampMs, percentiles, perSecond, type Percentiles } from "./measure.js";
import { benchRunDir, benchRunId, probeEventsPerWriter, touch, writerArgs, writerNames, type WriterLoad } from "./run-ids.js";
import { containerCpuMs, containersByLabel, processCpuMs } from "./system.js";
import { CONTAINER_GO_FILE, deployWriters } from "./writer-stack.js";

const PIPELINE_HOST = fileURLToPath(new URL("./pipeline-host.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Which parts of the executive's wiring the pipeline host runs (all by default, as the executive does). */
export interface RelayParts {
  /** the relay writes logs/<node>.log from its batches */
  files: boolean;
  /** the relay's byte scan hands the event parser only candidate lines */
  classify: boolean;
  /** a JetStream subscriber reads every log line back (the executive did so before issue 19; needed for log-subject latency) */
  readback: boolean;
}

export const EXECUTIVE_PARTS: RelayParts = { files: true, classify: true, readback: false };

export interface PipelineRunOptions {
  image: string;
  parts?: RelayParts;
  containers: number;
  load: WriterLoad;
  cleanup: BenchCleanup;
  /** write a V8 CPU profile of the relay + parser process into this directory */
  cpuProfileDir?: string;
  /** bound on waiting for every line, ms */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface CpuBreakdown {
  /** the writer containers: writer + forwarder, from their cgroups */
  containersMs: number;
  /** the host process with the FIFO relay and the event parser */
  relayAndParserMs: number;
  natsServerMs: number;
  /** this process: the JetStream consumers counting lines and events */
  subscriberMs: number;
}

export interface PipelineRunResult {
  runId: string;
  containers: number;
  linesExpected: number;
  linesCounted: number;
  linesLost: number;
  relayLinesLost: number;
  parts: RelayParts;
  /** lines in the per-node log files after the run (bench lines and forwarder lines), when the relay wrote them */
  fileLines?: number;
  /** lines the relay handed the event parser, and lines it ruled out by its byte scan */
  linesToParser: number;
  /** the relay's messages on the log subjects */
  messagesPublished: number;
  /** the largest lag the relay measured (read time minus a line's own timestamp, sampled per node) */
  relayMaxLagMs: number;
  /** drains that did not finish at the end (the counts above are still exact: they come from the subscribers) */
  drainErrors: string[];
  /** from the go signal to the last line counted by the JetStream subscriber of the log subjects (readback), or to the relay counting every line received (on the bus and in its file; polled every 20 ms) */
  wallMs: number;
  linesPerSecond: number;
  /** payload bytes on the log subjects per second, MB = 10^6 */
  mbPerSecond: number;
  bytes: number;
  eventsExpected: number;
  eventsCounted: number;
  /** from the go signal to the last probe event counted on the event subjects */
  eventsWallMs: number;
  /** from the go signal to the relay having read / published (acked) every line (polled every 50 ms) */
  relayReadMs: number | undefined;
  relayPublishedMs: number | undefined;
  parser: Pick<EventParserStats, "lines" | "events" | "parseErrors" | "publishFailures">;
  cpu: CpuBreakdown;
  /** the CPU window: from the go signal to the last event counted */
  cpuWindowMs: number;
  latency?: { logSubject?: Percentiles; eventSubject?: Percentiles; ratePerSecond: number };
  /** the measured window on the pipeline host's monotonic clock (µs), to cut its CPU profile */
  hostWindowUs?: { from: number; to: number };
  profile?: string;
}

interface Counters {
  benchLines: Map<string, number>;
  forwarderLines: number;
  bytes: number;
  lastLineAt: number;
  logLatencies: number[];
  measuring: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

async function until(what: string, timeoutMs: number, done: () => boolean, pollMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(pollMs);
  }
  void what;
  return true;
}

/**
 * N writer containers through the real path: forwarder (PID 1) -> shared FIFO -> relay
 * -> JetStream -> event parser, with JetStream subscribers counting every line on the log
 * subjects and every probe event on the event subjects.
 */
export async function runPipeline(options: PipelineRunOptions): Promise<PipelineRunResult> {
  const { cleanup, load } = options;
  const parts = options.parts ?? EXECUTIVE_PARTS;
  const log = options.log ?? (() => undefined);
  const runId = benchRunId(options.load.rate > 0 ? "lat" : "pipe");
  const runDir = benchRunDir(runId);
  const removeDir = cleanup.directory(runDir);
  const paths = runPaths(runDir);
  mkdirSync(paths.socketsDir, { recursive: true, mode: 0o777 });
  const nodes = writerNames(options.containers);
  const linesExpected = load.linesPerWriter * nodes.length;
  const eventsExpected = probeEventsPerWriter(load) * nodes.length;
  const timeoutMs = options.timeoutMs ?? 300_000;

  const nats = await startNatsServer({ storeDir: join(runDir, "nats"), logFile: join(runDir, "nats-server.log") });
  const stopNats = cleanup.add(`stopping nats-server of ${runId}`, () => nats.stop());
  const nc = await nats.connect();
  const closeNc = cleanup.add("closing the NATS connection", async () => void (await nc.close()));
  await ensureRunStream(nc, runId);

  const host = new IpcChild(
    process.execPath,
    [...(options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : []), "--conditions=development", "--import", "tsx", PIPELINE_HOST],
    { ...process.env, MINA_LOCAL_BENCH_PIPELINE: JSON.stringify({ natsUrl: nats.url, runId, fifoPath: paths.fifo, classify: parts.classify, ...(parts.files && { logsDir: join(runDir, "logs") }) }) },
    PACKAGE_DIR,
  );
  const killHost = cleanup.process("the pipeline host", host.pid);
  await host.ready;

  const counters: Counters = { benchLines: new Map(), forwarderLines: 0, bytes: 0, lastLineAt: 0, logLatencies: [], measuring: false };
  const readers: Array<Pick<RunStreamReader, "stop">> = [];
  const stopReaders = cleanup.add("stopping the counting subscribers", async () => {
    for (const reader of readers) await reader.stop();
  });
  if (parts.readback) {
    readers.push(
      await readRunStream({
        nc,
        runId,
        filter: logFilter(runId),
        onMessage: (subject, data) => {
          const { where, lines, own } = countLogMessage(subject, data);
          counters.forwarderLines += own;
          if (where) counters.benchLines.set(where.node, (counters.benchLines.get(where.node) ?? 0) + lines - own);
          if (!counters.measuring) return;
          counters.bytes += data.length;
          counters.lastLineAt = now();
          if (load.rate > 0) {
            const written = lastLineTimestampMs(data);
            if (written !== undefined) counters.logLatencies.push(counters.lastLineAt - written);
          }
        },
      }),
    );
  }
  const probes = await countProbeEvents({ nc, runId, latencies: load.rate > 0 });
  readers.push(probes);

  const swarm = await SwarmManager.connect();
  const removeStack = cleanup.stack(runId);
  log(`  deploying ${nodes.length} writer container(s) (run ${runId})`);
  await deployWriters(swarm, { runId, runDir, image: options.image, nodes, mode: "forwarder", writerArgs: (node) => writerArgs(node, load, CONTAINER_GO_FILE) });
  // every forwarder has said node_started: the daemons (writers) run and wait for the go file
  let receivedByRelay = 0;
  const relayReceived = async () => {
    const reply = (await host.request("stats", 10_000).catch(() => undefined)) as { stats?: { relay: RelayStats } } | undefined;
    if (reply?.stats) receivedByRelay = reply.stats.relay.linesReceived;
    return reply?.stats?.relay;
  };
  const started = parts.readback ? () => counters.forwarderLines >= nodes.length : () => receivedByRelay >= nodes.length;
  const startDeadline = Date.now() + 60_000;
  while (!started() && Date.now() < startDeadline) {
    if (!parts.readback) await relayReceived();
    await sleep(50);
  }
  if (!started()) throw new Error(`only ${parts.readback ? counters.forwarderLines : receivedByRelay} of ${nodes.length} forwarders reported node_started within 60 s (run ${runId})`);
  const containerIds = await containersByLabel(`mina-local.run=${runId}`);

  const cpuAt = () => ({
    containers: containerIds.reduce((sum, id) => sum + (containerCpuMs(id) ?? 0), 0),
    host: host.pid === undefined ? 0 : (processCpuMs(host.pid) ?? 0),
    nats: processCpuMs(nats.pid) ?? 0,
    self: (() => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    })(),
  });
  const markUs = async () => Number(((await host.request("mark")) as { hrtimeUs?: number }).hrtimeUs);
  const fromUs = await markUs();
  const before = cpuAt();
  counters.measuring = true;
  const t0 = now();
  touch(join(paths.shared, "go"));
  log(`  go: ${linesExpected.toLocaleString("en-US")} lines${load.rate > 0 ? ` at ${load.rate * nodes.length} lines/s` : " as fast as they can"}`);

  let relayReadAt: number | undefined;
  let relayPublishedAt: number | undefined;
  let relayReceivedAt: number | undefined;
  let polling = true;
  const relayPoll = (async () => {
    while (polling && (relayPublishedAt === undefined || relayReceivedAt === undefined)) {
      const relayNow = await relayReceived();
      if (relayNow) {
        const read = Object.values(relayNow.byNode).reduce((sum, n) => sum + n.linesRead, 0);
        if (relayReadAt === undefined && read >= linesExpected + nodes.length) relayReadAt = now();
        if (relayPublishedAt === undefined && relayNow.linesPublished >= linesExpected + nodes.length) relayPublishedAt = now();
        if (relayReceivedAt === undefined && relayNow.linesReceived >= linesExpected + nodes.length) relayReceivedAt = now();
      }
      await sleep(parts.readback ? 50 : 20);
    }
  })();
  const allLines = parts.readback ? () => nodes.every((node) => (counters.benchLines.get(node) ?? 0) >= load.linesPerWriter) : () => relayReceivedAt !== undefined;
  const complete = await until("every line", timeoutMs, allLines);
  const eventsComplete = await until("every probe event", complete ? 60_000 : 1, () => probes.count() >= eventsExpected);
  const after = cpuAt();
  const toUs = await markUs();
  setTimeout(() => (polling = false), 5_000);
  await relayPoll;
  const endedAt = parts.readback ? counters.lastLineAt : (relayReceivedAt ?? now());
  const wallMs = (complete ? endedAt : now()) - t0;
  const eventsWallMs = (eventsComplete ? probes.lastAt() : now()) - t0;
  const cpuWindowMs = Math.max(wallMs, eventsWallMs);

  // the writers are done: the final drain counts any line left incomplete as lost
  await removeStack();
  const final = (await host.request("stop", 180_000)) as unknown as { stats: { relay: RelayStats; parser: EventParserStats; gaps: string[]; drainErrors?: string[] } };
  await host.exit();
  await killHost();
  await stopReaders();
  if (!parts.readback) {
    // after the measured window, not timed: what the stream holds, read back to count it
    const verify = await readRunStream({
      nc,
      runId,
      filter: logFilter(runId),
      onMessage: (subject, data) => {
        const { where, lines, own } = countLogMessage(subject, data);
        if (where) counters.benchLines.set(where.node, (counters.benchLines.get(where.node) ?? 0) + lines - own);
        counters.bytes += data.length;
      },
    });
    await verify.drain(180_000);
    await verify.stop();
  }
  const linesCounted = nodes.reduce((sum, node) => sum + Math.min(load.linesPerWriter, counters.benchLines.get(node) ?? 0), 0);
  const fileLines = parts.files ? nodes.reduce((sum, node) => sum + countLines(readFileSync(join(runDir, "logs", nodeLogFileName(node)))), 0) : undefined;
  await closeNc();
  await stopNats();
  await removeDir();

  const relay = final.stats.relay;
  const drainErrors = final.stats.drainErrors ?? [];
  if (drainErrors.length > 0) log(`  drain problems at the end: ${drainErrors.join("; ")}`);
  if (final.stats.gaps.length > 0) log(`  relay gaps: ${final.stats.gaps.join("; ")}`);
  const result: PipelineRunResult = {
    runId,
    containers: nodes.length,
    linesExpected,
    linesCounted,
    linesLost: linesExpected - linesCounted,
    relayLinesLost: relay.linesLost,
    parts,
    ...(fileLines !== undefined && { fileLines }),
    linesToParser: relay.linesToParser,
    messagesPublished: relay.messagesPublished,
    relayMaxLagMs: relay.maxLagMs,
    drainErrors,
    wallMs,
    linesPerSecond: perSecond(linesCounted, wallMs),
    mbPerSecond: perSecond(counters.bytes, wallMs) / 1e6,
    bytes: counters.bytes,
    eventsExpected,
    eventsCounted: probes.count(),
    eventsWallMs,
    relayReadMs: relayReadAt === undefined ? undefined : relayReadAt - t0,
    relayPublishedMs: relayPublishedAt === undefined ? undefined : relayPublishedAt - t0,
    parser: { lines: final.stats.parser.lines, events: final.stats.parser.events, parseErrors: final.stats.parser.parseErrors, publishFailures: final.stats.parser.publishFailures },
    cpu: {
      containersMs: after.containers - before.containers,
      relayAndParserMs: after.host - before.host,
      natsServerMs: after.nats - before.nats,
      subscriberMs: after.self - before.self,
    },
    cpuWindowMs,
    hostWindowUs: { from: fromUs, to: toUs },
  };
  if (load.rate > 0) {
    const logSubject = percentiles(counters.logLatencies);
    const eventSubject = percentiles(probes.latencies);
    result.latency = { ratePerSecond: load.rate * nodes.length, ...(logSubject && { logSubject }), ...(eventSubject && { eventSubject }) };
  }
  return result;
}
