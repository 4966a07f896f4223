import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { ensureFifo } from "@mina-local/bus";
import type { BenchCleanup } from "./cleanup.js";
import { countLines, perSecond } from "./measure.js";
import { benchRunDir, benchRunId, touch, writerArgs, writerNames, type WriterLoad } from "./run-ids.js";
import { processCpuMs } from "./system.js";
import { WRITER_SCRIPT } from "./writer-image.js";

export interface RawFifoResult {
  writers: number;
  linesExpected: number;
  linesCounted: number;
  wallMs: number;
  linesPerSecond: number;
  mbPerSecond: number;
  cpu: { writersMs: number; readerMs: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

/**
 * The ceiling: the same writer script as host processes writing whole lines straight
 * into one FIFO (writes of at most PIPE_BUF bytes, no framing), and one reader that only
 * counts newlines. No container, no forwarder, no NATS.
 */
export async function runRawFifo(options: { writers: number; load: WriterLoad; cleanup: BenchCleanup; timeoutMs?: number }): Promise<RawFifoResult> {
  const { cleanup, load } = options;
  const dir = benchRunDir(benchRunId("raw"));
  const removeDir = cleanup.directory(dir);
  const fifo = join(dir, "raw.fifo");
  const goFile = join(dir, "go");
  ensureFifo(fifo);
  // read-write, like the relay: never EOF while writers come and go
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const reader = new net.Socket({ fd, readable: true, writable: false });
  let counted = 0;
  let bytes = 0;
  let lastAt = 0;
  reader.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    // chunks end anywhere: count newlines only
    counted += countLines(chunk) - (chunk[chunk.length - 1] === 0x0a ? 0 : 1);
    lastAt = now();
  });
  const closeReader = cleanup.add("closing the raw FIFO reader", async () => void reader.destroy());

  const children: ChildProcess[] = writerNames(options.writers).map((node) =>
    spawn(process.execPath, [WRITER_SCRIPT, ...writerArgs(node, load, goFile), "--fifo", fifo, "--then", "idle"], { stdio: ["ignore", "ignore", "inherit"] }),
  );
  const kills = children.map((child) => cleanup.process("a raw FIFO writer", child.pid));
  await sleep(1_000); // node starts and polls for the go file
  const cpuOf = () => children.reduce((sum, child) => sum + (child.pid === undefined ? 0 : (processCpuMs(child.pid) ?? 0)), 0);
  const selfCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const writersBefore = cpuOf();
  const readerBefore = selfCpu();
  const expected = load.linesPerWriter * options.writers;
  const t0 = now();
  touch(goFile);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (counted < expected && Date.now() < deadline) await sleep(5);
  const writersMs = cpuOf() - writersBefore;
  const readerMs = selfCpu() - readerBefore;
  const wallMs = (counted >= expected ? lastAt : now()) - t0;
  for (const kill of kills) await kill();
  await closeReader();
  await removeDir();
  return {
    writers: options.writers,
    linesExpected: expected,
    linesCounted: counted,
    wallMs,
    linesPerSecond: perSecond(counted, wallMs),
    mbPerSecond: perSecond(bytes, wallMs) / 1e6,
    cpu: { writersMs, readerMs },
  };
}
