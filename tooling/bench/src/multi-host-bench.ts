import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { drainHostRelays, ensureRunStream, logFilter, newBusCredentials, readRunStream, relayStatsSubject, startNatsServer, type StreamLogStats } from "@mina-local/bus";
import { HOST_RELAY_ROLE, LABELS, RUN_NETWORK, type ComposeFile } from "@mina-local/compose-generator";
import { CONTAINER_PATHS } from "@mina-local/engine";
import type { EventParserStats } from "@mina-local/event-parser";
import { hostRelayNames, hostRelayStackParts, placementConstraint } from "@mina-local/host-relay";
import { SwarmManager, currentOwner } from "@mina-local/swarm-manager";
import type { TestHosts } from "@mina-local/test-hosts";
import type { NatsConnection } from "@nats-io/transport-node";
import type { BenchCleanup } from "./cleanup.js";
import { IpcChild } from "./ipc-child.js";
import { perSecond } from "./measure.js";
import { countLogMessage, countProbeEvents } from "./probe-events.js";
import { benchRunDir, benchRunId, probeEventsPerWriter, touch, writerArgs, writerNames, type WriterLoad } from "./run-ids.js";
import { containerCpuMs, processCpuMs } from "./system.js";
import { CONTAINER_GO_FILE, writerCompose } from "./writer-stack.js";

