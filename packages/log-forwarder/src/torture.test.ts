import { spawn, execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FrameDecoder } from "./decoder.js";
import type { GapReport } from "./decoder.js";
import { tortureLine } from "./testing/torture-lines.js";

const WRITER = fileURLToPath(new URL("./testing/torture-writer.ts", import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forwarder-torture-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

function writer(fifo: string, node: string, count: number, mode?: string): { child: ChildProcess; exited: Promise<number | null>; said: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, fifo, node, "block-producer", String(count), ...(mode ? [mode] : [])], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const said = new Promise<string>((resolve) => child.stdout?.once("data", (b: Buffer) => resolve(b.toString().trim())));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, said };
}

/** Reads the FIFO like the relay does (read-write, so writers may come and go) and checks every line as it arrives. */
function checkingReader(fifo: string) {
  const decoder = new FrameDecoder();
  const next = new Map<string, number>();
  const mismatches: string[] = [];
  const gaps: GapReport[] = [];
  let received = 0;
  let lastData = Date.now();
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const socket = new net.Socket({ fd, readable: true, writable: false });
  socket.on("data", (chunk: Buffer) => {
    lastData = Date.now();
    const result = decoder.push(chunk);
    gaps.push(...result.gaps);
    for (const { node, seq, line } of result.lines) {
      // a restarted writer (a new session) numbers its lines from 0 again
      const expected = seq === 0 ? 0 : (next.get(node) ?? 0);
      if (seq !== expected && mismatches.length < 10) mismatches.push(`${node}: line ${seq} arrived, ${expected} expected`);
      next.set(node, seq + 1);
      if (!line.equals(tortureLine(node, seq)) && mismatches.length < 10) mismatches.push(`${node}: line ${seq} differs`);
      received++;
    }
  });
  return {
    decoder,
    next,
    mismatches,
    gaps,
    received: () => received,
    /** waits until the pipe stayed empty for a while after the writers are done */
    async settle(): Promise<void> {
      while (Date.now() - lastData < 300) await new Promise((r) => setTimeout(r, 50));
      gaps.push(...decoder.end());
      socket.destroy();
    },
  };
}

// `pnpm test:unit` (the edit-test loop) sets QUICK_TESTS=1: 20,000 lines a writer, which still holds every kind of
// line tortureLine writes (the 1 MB one is line 777); `pnpm test` writes 200,000 a writer
const LINES = process.env.QUICK_TESTS === "1" ? 20_000 : 200_000;

describe("torture: many writers, one FIFO", () => {
  it(`delivers 8 x ${LINES / 1000}k lines (5 KB, 100 KB, 1 MB, invalid UTF-8, malformed JSON) exactly once, in order, without gaps`, async () => {
    const fifo = path.join(dir, "all.fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = checkingReader(fifo);
    const nodes = Array.from({ length: 8 }, (_, i) => `bp-${i}`);
    const started = Date.now();
    const writers = nodes.map((node) => writer(fifo, node, LINES));
    expect(await Promise.all(writers.map((w) => w.exited))).toEqual(nodes.map(() => 0));
    await reader.settle();
    const seconds = (Date.now() - started) / 1000;
    const stats = reader.decoder.stats();
    console.log(`torture: ${reader.received()} lines, ${(stats.bytesRead / 1e6).toFixed(0)} MB, ${stats.framesRead} frames in ${seconds.toFixed(1)} s`);
    expect(reader.mismatches).toEqual([]);
    expect(reader.gaps).toEqual([]);
    expect(stats.linesLost).toBe(0);
    for (const node of nodes) expect(reader.next.get(node)).toBe(LINES);
    expect(reader.received()).toBe(8 * LINES);
  }, 120_000);

  it("counts and reports the line of a writer killed mid-line, and loses nothing else", async () => {
    const fifo = path.join(dir, "kill.fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = checkingReader(fifo);
    const steady = ["bp-a", "bp-b"].map((node) => writer(fifo, node, 30_000));
    const restarted = writer(fifo, "bp-k", 10_000, "cut-mid-line");
    const vanished = writer(fifo, "bp-v", 5_000, "cut-mid-line");
    for (const victim of [restarted, vanished]) {
      expect(await victim.said).toBe("cut");
      victim.child.kill("SIGKILL");
      expect(await victim.exited).toBe(null);
    }
    // bp-k's container restarts: a new writer session for the same node
    const again = writer(fifo, "bp-k", 2_000);
    expect(await Promise.all([...steady.map((w) => w.exited), again.exited])).toEqual([0, 0, 0]);
    await reader.settle();

    expect(reader.mismatches).toEqual([]);
    const losses = reader.gaps.map((g) => ({ kind: g.kind, node: g.node, lostLines: g.lostLines }));
    expect(losses).toEqual(
      expect.arrayContaining([
        { kind: "restart", node: "bp-k", lostLines: 1 },
        { kind: "truncated", node: "bp-v", lostLines: 1 },
      ]),
    );
    expect(losses).toHaveLength(2);
    expect(reader.decoder.stats().linesLost).toBe(2);
    expect(reader.decoder.stats().byNode["bp-v"]?.lines).toBe(5_000);
    // bp-k: 10k lines from the first session, then 2k from the restarted one (sequence restarts at 0)
    expect(reader.decoder.stats().byNode["bp-k"]?.lines).toBe(12_000);
    expect(reader.next.get("bp-k")).toBe(2_000);
    expect(reader.received()).toBe(2 * 30_000 + 12_000 + 5_000);
  }, 60_000);
});
