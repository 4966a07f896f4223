import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FifoSink, FrameEncoder } from "@mina-local/log-forwarder/codec";
import type { NatsConnection } from "@nats-io/transport-node";
import { startFifoRelay } from "./relay.js";
import type { RelayError } from "./relay.js";
import { lineClassifier } from "./relay/classify.js";
import { payloadLines } from "./relay/batcher.js";
import { relayFixture } from "./testing/relay-fixture.js";
import { ensureRunStream } from "./stream.js";

// The relay's promises of issue 19: the log files hold the daemon's bytes, every line
// (empty ones too) is counted, relayed = received + lost, and no loss is silent.
const fixture = relayFixture("bus-exact-");
const dir = fixture.dir;
let nc: NatsConnection;
beforeAll(() => {
  nc = fixture.nc();
});

async function writeFrames(fifo: string, frames: Buffer[]): Promise<void> {
  const sink = new FifoSink({ path: fifo });
  for (let i = 0; i < frames.length; i += 64) {
    if (!sink.write(frames.slice(i, i + 64))) await sink.waitForRoom();
  }
  await sink.idle();
  sink.close();
}

/** One node's lines as the forwarder frames them (batched, long lines split). */
function framesOf(node: string, lines: Buffer[]): Buffer[] {
  const encoder = new FrameEncoder({ node, role: "block-producer" });
  const frames: Buffer[] = [];
  lines.forEach((line, i) => {
    encoder.writeLine(line, frames);
    if (i % 7 === 6) encoder.flush(frames);
  });
  encoder.flush(frames);
  return frames;
}

const LEVELS = ["Spam", "Trace", "Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"];

describe("the relay is exact (needs nats-server)", () => {
  it("writes each node's log file byte for byte (invalid UTF-8, CR, empty lines, at the end of a batch too) and counts every line", async () => {
    const runId = "exact1";
    const fifo = path.join(dir, "exact1.fifo");
    const logsDir = path.join(dir, "exact1-logs");
    await ensureRunStream(nc, runId);
    const relay = await startFifoRelay({
      fifoPath: fifo,
      nc,
      runId,
      logsDir,
      maxBatchBytes: 300,
      classify: lineClassifier({ levels: LEVELS, eventLevels: ["Warn", "Error", "Fatal", "Faulty_peer"] }),
    });
    fixture.track(relay);
    const lines: Buffer[] = [];
    for (let i = 0; i < 2_000; i++) {
      if (i % 10 === 0) lines.push(Buffer.alloc(0));
      else if (i % 10 === 1) lines.push(Buffer.from([0x7b, 0xff, 0xc3, 0x28, 0x7d, 0x0d]));
      else if (i % 97 === 0) lines.push(Buffer.from("x".repeat(9_000)));
      else lines.push(Buffer.from(`line ${i} ${"é".repeat(i % 50)}`));
    }
    lines.push(Buffer.alloc(0)); // the very last line is empty
    await writeFrames(fifo, framesOf("bp-1", lines));
    const stats = await relay.drain();

    const expected = Buffer.concat(lines.flatMap((line) => [line, Buffer.from("\n")]));
    expect(fs.readFileSync(path.join(logsDir, "bp-1.log")).equals(expected)).toBe(true);
    expect(stats).toMatchObject({ linesRelayed: lines.length, linesReceived: lines.length, linesLost: 0, linesPending: 0, linesPublished: lines.length });
    expect(stats.kinds.blank).toBe(201);
    expect(stats.linesRelayed).toBe(stats.linesReceived + stats.linesLost);
  }, 60_000);

  it("with frames lost on the way, reports exactly the lines that are missing from the file and the bus", async () => {
    const runId = "exact2";
    const fifo = path.join(dir, "exact2.fifo");
    const logsDir = path.join(dir, "exact2-logs");
    await ensureRunStream(nc, runId);
    const relay = await startFifoRelay({ fifoPath: fifo, nc, runId, logsDir });
    fixture.track(relay);
    const lines = Array.from({ length: 5_000 }, (_, i) => Buffer.from(`${i} ${"y".repeat((i * 37) % 900)}${i % 500 === 0 ? "z".repeat(5_000) : ""}`));
    const frames = framesOf("bp-2", lines);
    // drop every 50th frame but the last (a loss at the very end is not visible in the sequence)
    const kept = frames.filter((_, i) => i % 50 !== 25 || i === frames.length - 1);
    expect(kept.length).toBeLessThan(frames.length);
    await writeFrames(fifo, kept);
    const stats = await relay.drain();

    const arrived = fs.readFileSync(path.join(logsDir, "bp-2.log"), "latin1").split("\n").slice(0, -1);
    const truthLost = lines.length - arrived.length;
    expect(truthLost).toBeGreaterThan(0);
    // the lines that arrived are whole and in order: no line is half there
    const ids = arrived.map((line) => Number(line.split(" ")[0]));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true);
    expect(arrived.every((line) => line === lines[Number(line.split(" ")[0])]?.toString("latin1"))).toBe(true);
    expect(stats.linesLost).toBe(truthLost);
    expect(stats.linesLostInFifo).toBe(truthLost);
    expect(stats.linesRelayed).toBe(lines.length);
    expect(stats.linesReceived).toBe(arrived.length);
    expect(stats.linesRelayed).toBe(stats.linesReceived + stats.linesLost);
  }, 60_000);
});

