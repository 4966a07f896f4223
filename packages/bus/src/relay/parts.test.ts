import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeBatcher, batchPayload, payloadLines } from "./batcher.js";
import type { Batch } from "./batcher.js";
import { InFlight } from "./in-flight.js";
import { LagTracker } from "./lag.js";
import { RelayLedger } from "./ledger.js";
import { NodeLogFiles, nodeLogFileName } from "./node-logs.js";
import { publishAcked } from "./publish.js";

const b = (text: string) => Buffer.from(text);

describe("batchPayload / payloadLines (the log message format)", () => {
  it("ends every line with \\n, so empty lines survive, also the last one", () => {
    const lines = [b("a"), b(""), b("c"), b("")];
    const payload = batchPayload(lines);
    expect(payload.toString()).toBe("a\n\nc\n\n");
    expect(payloadLines(payload).map(String)).toEqual(["a", "", "c", ""]);
    expect(payloadLines(batchPayload([b("")])).map(String)).toEqual([""]);
    expect(payloadLines(new Uint8Array())).toEqual([]);
  });

  it("keeps bytes that are not UTF-8 as they are", () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(payloadLines(batchPayload([raw]))[0]?.equals(raw)).toBe(true);
  });
});

describe("NodeBatcher", () => {
  const text = (batch: Batch | undefined) => batch && { node: batch.node, lines: payloadLines(batch.payload).map(String), count: batch.lines, parser: payloadLines(batch.forParser).map(String) };

  it("keeps each node's lines together, closes a batch that would pass the byte bound, and lets a long line go alone", () => {
    const batcher = new NodeBatcher(10);
    expect(batcher.add("n1", "seed", b("1234"))).toBeUndefined(); // 5 bytes with its \n
    expect(batcher.add("n2", "seed", b("x"), true)).toBeUndefined();
    expect(batcher.add("n1", "seed", b("5678"))).toBeUndefined(); // 10
    const full = batcher.add("n1", "seed", b("9"));
    expect(full?.payload.length).toBe(10);
    expect(text(full)).toEqual({ node: "n1", lines: ["1234", "5678"], count: 2, parser: [] });
    const long = batcher.add("n1", "seed", b("a very long line"));
    expect(text(long)).toEqual({ node: "n1", lines: ["9"], count: 1, parser: [] });
    const rest = batcher.takeAll().sort((x, y) => x.node.localeCompare(y.node));
    expect(rest.map(text)).toEqual([
      { node: "n1", lines: ["a very long line"], count: 1, parser: [] },
      { node: "n2", lines: ["x"], count: 1, parser: ["x"] },
    ]);
    expect(batcher.openBatches).toBe(0);
  });

  it("takes a run of lines as it lies in the bytes read (empty lines too) with one copy, and the parser's lines apart", () => {
    const batcher = new NodeBatcher(1024);
    const read = b("xx{a}\n\n{b}yy");
    expect(batcher.fits("n1", 9)).toBe(true);
    expect(batcher.addLines("n1", "seed", read, 2, 10, 3)).toBeUndefined();
    batcher.addParserLine("n1", read, 7, 10);
    // a run grows the batch past its first buffer
    const big = Buffer.alloc(100_000, 0x61);
    expect(new NodeBatcher(200_000).addLines("n2", "seed", big, 0, big.length, 1)).toBeUndefined();
    const [batch] = batcher.takeAll();
    expect(text(batch)).toEqual({ node: "n1", lines: ["{a}", "", "{b}"], count: 3, parser: ["{b}"] });
    expect(batcher.fits("n1", 1025)).toBe(false);
    expect(() => batcher.addParserLine("n9", read, 0, 1)).toThrow(/no open batch/);
  });

  it("grows a batch's buffer as lines come and keeps every byte", () => {
    const batcher = new NodeBatcher(1024 * 1024);
    const line = Buffer.alloc(30_000, 0x62);
    for (let i = 0; i < 5; i++) batcher.add("n1", "seed", line);
    const [batch] = batcher.takeAll();
    expect(batch?.payload.length).toBe(5 * 30_001);
    expect(payloadLines(batch?.payload ?? Buffer.alloc(0)).every((l) => l.equals(line))).toBe(true);
  });
});

