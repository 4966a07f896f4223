import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { FifoSink, FrameEncoder } from "@mina-local/log-forwarder/codec";
import type { GapReport } from "@mina-local/log-forwarder/codec";
import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { lineTimestampMs, startFifoRelay } from "./relay.js";
import type { LagReport } from "./relay.js";
import { relayFixture } from "./testing/relay-fixture.js";
import { ensureRunStream, streamName } from "./stream.js";
import { logFilter, parseLogSubject, statsSubject } from "./subjects.js";
import { testLine } from "./testing/line-writer.js";
import { payloadLines } from "./relay/batcher.js";

const WRITER = fileURLToPath(new URL("./testing/line-writer.ts", import.meta.url));
const fixture = relayFixture("bus-relay-");
const dir = fixture.dir;
let nc: NatsConnection;
beforeAll(() => {
  nc = fixture.nc();
});

function runWriter(fifo: string, node: string, role: string, count: number): Promise<number | null> {
  const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", WRITER, fifo, node, role, String(count)], { stdio: ["ignore", "inherit", "inherit"] });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Reads a subject filter of the run's stream from its first message, as a late subscriber would. */
async function replay(runId: string, filter: string): Promise<Map<string, string[]>> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(streamName(runId), { filter_subjects: filter, deliver_policy: DeliverPolicy.All });
  const byNode = new Map<string, string[]>();
  const messages = await consumer.consume();
  for await (const msg of messages) {
    const node = parseLogSubject(msg.subject)?.node ?? msg.subject;
    const list = byNode.get(node) ?? [];
    for (const line of payloadLines(msg.data)) list.push(line.toString());
    byNode.set(node, list);
    if (msg.info.pending === 0) break;
  }
  return byNode;
}

