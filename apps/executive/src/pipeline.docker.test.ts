import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeFromNetwork, validateComposeFile, writeRunDirectory, type RunFiles } from "@mina-local/compose-generator";
import { SIMULATOR_EVENT_ID_TABLE_NAME, eventIdTable, expandNetworkConfig, newRunId, parseTestConfig, type NetworkConfig, type NodeEvent } from "@mina-local/engine";
import {
  ensureRunStream,
  eventFilter,
  logFilter,
  minaLineClassifier,
  parseLogSubject,
  payloadLines,
  startFifoRelay,
  startNatsServer,
  type EmbeddedNats,
  type FifoRelay,
  type RelayStats,
  type RunStreamReader,
  readRunStream,
} from "@mina-local/bus";
import { inlineEventParser, type InlineEventParser } from "@mina-local/event-parser";
import { SwarmManager, currentOwner } from "@mina-local/swarm-manager";
import type { NatsConnection } from "@nats-io/transport-node";
import { LAST_LINE_MESSAGE, PIPELINE_MODULE, buildPipelineImage, debugPlainLines, plannedLines, type PipelineDaemonPlan } from "./testing/pipeline-daemon.js";
import { requireRunPrerequisites } from "./testing/cli-run.js";

/**
 * The log pipeline end to end on Docker (issue 6): 3 containers whose daemons log through
 * their forwarders into the FIFO -> relay -> JetStream -> event parser, deployed as a swarm
 * stack. Two runs side by side: one unfiltered, one with the in-container filter that drops
 * Debug lines. The daemons' output is known in advance, so what arrives is compared line
 * for line with what was written, teardown included.
 */

const PLAN: PipelineDaemonPlan = { plainLines: 600, bigLines: 4, bigLineBytes: 20_000, blocksAtInfo: 5, linesOnStop: 25 };
const IMAGE = `mina-local/pipeline-test:${process.pid}`;
const DEBUG_FILTER = '!(.level in ["Debug"])';
const NODES = { bp1: "block-producer", bp2: "block-producer", seed: "seed" } as const;
type NodeName = keyof typeof NODES;

interface ReceivedLine {
  subject: string;
  role: string;
  node: string;
  text: string;
}

interface Run {
  name: string;
  filtered: boolean;
  runId: string;
  network: NetworkConfig;
  files: RunFiles;
  relay: FifoRelay;
  parser: InlineEventParser;
  /** the relay's per-node log files */
  logsDir: string;
  readers: RunStreamReader[];
  /** everything under mina.<run>.log.> */
  all: ReceivedLine[];
  /** what a subscriber to mina.<run>.log.block-producer.> received */
  blockProducerSubscriber: ReceivedLine[];
  blockProduced: NodeEvent[];
  initialized: NodeEvent[];
  relayStats?: RelayStats;
}

const workDir = mkdtempSync(join(tmpdir(), "pipeline-docker-"));
let swarm: SwarmManager | undefined;
let nats: EmbeddedNats | undefined;
let nc: NatsConnection | undefined;
let imageBuilt = false;
const runs: Run[] = [];

async function startRun(name: string, filtered: boolean): Promise<Run> {
  const runId = newRunId(undefined, "pipe");
  const config = parseTestConfig({
    genesis_ledger: [
      { account_name: "bp1-key", balance: "1000" },
      { account_name: "bp2-key", balance: "1000" },
    ],
    block_producers: [
      { node_name: "bp1", account_name: "bp1-key" },
      { node_name: "bp2", account_name: "bp2-key" },
    ],
  });
  if (!config.ok) throw config.error;
  const network = expandNetworkConfig(config.value, { mina: IMAGE }, { testnetName: runId });
  expect(Object.fromEntries(network.nodes.map((n) => [n.name, n.role]))).toEqual(NODES);
  const runDir = join(workDir, runId);
  const compose = composeFromNetwork(network, { runId, runDir, owner: currentOwner(), stopGracePeriod: "5s", ...(filtered && { logFilter: DEBUG_FILTER }) });
  expect(validateComposeFile(compose)).toEqual([]);
  const files = await writeRunDirectory(network, compose, runDir);

  const connection = nc as NatsConnection;
  await ensureRunStream(connection, runId);
  // wired as the executive wires them: events parsed from the relay's batches in process
  const parser = inlineEventParser({ nc: connection, runId, table: eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME) });
  const relay = await startFifoRelay({
    fifoPath: files.fifo,
    nc: connection,
    runId,
    logsDir: join(runDir, "logs"),
    classify: minaLineClassifier(),
    onGap: (gap) => console.error(`${name}: lines lost`, gap),
    onError: (error) => console.error(`${name}: pipeline error`, error),
    onBatch: parser.handleBatch,
  });
  const run: Run = { name, filtered, runId, network, files, relay, parser, logsDir: join(runDir, "logs"), readers: [], all: [], blockProducerSubscriber: [], blockProduced: [], initialized: [] };
  const decoder = new TextDecoder();
  const linesOf = (into: ReceivedLine[]) => (subject: string, data: Uint8Array) => {
    const parts = parseLogSubject(subject);
    if (!parts) throw new Error(`not a log subject: ${subject}`);
    for (const line of payloadLines(data)) into.push({ subject, role: parts.role, node: parts.node, text: decoder.decode(line) });
  };
  const eventsOf = (into: NodeEvent[]) => (_subject: string, data: Uint8Array) => void into.push(JSON.parse(decoder.decode(data)) as NodeEvent);
  const read = async (filter: string, onMessage: (subject: string, data: Uint8Array) => void) =>
    run.readers.push(await readRunStream({ nc: connection, runId, filter, onMessage, onError: (error) => console.error(`${name}: reading ${filter}`, error) }));
  await read(logFilter(runId), linesOf(run.all));
  await read(`mina.${runId}.log.block-producer.>`, linesOf(run.blockProducerSubscriber));
  await read(eventFilter(runId, { type: "Block_produced" }), eventsOf(run.blockProduced));
  await read(`mina.${runId}.event.*.*.Node_initialization`, eventsOf(run.initialized));
  return run;
}