describe("RelayLedger", () => {
  it("keeps relayed = received + lost + pending through losses in the FIFO, bus refusals, write failures and parser failures", () => {
    const ledger = new RelayLedger();
    for (let i = 0; i < 10; i++) ledger.read("n1", "seed", i < 2 ? "may-be-event" : "plain");
    ledger.lostInFifo("n1", "seed", 1, 3);
    ledger.settle("n1", "seed", 4, { published: true, written: true, parsed: true });
    ledger.settle("n1", "seed", 2, { published: false, written: true, parsed: true });
    ledger.settle("n1", "seed", 1, { published: true, written: false, parsed: false });
    const n1 = ledger.byNode()["n1"];
    expect(n1).toMatchObject({
      relayed: 13,
      received: 4,
      lost: 6,
      pending: 3,
      lostInFifo: 3,
      framesLostInFifo: 1,
      notPublished: 2,
      notWritten: 1,
      parserFailures: 1,
      messages: 2,
      published: 5,
      toParser: 2,
    });
    expect(n1?.kinds).toMatchObject({ "may-be-event": 2, plain: 8 });
    const t = ledger.totals();
    expect(t.relayed).toBe(t.received + t.lost + t.pending);
  });
});

describe("LagTracker", () => {
  const stamped = (ms: number) => b(`{"timestamp":"${new Date(ms).toISOString().replace("T", " ").slice(0, 23)}000Z"}`);
  it("samples a node's first line and then at most every sampleMs, and reports a node past the limit once", () => {
    const lags = new LagTracker({ sampleMs: 200, limitMs: 1000 });
    const t0 = Date.UTC(2026, 0, 1);
    expect(lags.sample("n", "seed", stamped(t0 - 100), t0)).toEqual({ changed: true });
    expect(lags.sample("n", "seed", stamped(t0 - 5000), t0 + 100)).toEqual({ changed: false }); // not sampled yet
    const late = lags.sample("n", "seed", stamped(t0 - 5000), t0 + 300);
    expect(late.report).toMatchObject({ node: "n", lagMs: 5300, maxLagMs: 1000 });
    expect(lags.sample("n", "seed", stamped(t0 - 9000), t0 + 600).report).toBeUndefined();
    expect(lags.maxLagMs("n")).toBe(9600);
    expect(lags.sample("m", "seed", b("not json"), t0)).toEqual({ changed: false });
  });
});

describe("InFlight", () => {
  it("pauses at the bound, resumes below it, and settles at zero", async () => {
    const events: string[] = [];
    const flight = new InFlight(
      2,
      () => events.push("full"),
      () => events.push("room"),
    );
    flight.begin();
    flight.begin();
    let settled = false;
    const done = flight.settled().then(() => (settled = true));
    flight.end();
    await Promise.resolve();
    expect(settled).toBe(false);
    flight.end();
    await done;
    expect(events).toEqual(["full", "room", "room"]);
  });
});

describe("NodeLogFiles", () => {
  it("appends each node's bytes to <dir>/<node>.log in order, and says why a write failed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "node-logs-"));
    const files = new NodeLogFiles(path.join(dir, "logs"));
    const raw = Buffer.from([0xc3, 0x28, 0x0a]); // invalid UTF-8 and its \n
    expect(files.write("seed-1", batchPayload([b("one"), b("")]))).toBeUndefined();
    expect(files.write("seed-1", raw)).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, "logs", "seed-1.log")).equals(Buffer.concat([b("one\n\n"), raw]))).toBe(true);
    expect((fs.statSync(path.join(dir, "logs", "seed-1.log")).mode & 0o777).toString(8)).toBe("600");
    fs.mkdirSync(path.join(dir, "logs", "bp-1.log"));
    expect(files.write("bp-1", b("x\n"))).toMatch(/writing to .*bp-1\.log failed: EISDIR/);
    files.close();
    expect(nodeLogFileName("a/../b")).toBe("a____b.log");
    expect(nodeLogFileName(".hidden")).toBe("_hidden.log");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("publishAcked", () => {
  it("retries with the same msgID and returns the last error when every try fails", async () => {
    const ids: string[] = [];
    let fails = 2;
    const js = {
      publish: async (_subject: string, _payload?: unknown, opts?: { msgID?: string }) => {
        ids.push(opts?.msgID ?? "");
        if (fails-- > 0) throw new Error("timeout");
        return {} as never;
      },
    };
    expect(await publishAcked(js as never, "s", new Uint8Array(), "m1", { backoffMs: () => 1 })).toBeUndefined();
    expect(ids).toEqual(["m1", "m1", "m1"]);
    fails = 100;
    expect(await publishAcked(js as never, "s", new Uint8Array(), "m2", { attempts: 3, backoffMs: () => 1 })).toBe("timeout");
    fails = 100;
    let tries = 0;
    const closed = {
      publish: async () => {
        tries++;
        throw new Error("closed");
      },
    };
    expect(await publishAcked(closed as never, "s", new Uint8Array(), "m3", { canRetry: () => false })).toBe("closed");
    expect(tries).toBe(1);
  });
});