const PIPELINE_HOST = fileURLToPath(new URL("./pipeline-host.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

export interface MultiHostRunOptions {
  /** the writer image and the relay image, both already on every host */
  image: string;
  relayImage: string;
  hosts: TestHosts;
  containers: number;
  load: WriterLoad;
  cleanup: BenchCleanup;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface RelayFinal {
  host: string;
  linesReceived: number;
  linesLost: number;
  maxLagMs: number;
}

export interface MultiHostRunResult {
  runId: string;
  hosts: number;
  containers: number;
  linesExpected: number;
  /** bench lines in the stream, read back after the run */
  linesCounted: number;
  linesLost: number;
  /** every host relay's final counters (its drain at teardown) */
  relays: RelayFinal[];
  /** from the go signal to the executive's side having handled every line (stream read, scanned, in its log file; polled every 20 ms) */
  wallMs: number;
  linesPerSecond: number;
  eventsExpected: number;
  eventsCounted: number;
  eventsWallMs: number;
  /** the largest lag measured at the executive's end (read back from the stream) */
  maxLagMs: number;
  stream: StreamLogStats;
  parser: Pick<EventParserStats, "lines" | "events" | "parseErrors" | "publishFailures">;
  cpu: { containersMs: number | undefined; intakeAndParserMs: number; natsServerMs: number };
  cpuWindowMs: number;
}

/** The writers as a multi-host run's nodes: each one's run directory is its host's volume (the relay's FIFO), each pinned to a host in turn; the relays' service, volume and secret beside them. Pure. */
export function multiHostWriterCompose(options: {
  runId: string;
  runDir: string;
  image: string;
  relayImage: string;
  nodes: string[];
  hosts: string[];
  busUrl: string;
  user: string;
  passwordFile: string;
  writerArgs: (node: string) => string[];
}): ComposeFile & { volumes: Record<string, unknown>; secrets: Record<string, unknown> } {
  const writers = writerCompose({ runId: options.runId, runDir: options.runDir, image: options.image, nodes: options.nodes, mode: "forwarder", writerArgs: options.writerArgs });
  const owner = currentOwner();
  const labels = { [LABELS.run]: options.runId, [LABELS.role]: HOST_RELAY_ROLE, [LABELS.ownerPid]: String(owner.pid), [LABELS.ownerStart]: owner.start };
  const parts = hostRelayStackParts({ runId: options.runId, image: options.relayImage, busUrl: options.busUrl, user: options.user, passwordFile: options.passwordFile, labels });
  const volume = { type: "volume" as const, source: hostRelayNames(options.runId).volume, target: CONTAINER_PATHS.runDir };
  const services = Object.fromEntries(
    options.nodes.map((node, i) => {
      const service = writers.services[node];
      if (!service) throw new Error(`no writer service ${node}`);
      const host = options.hosts[i % options.hosts.length] as string;
      return [node, { ...service, volumes: [volume], deploy: { ...service.deploy, placement: { constraints: [placementConstraint(host)] } } }];
    }),
  );
  const relays = Object.fromEntries(Object.entries(parts.service).map(([name, relay]) => [name, { ...relay, networks: [RUN_NETWORK] }]));
  return { ...writers, services: { ...services, ...relays } as unknown as ComposeFile["services"], volumes: parts.volumes, secrets: parts.secrets };
}

/**
 * N writer containers spread over the test hosts, through a multi-host run's path:
 * forwarder (PID 1) -> its host's FIFO -> that host's relay (a global service) -> the
 * executive's nats-server over the hosts' network, with per-run credentials -> JetStream
 * -> the executive's stream reader (`startStreamLogs`: byte scan, log files) -> event
 * parser, in the pipeline host process as the executive wires them.
 */
export async function runMultiHostPipeline(options: MultiHostRunOptions): Promise<MultiHostRunResult> {
  const { cleanup, load, hosts } = options;
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const runId = benchRunId("mh");
  const runDir = benchRunDir(runId);
  const removeDir = cleanup.directory(runDir);
  const nodes = writerNames(options.containers);
  const hostNames = hosts.hosts.map((h) => h.host);
  const linesExpected = load.linesPerWriter * nodes.length;
  const eventsExpected = probeEventsPerWriter(load) * nodes.length;

  const credentials = newBusCredentials();
  const nats = await startNatsServer({ storeDir: join(runDir, "nats"), logFile: join(runDir, "nats-server.log"), network: { address: hosts.plan.machineAddress, credentials } });
  const stopNats = cleanup.add(`stopping nats-server of ${runId}`, () => nats.stop());
  const nc = await nats.connect();
  const closeNc = cleanup.add("closing the NATS connection", async () => void (await nc.close()));
  await ensureRunStream(nc, runId);

  const intake = new IpcChild(
    process.execPath,
    ["--conditions=development", "--import", "tsx", PIPELINE_HOST],
    {
      ...process.env,
      MINA_LOCAL_BENCH_PIPELINE: JSON.stringify({ natsUrl: nats.url, user: credentials.user, password: credentials.password, runId, mode: "stream", logsDir: join(runDir, "logs") }),
    },
    PACKAGE_DIR,
  );
  const killIntake = cleanup.process("the stream intake", intake.pid);
  await intake.ready;
  const intakeStats = async () => ((await intake.request("stats", 10_000)) as unknown as { stats: { stream: StreamLogStats } }).stats.stream;

  const probes = await countProbeEvents({ nc, runId, latencies: false });
  const stopProbes = cleanup.add("stopping the probe event counter", () => probes.stop());
  const finals = new Map<string, RelayFinal>();
  const finalCounters = nc.subscribe(`${relayStatsSubject(runId)}.*`, {
    callback: (error, message) => {
      if (error) return;
      const body = message.json<{ host?: string; final?: boolean; linesReceived?: number; linesLost?: number; maxLagMs?: number }>();
      if (body.final && typeof body.host === "string") finals.set(body.host, { host: body.host, linesReceived: body.linesReceived ?? 0, linesLost: body.linesLost ?? 0, maxLagMs: body.maxLagMs ?? 0 });
    },
  });

  // the CLI's `docker stack deploy` and every Docker call go to the hosts' manager
  const swarm = await SwarmManager.connect({ docker: hosts.manager.docker });
  const previousDockerHost = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = hosts.dockerHost;
  const restoreDockerHost = () => {
    if (previousDockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previousDockerHost;
  };
  const volumeName = `${runId}_${hostRelayNames(runId).volume}`;
  const removeVolumes = cleanup.add(`removing ${volumeName} on every host`, async () => {
    for (const host of hosts.hosts) {
      for (let attempt = 0; attempt < 60; attempt++) {
        const gone = await host.docker
          .getVolume(volumeName)
          .remove({ force: true })
          .then(() => true)
          .catch((error: { statusCode?: number }) => error.statusCode === 404);
        if (gone) break;
        await sleep(500);
      }
    }
  });
  const removeStack = cleanup.add(`removing stack ${runId} from the test hosts`, async () => {
    await swarm.removeStack(runId, { timeoutMs: 90_000 });
  });
  try {
    const passwordFile = join(runDir, "bus-password");
    writeFileSync(passwordFile, credentials.password, { mode: 0o600 });
    const compose = multiHostWriterCompose({
      runId,
      runDir,
      image: options.image,
      relayImage: options.relayImage,
      nodes,
      hosts: hostNames,
      busUrl: nats.networkUrl as string,
      user: credentials.user,
      passwordFile,
      writerArgs: (node) => writerArgs(node, load, CONTAINER_GO_FILE),
    });
    // the relays alone first: every host's FIFO has its reader before a writer starts
    const relayService = hostRelayNames(runId).service;
    const relaysFile = join(runDir, "docker-compose.relays.json");
    writeFileSync(relaysFile, JSON.stringify({ ...compose, services: { [relayService]: compose.services[relayService] } }, null, 2));
    log(`  deploying a relay on each of ${hostNames.join(", ")} (run ${runId})`);
    await swarm.deployStack(runId, relaysFile);
    await untilRelaysAnswer(nc, runId, hostNames, 90_000);
    const composeFile = join(runDir, "docker-compose.json");
    writeFileSync(composeFile, JSON.stringify(compose, null, 2));
    log(`  deploying ${nodes.length} writer container(s) over ${hostNames.length} hosts`);
    await swarm.deployStack(runId, composeFile);

    // every forwarder's node_started line has come back through its host's relay
    const startDeadline = Date.now() + 120_000;
    let started = 0;
    while ((started = (await intakeStats()).lines) < nodes.length) {
      if (Date.now() > startDeadline) throw new Error(`only ${started} of ${nodes.length} forwarders reported node_started through their hosts' relays within 120 s (run ${runId})`);
      await sleep(100);
    }
    const containerIds = (await Promise.all(hosts.hosts.map((h) => h.docker.listContainers({ filters: JSON.stringify({ label: [`${LABELS.run}=${runId}`] }) })))).flatMap((list) =>
      list.map((c) => c.Id),
    );
    const cpuAt = () => {
      const perContainer = containerIds.map((id) => containerCpuMs(id));
      return {
        containers: perContainer.some((ms) => ms === undefined) ? undefined : perContainer.reduce<number>((sum, ms) => sum + (ms ?? 0), 0),
        intake: intake.pid === undefined ? 0 : (processCpuMs(intake.pid) ?? 0),
        nats: processCpuMs(nats.pid) ?? 0,
      };
    };
    const before = cpuAt();
    const t0 = now();
    for (const host of hosts.hosts) touch(join(host.dataRoot, "volumes", volumeName, "_data", "go"));
    log(`  go: ${linesExpected.toLocaleString("en-US")} lines as fast as they can`);

    const deadline = Date.now() + timeoutMs;
    let handledAt: number | undefined;
    while (handledAt === undefined && Date.now() < deadline) {
      if ((await intakeStats()).lines >= linesExpected + nodes.length) handledAt = now();
      else await sleep(20);
    }
    const eventsDeadline = Date.now() + (handledAt === undefined ? 1 : 60_000);
    while (probes.count() < eventsExpected && Date.now() < eventsDeadline) await sleep(10);
    const after = cpuAt();
    const wallMs = (handledAt ?? now()) - t0;
    const eventsWallMs = (probes.count() >= eventsExpected ? probes.lastAt() : now()) - t0;

    // teardown as the executive's: the writers go, then each relay's final drain (SIGTERM)
    await removeStack();
    const finalDeadline = Date.now() + 60_000;
    while (finals.size < hostNames.length && Date.now() < finalDeadline) await sleep(250);
    const final = (await intake.request("stop", 180_000)) as unknown as { stats: { stream: StreamLogStats; parser: EventParserStats } };
    await intake.exit();
    await killIntake();
    await stopProbes();

    const benchLines = new Map<string, number>();
    const verify = await readRunStream({
      nc,
      runId,
      filter: logFilter(runId),
      onMessage: (subject, data) => {
        const counted = countLogMessage(subject, data);
        if (counted.where) benchLines.set(counted.where.node, (benchLines.get(counted.where.node) ?? 0) + counted.lines - counted.own);
      },
    });
    await verify.drain(180_000);
    await verify.stop();
    const linesCounted = nodes.reduce((sum, node) => sum + Math.min(load.linesPerWriter, benchLines.get(node) ?? 0), 0);
    const stream = final.stats.stream;
    return {
      runId,
      hosts: hostNames.length,
      containers: nodes.length,
      linesExpected,
      linesCounted,
      linesLost: linesExpected - linesCounted,
      relays: hostNames.map((host) => finals.get(host) ?? { host, linesReceived: Number.NaN, linesLost: Number.NaN, maxLagMs: Number.NaN }),
      wallMs,
      linesPerSecond: perSecond(linesCounted, wallMs),
      eventsExpected,
      eventsCounted: probes.count(),
      eventsWallMs,
      maxLagMs: stream.maxLagMs,
      stream,
      parser: { lines: final.stats.parser.lines, events: final.stats.parser.events, parseErrors: final.stats.parser.parseErrors, publishFailures: final.stats.parser.publishFailures },
      cpu: {
        containersMs: after.containers === undefined || before.containers === undefined ? undefined : after.containers - before.containers,
        intakeAndParserMs: after.intake - before.intake,
        natsServerMs: after.nats - before.nats,
      },
      cpuWindowMs: Math.max(wallMs, eventsWallMs),
    };
  } finally {
    finalCounters.unsubscribe();
    await removeStack();
    await removeVolumes();
    restoreDockerHost();
    await killIntake();
    await stopProbes();
    await closeNc();
    await stopNats();
    // the password file goes with the run directory
    await removeDir();
  }
}

/** Each host's relay answers a drain request once it reads its FIFO and reaches the bus (asked as the executive asks, `drainHostRelays`). */
async function untilRelaysAnswer(nc: NatsConnection, runId: string, hosts: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting = [...hosts];
  for (;;) {
    const answers = await drainHostRelays(nc, runId, waiting, 2_000);
    waiting = answers.filter((a) => !a.ok).map((a) => a.host);
    if (waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the relays did not answer within ${timeoutMs / 1000} s: ${answers.flatMap((a) => (a.ok ? [] : [a.fault])).join("; ")}`);
    await sleep(500);
  }
}