describe("FIFO relay to JetStream (needs nats-server: apt-get install nats-server)", () => {
  it("relays 4 writers x 50k lines: per-role subscription, counts equal after drain, full replay in order", async () => {
    const runId = "relaytest1";
    const fifo = path.join(dir, "logs.fifo");
    await ensureRunStream(nc, runId);
    const gaps: GapReport[] = [];
    const relay = await startFifoRelay({ fifoPath: fifo, nc, runId, onGap: (g) => gaps.push(g) });
    fixture.track(relay);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);

    // a live subscriber to the block producers only
    const liveSubjects = new Set<string>();
    const live = nc.subscribe(logFilter(runId, { role: "block-producer" }), {
      callback: (_e, msg) => {
        liveSubjects.add(msg.subject);
      },
    });

    const writers: Array<[string, string]> = [
      ["bp-1", "block-producer"],
      ["bp-2", "block-producer"],
      ["seed-1", "seed"],
      ["sw-1", "snark-worker"],
    ];
    const perWriter = 50_000;
    const started = Date.now();
    let firstByte = 0;
    const watch = setInterval(() => {
      if (firstByte === 0 && relay.stats().bytesRead > 0) firstByte = Date.now();
    }, 10);
    expect(await Promise.all(writers.map(([node, role]) => runWriter(fifo, node, role, perWriter)))).toEqual([0, 0, 0, 0]);
    const stats = await relay.drain();
    const seconds = (Date.now() - started) / 1000;
    const relaySeconds = (Date.now() - firstByte) / 1000;
    clearInterval(watch);
    console.log(
      `relay: ${stats.linesPublished} lines in ${stats.messagesPublished} messages, ${(stats.bytesRead / 1e6).toFixed(1)} MB, ` +
        `${seconds.toFixed(2)} s writers-start to drained (${Math.round(stats.linesPublished / seconds)} lines/s incl. process start-up); ` +
        `first byte read to drained ${relaySeconds.toFixed(2)} s (${Math.round(stats.linesPublished / relaySeconds)} lines/s)`,
    );
    live.unsubscribe();

    expect(gaps).toEqual([]);
    expect(stats.linesLost).toBe(0);
    expect(stats.linesPublished).toBe(writers.length * perWriter);
    for (const [node] of writers) expect(stats.byNode[node]?.linesPublished).toBe(perWriter);
    expect(stats.messagesPublished).toBeLessThan(stats.linesPublished / 10); // batched
    expect([...liveSubjects].sort()).toEqual([`mina.${runId}.log.block-producer.bp-1`, `mina.${runId}.log.block-producer.bp-2`]);

    const producers = await replay(runId, `mina.${runId}.log.block-producer.>`);
    expect([...producers.keys()].sort()).toEqual(["bp-1", "bp-2"]);
    const everything = await replay(runId, logFilter(runId));
    for (const [node] of writers) {
      const lines = everything.get(node) ?? [];
      expect(lines.length).toBe(perWriter);
      const outOfPlace = lines.findIndex((line, i) => line !== testLine(node, i));
      expect(outOfPlace).toBe(-1);
    }

    const jsm = await jetstreamManager(nc);
    const last = await jsm.streams.getMessage(streamName(runId), { last_by_subj: statsSubject(runId, "pipeline") });
    expect(last?.json()).toMatchObject({ run: runId, final: true, linesPublished: 200_000, linesLost: 0 });
  }, 120_000);

  it("counts and publishes the lines of a lost frame, and relays everything else", async () => {
    const runId = "relaytest2";
    const fifo = path.join(dir, "gap.fifo");
    execFileSync("mkfifo", [fifo]);
    await ensureRunStream(nc, runId);
    const gaps: GapReport[] = [];
    const relay = await startFifoRelay({ fifoPath: fifo, nc, runId, onGap: (g) => gaps.push(g) });
    fixture.track(relay);

    const encoder = new FrameEncoder({ node: "bp-9", role: "block-producer" });
    const frames: Buffer[] = [];
    for (let i = 0; i < 30; i++) frames.push(...encoder.encodeLine(`line ${i} ${"y".repeat(3000)}`));
    frames.splice(10, 1); // one frame never reaches the FIFO
    const sink = new FifoSink({ path: fifo });
    sink.write(frames);
    await sink.idle();
    sink.close();

    const stats = await relay.drain();
    expect(gaps).toEqual([expect.objectContaining({ kind: "gap", node: "bp-9", lostFrames: 1, lostLines: 1 })]);
    expect(stats.linesLost).toBe(1);
    expect(stats.byNode["bp-9"]).toMatchObject({ linesPublished: 29, linesLost: 1, framesLost: 1 });
    const lines = (await replay(runId, logFilter(runId))).get("bp-9") ?? [];
    expect(lines.map((l) => l.split(" ")[1])).toEqual(Array.from({ length: 30 }, (_, i) => String(i)).filter((i) => i !== "10"));

    const jsm = await jetstreamManager(nc);
    const last = await jsm.streams.getMessage(streamName(runId), { last_by_subj: statsSubject(runId, "pipeline") });
    expect(last?.json()).toMatchObject({ final: true, linesLost: 1, byNode: { "bp-9": { linesLost: 1 } } });
  }, 30_000);

  it("measures how late each node's lines reach it and reports a node past the limit once, relaying every line all the same", async () => {
    const runId = "relaytest3";
    const fifo = path.join(dir, "lag.fifo");
    await ensureRunStream(nc, runId);
    const lags: LagReport[] = [];
    const relay = await startFifoRelay({ fifoPath: fifo, nc, runId, maxLagMs: 5_000, onLag: (lag) => lags.push(lag) });
    fixture.track(relay);

    const stamped = (ageMs: number, i: number) => `{"timestamp":"${new Date(Date.now() - ageMs).toISOString().replace("T", " ").slice(0, 23)}000Z","level":"Info","message":"line ${i}"}`;
    const sink = new FifoSink({ path: fifo });
    const write = (node: string, text: (i: number) => string) => {
      const encoder = new FrameEncoder({ node, role: "block-producer" });
      const frames: Buffer[] = [];
      for (let i = 0; i < 50; i++) encoder.writeLine(Buffer.from(text(i)), frames);
      encoder.flush(frames);
      sink.write(frames);
    };
    write("fresh", (i) => stamped(0, i));
    write("late", (i) => stamped(30_000 - i * 100, i)); // written 30 s ago, then catching up
    write("plain", (i) => `not json ${i}`);
    await sink.idle();
    sink.close();
    const stats = await relay.drain();

    expect(lags).toEqual([expect.objectContaining({ node: "late", role: "block-producer", maxLagMs: 5_000 })]);
    expect(lags[0]?.lagMs).toBeGreaterThanOrEqual(30_000);
    expect(lags[0]?.message).toMatch(/log pipeline fell behind: a line of node late reached the FIFO reader 3\d\.\d s after the node wrote it \(the limit is 5\.0 s\)/);
    expect(stats.byNode["late"]?.maxLagMs).toBeGreaterThanOrEqual(30_000);
    expect(stats.byNode["fresh"]?.maxLagMs).toBeLessThan(5_000);
    expect(stats.byNode["plain"]?.maxLagMs).toBe(0);
    expect(stats.maxLagMs).toBe(stats.byNode["late"]?.maxLagMs);
    expect(stats.linesPublished).toBe(150);
  }, 30_000);
});