/** A daemon line of the run (the forwarder's own lines have another module). */
function daemonLines(run: Run, node: NodeName): { level: string; message: string; seq: number; eventId?: string }[] {
  return run.all
    .filter((l) => l.node === node)
    .map((l) => JSON.parse(l.text) as { level: string; message: string; source: { module: string }; metadata: { seq: number }; event_id?: string })
    .filter((l) => l.source.module === PIPELINE_MODULE)
    .map((l) => ({ level: l.level, message: l.message, seq: l.metadata.seq, ...(l.event_id && { eventId: l.event_id }) }));
}

function forwarderEvents(run: Run, node: NodeName): string[] {
  return run.all
    .filter((l) => l.node === node)
    .map((l) => JSON.parse(l.text) as { source: { module: string }; metadata: { puppeteer_event_type?: string } })
    .filter((l) => l.source.module === "mina-local.forwarder")
    .map((l) => l.metadata.puppeteer_event_type ?? "(none)");
}

async function until(what: string, timeoutMs: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await requireRunPrerequisites();
  swarm = await SwarmManager.connect();
  await buildPipelineImage(IMAGE, PLAN);
  imageBuilt = true;
  nats = await startNatsServer({ storeDir: join(workDir, "nats"), logFile: join(workDir, "nats-server.log") });
  nc = await nats.connect();
  runs.push(await startRun("unfiltered", false), await startRun("filtered", true));

  const manager = swarm;
  await Promise.all(runs.map((run) => manager.deployStack(run.runId, run.files.composeFile)));
  await Promise.all(runs.map((run) => manager.waitForTasks(run.runId, { timeoutMs: 60_000, socketsDir: run.files.socketsDir })));
  // every daemon has written its planned lines and they are on the bus: now tear down,
  // so the lines written on SIGTERM and the forwarders' last lines cross the teardown
  await until("every daemon's last planned line on the bus", 60_000, () =>
    runs.every((run) => Object.keys(NODES).every((node) => run.all.some((l) => l.node === node && l.text.includes(LAST_LINE_MESSAGE)))),
  );
  await Promise.all(runs.map((run) => manager.removeStack(run.runId, { timeoutMs: 60_000 })));
  for (const run of runs) {
    await run.relay.drain();
    await run.parser.drain();
    for (const reader of run.readers) await reader.drain();
    run.relayStats = run.relay.stats();
  }
}, 180_000);

afterAll(async () => {
  for (const run of runs) {
    for (const reader of run.readers) await reader.stop().catch(() => undefined);
    await run.relay.stop().catch(() => undefined);
    await swarm?.removeStack(run.runId, { timeoutMs: 60_000 }).catch((error: unknown) => console.error(error));
    await swarm?.cleanup({ runId: run.runId, isOwnerAlive: () => false }).catch((error: unknown) => console.error(error));
  }
  await nc?.close().catch(() => undefined);
  await nats?.stop();
  if (imageBuilt)
    await swarm?.docker
      .getImage(IMAGE)
      .remove({ force: true })
      .catch((error: unknown) => console.error(error));
  rmSync(workDir, { recursive: true, force: true });
}, 120_000);

