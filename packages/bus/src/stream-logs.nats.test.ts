import fs from "node:fs";
import path from "node:path";
import { jetstream } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { payloadLines } from "./relay/batcher.js";
import type { LagReport } from "./relay/lag.js";
import { ensureRunStream } from "./stream.js";
import { startStreamLogs } from "./stream-logs.js";
import { logSubject } from "./subjects.js";
import { relayFixture } from "./testing/relay-fixture.js";

const fixture = relayFixture("bus-stream-logs-");
// Mina's shape: a plain line has every field of a daemon's line (else the byte scan hands it to the parser as malformed)
const stamped = (ageMs: number, text: string) =>
  `{"timestamp":"${new Date(Date.now() - ageMs).toISOString().replace("T", " ").slice(0, 23)}000Z","level":"Info","source":{"module":"Mina_lib","location":"File \\"src/lib/mina_lib/mina_lib.ml\\", line 1, characters 0-1"},"message":"${text}","metadata":{}}`;

describe("startStreamLogs: a multi-host run's lines, read back from the stream at the executive", () => {
  it("writes each node's bytes unchanged, hands the parser only candidate lines, and reports a node whose lines arrive past the lag limit once", async () => {
    const nc = fixture.nc();
    const runId = "streamlogs1";
    await ensureRunStream(nc, runId);
    const js = jetstream(nc);
    // a host relay's batches: whole lines, newline-terminated; invalid UTF-8 and an empty line among them
    const fresh = Buffer.concat([Buffer.from(`${stamped(0, "fresh 1")}\n\n`), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('{"level":"Info","event_id":"e1","message":"maybe an event"}\n')]);
    const late = Buffer.from(`${stamped(30_000, "late 1")}\n${stamped(29_000, "late 2")}\n`);
    const lateAgain = Buffer.from(`${stamped(28_000, "late 3")}\n`);
    await js.publish(logSubject(runId, "block_producer", "fresh"), fresh);
    await js.publish(logSubject(runId, "seed", "late"), late);
    await js.publish(logSubject(runId, "seed", "late"), lateAgain);

    const logsDir = path.join(fixture.dir, "logs-1");
    const batches: string[][] = [];
    const lines = new Map<string, number>();
    const errors: string[] = [];
    const lags: LagReport[] = [];
    const logs = await startStreamLogs({
      nc,
      runId,
      logsDir,
      onBatch: async (_subject, payload) => void batches.push(payloadLines(payload).map((l) => l.toString("hex"))),
      onLines: (node, got) => void lines.set(node, (lines.get(node) ?? 0) + got.length),
      onError: (message) => errors.push(message),
      maxLagMs: 5_000,
      onLag: (lag) => lags.push(lag),
    });
    try {
      await logs.drain(10_000);
      expect(fs.readFileSync(path.join(logsDir, "fresh.log")).equals(fresh)).toBe(true);
      expect(fs.readFileSync(path.join(logsDir, "late.log")).equals(Buffer.concat([late, lateAgain]))).toBe(true);
      expect(Object.fromEntries(lines)).toEqual({ fresh: 4, late: 3 });
      // the parser gets what the byte scan cannot rule out: the line with an event_id, and the line that is not JSON (it counts it)
      expect(batches.flat()).toEqual(["fffe", Buffer.from('{"level":"Info","event_id":"e1","message":"maybe an event"}').toString("hex")]);
      const stats = logs.stats();
      expect(stats).toMatchObject({ messages: 3, lines: 7, linesToParser: 2, linesNotWritten: 0, parserFailures: 0 });
      expect(stats.kinds.blank).toBe(1);
      expect(lags).toHaveLength(1);
      expect(lags[0]).toMatchObject({ node: "late", role: "seed", maxLagMs: 5_000 });
      expect(lags[0]?.message).toMatch(/a line of node late reached the executive through its host's relay 3\d\.\d s after the node wrote it \(the limit is 5\.0 s\)/);
      expect(stats.maxLagMs).toBeGreaterThanOrEqual(30_000);
      expect(errors).toEqual([]);
    } finally {
      await logs.stop();
    }
  });

  it("counts a batch the parser throws on and says so, and still writes its lines", async () => {
    const nc = fixture.nc();
    const runId = "streamlogs2";
    await ensureRunStream(nc, runId);
    await jetstream(nc).publish(logSubject(runId, "seed", "seed"), Buffer.from('{"level":"Info","event_id":"e1","message":"m"}\n'));
    const errors: string[] = [];
    const logs = await startStreamLogs({
      nc,
      runId,
      logsDir: path.join(fixture.dir, "logs-2"),
      onBatch: async () => {
        throw new Error("no room");
      },
      onLines: () => undefined,
      onError: (message) => errors.push(message),
    });
    try {
      await logs.drain(10_000);
      expect(logs.stats()).toMatchObject({ lines: 1, linesToParser: 1, parserFailures: 1 });
      expect(errors).toEqual(["the event parser failed on a batch of seed: no room"]);
      expect(fs.readFileSync(path.join(fixture.dir, "logs-2", "seed.log"), "utf8")).toContain('"event_id":"e1"');
    } finally {
      await logs.stop();
    }
  });
});