describe("the relay's batch consumer (onBatch)", () => {
  it("gets every published message in order, and a drain waits for it", async () => {
    const runId = "relaytest4";
    const fifo = path.join(dir, "batch.fifo");
    await ensureRunStream(nc, runId);
    const seen: string[] = [];
    let busy = 0;
    let maxBusy = 0;
    const relay = await startFifoRelay({
      fifoPath: fifo,
      nc,
      runId,
      maxBatchBytes: 4096,
      maxInFlight: 4,
      onBatch: async (subject, payload) => {
        busy++;
        maxBusy = Math.max(maxBusy, busy);
        await new Promise((resolve) => setTimeout(resolve, 5)); // a consumer slower than the bus
        seen.push(...payloadLines(payload).map((line) => `${subject.split(".").at(-1)} ${line.toString()}`));
        busy--;
      },
    });
    fixture.track(relay);
    expect(await runWriter(fifo, "bp-7", "block-producer", 3_000)).toBe(0);
    const stats = await relay.drain();
    expect(stats.linesPublished).toBe(3_000);
    expect(seen).toHaveLength(3_000);
    expect(seen.findIndex((line, i) => line !== `bp-7 ${testLine("bp-7", i)}`)).toBe(-1);
    // the consumer's batches count as in flight: reading pauses instead of queueing without
    // bound (beyond maxInFlight, at most the batches of the one pipe read, 64 KiB, in hand)
    expect(maxBusy).toBeGreaterThan(1);
    expect(maxBusy).toBeLessThanOrEqual(4 + Math.ceil(65_536 / 4096) + 1);
  }, 60_000);
});

describe("lineTimestampMs", () => {
  it("reads Mina's timestamp format and ISO's, and nothing else", () => {
    expect(lineTimestampMs(Buffer.from('{"timestamp":"2026-11-26 12:00:01.250000Z","level":"Info"}'))).toBe(Date.UTC(2026, 10, 26, 12, 0, 1, 250));
    expect(lineTimestampMs(Buffer.from('{"timestamp":"2026-11-26T12:00:01.250Z"}'))).toBe(Date.UTC(2026, 10, 26, 12, 0, 1, 250));
    expect(lineTimestampMs(Buffer.from("plain text"))).toBeUndefined();
    expect(lineTimestampMs(Buffer.from('{"timestamp":"yesterday"}'))).toBeUndefined();
    expect(lineTimestampMs(Buffer.from('{"timestamp":"2026-13-45 99:00:01.250000Z"}'))).toBeUndefined();
    // only the start of the line is looked at: a timestamp deep inside a message is not the line's
    expect(lineTimestampMs(Buffer.from(`{"message":"${"x".repeat(200)}","timestamp":"2026-11-26 12:00:01.250000Z"}`))).toBeUndefined();
  });
});