describe("the log pipeline on a swarm stack", () => {
  it("delivers to a mina.<run>.log.block-producer.> subscriber only the block producers' lines, all of them", () => {
    for (const run of runs) {
      const seen = run.blockProducerSubscriber;
      expect(new Set(seen.map((l) => l.node))).toEqual(new Set(["bp1", "bp2"]));
      expect(new Set(seen.map((l) => l.role))).toEqual(new Set(["block-producer"]));
      for (const line of seen) expect(line.subject).toBe(`mina.${run.runId}.log.block-producer.${line.node}`);
      // the daemon stamps its host name in every line: the subject does not lie about the sender
      const senders = seen.map((l) => JSON.parse(l.text) as { metadata: { node?: string } }).flatMap((l) => (l.metadata.node ? [l.metadata.node] : []));
      expect(new Set(senders)).toEqual(new Set(["bp1", "bp2"]));
      expect(seen.length).toBe(run.all.filter((l) => l.role === "block-producer").length);
      expect(run.all.filter((l) => l.node === "seed").length).toBeGreaterThan(0);
    }
  });

  it("delivers typed Block_produced events to a subscriber of the event subject, including one logged at Debug", () => {
    for (const run of runs) {
      for (const node of ["bp1", "bp2"] as const) {
        const publicKey = run.network.nodes.find((n) => n.name === node)?.account?.keypair.publicKey;
        expect(publicKey).toMatch(/^B62/);
        const events = run.blockProduced.filter((e) => e.node === node);
        expect(events.map((e) => e.type)).toEqual(events.map(() => "Block_produced"));
        expect(events.map((e) => e.role)).toEqual(events.map(() => "block-producer"));
        expect(events.map((e) => (e.data as { block_height: number }).block_height)).toEqual(Array.from({ length: PLAN.blocksAtInfo + 1 }, (_, i) => i + 2));
        for (const event of events)
          expect(event.data).toMatchObject({ creator: publicKey, global_slot: (event.data as { block_height: number }).block_height + 1, state_hash: expect.stringMatching(/^3N/) });
      }
      expect(run.blockProduced.filter((e) => e.node === "seed")).toEqual([]);
      expect(run.initialized.map((e) => e.node).sort()).toEqual(["bp1", "bp2", "seed"]);
    }
  });

  it("drops Debug lines in the container when filtered, but never an event logged at Debug", () => {
    const [unfiltered, filtered] = runs as [Run, Run];
    for (const node of Object.keys(NODES) as NodeName[]) {
      const debugPlain = (run: Run) => daemonLines(run, node).filter((l) => l.level === "Debug" && !l.eventId);
      const debugEvents = (run: Run) => daemonLines(run, node).filter((l) => l.level === "Debug" && l.eventId);
      expect(debugPlain(unfiltered)).toHaveLength(debugPlainLines(PLAN));
      expect(debugPlain(filtered)).toEqual([]);
      const eventsAtDebug = NODES[node] === "block-producer" ? 2 : 1; // Node_initialization (+ the last Block_produced)
      expect(debugEvents(unfiltered)).toHaveLength(eventsAtDebug);
      expect(debugEvents(filtered)).toHaveLength(eventsAtDebug);
      expect(daemonLines(filtered, node).filter((l) => l.level === "Info")).toEqual(
        daemonLines(unfiltered, node)
          .filter((l) => l.level === "Info")
          .map((l) => expect.objectContaining({ message: l.message, seq: l.seq })),
      );
    }
  });

  it("after teardown has received every line written, once and in order, with nothing counted lost", () => {
    for (const run of runs) {
      for (const node of Object.keys(NODES) as NodeName[]) {
        const lines = daemonLines(run, node);
        const expected = plannedLines(PLAN, NODES[node] === "block-producer", { dropDebug: run.filtered });
        expect(lines.length, `${run.name}: daemon lines of ${node}`).toBe(expected);
        const seqs = lines.map((l) => l.seq);
        expect(seqs, `${run.name}: ${node}'s lines in the order written`).toEqual([...seqs].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(seqs.length);
        // the lines written on SIGTERM, during the stack's removal, made it too
        expect(lines.filter((l) => l.message === "pipeline stop line $i")).toHaveLength(PLAN.linesOnStop);
        // ...and so did the forwarder's own last line, written as the container stopped
        expect(forwarderEvents(run, node).at(-1), `${run.name}: ${node}'s forwarder lines`).toBe("node_offline");
        expect(forwarderEvents(run, node)).toContain("node_started");
        const relayed = run.relayStats?.byNode[node];
        expect(relayed?.linesPublished, `${run.name}: lines the relay published for ${node}`).toBe(run.all.filter((l) => l.node === node).length);
        expect(relayed?.linesLost).toBe(0);
        // the node's log file holds what the bus holds, line for line
        const onBus = run.all
          .filter((l) => l.node === node)
          .map((l) => `${l.text}\n`)
          .join("");
        expect(readFileSync(join(run.logsDir, `${node}.log`), "utf8") === onBus, `${run.name}: logs/${node}.log is the bus's lines`).toBe(true);
      }
      expect(run.relayStats?.linesLost).toBe(0);
      expect(run.relayStats?.framesLost).toBe(0);
      expect(run.parser.stats().parseErrors).toBe(0);
    }
  });

  it("leaves nothing of either run behind once the stacks are removed", async () => {
    const docker = (swarm as SwarmManager).docker;
    for (const run of runs) {
      const filters = JSON.stringify({ label: [`mina-local.run=${run.runId}`] });
      const [services, containers, networks] = await Promise.all([docker.listServices({ filters }), docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
      expect({ services: services.length, containers: containers.length, networks: networks.length }).toEqual({ services: 0, containers: 0, networks: 0 });
    }
  });
});