describe("the relay loses nothing silently (needs nats-server)", () => {
  it("counts and reports a batch the event parser threw on, and still publishes and writes its lines", async () => {
    const runId = "exact3";
    const fifo = path.join(dir, "exact3.fifo");
    await ensureRunStream(nc, runId);
    const errors: RelayError[] = [];
    let calls = 0;
    const relay = await startFifoRelay({
      fifoPath: fifo,
      nc,
      runId,
      logsDir: path.join(dir, "exact3-logs"),
      onError: (e) => errors.push(e),
      onBatch: () => {
        if (calls++ === 0) throw new Error("parser bug");
      },
    });
    fixture.track(relay);
    await writeFrames(fifo, framesOf("bp-3", [Buffer.from("a"), Buffer.alloc(0), Buffer.from("b")]));
    const stats = await relay.drain();
    expect(stats).toMatchObject({ parserFailures: 1, linesReceived: 3, linesLost: 0 });
    // empty lines are counted without a classifier too
    expect(stats.kinds.blank).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ kind: "parser-failed", node: "bp-3", lines: 3, message: expect.stringContaining("parser bug") })]);
  }, 30_000);

  it("counts lines the bus refused and lines its log file could not take as lost, with the reason", async () => {
    const fifo = path.join(dir, "exact4.fifo");
    const logsDir = path.join(dir, "exact4-logs");
    fs.mkdirSync(path.join(logsDir, "bp-5.log"), { recursive: true }); // a directory where the file should go
    const errors: RelayError[] = [];
    // no stream for this run: JetStream has no one to acknowledge the publishes
    const relay = await startFifoRelay({ fifoPath: fifo, nc, runId: "nostream", logsDir, onError: (e) => errors.push(e) });
    fixture.track(relay);
    await writeFrames(fifo, [...framesOf("bp-4", [Buffer.from("a"), Buffer.from("b")]), ...framesOf("bp-5", [Buffer.from("c")])]);
    const stats = await relay.drain({ timeoutMs: 30_000 });
    expect(stats).toMatchObject({ linesRelayed: 3, linesReceived: 0, linesLost: 3, linesNotPublished: 3, linesNotWritten: 1 });
    expect(errors.map((e) => [e.kind, e.node]).sort()).toEqual([
      ["not-published", "bp-4"],
      ["not-published", "bp-5"],
      ["not-written", "bp-5"],
    ]);
    expect(fs.readFileSync(path.join(logsDir, "bp-4.log"), "utf8")).toBe("a\nb\n");
  }, 40_000);

  it("hands the event parser only the lines the byte scan cannot rule out", async () => {
    const runId = "exact5";
    const fifo = path.join(dir, "exact5.fifo");
    await ensureRunStream(nc, runId);
    const handed: string[] = [];
    const relay = await startFifoRelay({
      fifoPath: fifo,
      nc,
      runId,
      classify: lineClassifier({ levels: LEVELS, eventLevels: ["Warn", "Error", "Fatal", "Faulty_peer"] }),
      onBatch: (_subject, payload) => {
        handed.push(...payloadLines(payload).map(String));
      },
    });
    fixture.track(relay);
    const line = (level: string, extra = "") => `{"timestamp":"2026-11-26 12:00:00.000000Z","level":"${level}","source":{"module":"M","location":"l"},"message":"m","metadata":{}${extra}}`;
    const lines = [line("Trace"), line("Error"), "not json", "", line("Debug", ',"event_id":"abc"'), line("Info"), '{"level":"Info"}'];
    await writeFrames(
      fifo,
      framesOf(
        "bp-6",
        lines.map((l) => Buffer.from(l)),
      ),
    );
    const stats = await relay.drain();
    expect(handed).toEqual([line("Error"), "not json", line("Debug", ',"event_id":"abc"'), '{"level":"Info"}']);
    expect(stats.kinds).toEqual({ blank: 1, "not-json": 1, malformed: 1, "may-be-event": 2, plain: 2 });
    expect(stats.linesToParser).toBe(4);
    expect(stats.linesReceived).toBe(7);
  }, 30_000);
});
