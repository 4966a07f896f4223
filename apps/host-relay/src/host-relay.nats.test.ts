import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureRunStream, newBusCredentials, readRunStream, relayDrainSubject, relayStatsSubject, startNatsServer } from "@mina-local/bus";
import type { EmbeddedNats } from "@mina-local/bus";
import { FifoSink, FrameEncoder } from "@mina-local/log-forwarder/codec";
import type { HostRelayConfig } from "./config.js";
import { bundleHostRelay } from "./image.js";
import { startHostRelay } from "./relay.js";

// 127.0.0.2 stands for the swarm's advertise address (another address of this machine)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-relay-"));
const credentials = newBusCredentials();
let bus: EmbeddedNats | undefined;
afterAll(async () => {
  await bus?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const quiet = () => undefined;

async function startBus(): Promise<EmbeddedNats> {
  bus ??= await startNatsServer({ storeDir: path.join(dir, "nats"), network: { address: "127.0.0.2", credentials } });
  return bus;
}

function configFor(b: EmbeddedNats, runId: string, overrides: Partial<HostRelayConfig> = {}): HostRelayConfig {
  return {
    runId,
    host: "host-2",
    busUrl: b.networkUrl as string,
    user: credentials.user,
    password: credentials.password,
    fifoPath: path.join(dir, `${runId}.fifo`),
    drainTimeoutMs: 10_000,
    connectTimeoutMs: 2_000,
    ...overrides,
  };
}

/** A container's forwarder in miniature: frames of one node, written into the host's FIFO. */
async function writeLines(fifo: string, node: string, count: number, dropFrame?: number): Promise<void> {
  const sink = new FifoSink({ path: fifo });
  const encoder = new FrameEncoder({ node, role: "block_producer" });
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    encoder.writeLine(Buffer.from(`{"level":"Info","message":"line ${i} of ${node}"}`), frames);
    encoder.flush(frames);
  }
  const kept = frames.filter((_, i) => i !== dropFrame);
  if (!sink.write(kept)) await sink.waitForRoom();
  await sink.idle();
  sink.close();
}

describe("a host's log relay (needs nats-server)", () => {
  it("relays its host's FIFO to the bus over the network, counts a lost frame, answers drains, and loses nothing at its final drain", async () => {
    const b = await startBus();
    const nc = await b.connect();
    await ensureRunStream(nc, "hr1");
    const relay = await startHostRelay(configFor(b, "hr1"), quiet);
    await writeLines(path.join(dir, "hr1.fifo"), "bp-1", 500);
    await writeLines(path.join(dir, "hr1.fifo"), "bp-2", 300, 7);

    // a drain on request: everything written before it is on the bus, the counters answer
    const reply = await nc.request(relayDrainSubject("hr1", "host-2"), "", { timeout: 10_000 });
    const drained = reply.json<{ host: string; ok: boolean; stats: { linesReceived: number; framesLost: number } }>();
    expect(drained).toMatchObject({ host: "host-2", ok: true, stats: { linesReceived: 799, framesLost: 1 } });

    // a container writes its last lines just before it stops; the relay is stopped after it
    await writeLines(path.join(dir, "hr1.fifo"), "bp-1", 200);
    const stats = await relay.stop();
    expect(stats.byNode["bp-1"]).toMatchObject({ linesRead: 700, linesPublished: 700, framesLost: 0, linesLost: 0 });
    expect(stats.byNode["bp-2"]).toMatchObject({ linesRead: 299, framesLost: 1, linesLost: 1 });
    expect(stats.linesPending).toBe(0);
    expect(await relay.done).toBe(stats);

    // on the bus: every line, in each node's order, and the host's own final counters
    const lines: string[] = [];
    const reader = await readRunStream({ nc, runId: "hr1", filter: "mina.hr1.log.>", onMessage: (_s, data) => void lines.push(...Buffer.from(data).toString().split("\n").filter(Boolean)) });
    await reader.drain();
    await reader.stop();
    expect(lines.filter((l) => l.includes("of bp-1"))).toHaveLength(700);
    expect(lines.filter((l) => l.includes("of bp-2"))).toHaveLength(299);
    const counters: Array<{ host: string; final: boolean; linesReceived: number }> = [];
    const statsReader = await readRunStream({ nc, runId: "hr1", filter: relayStatsSubject("hr1", "host-2"), onMessage: (_s, data) => void counters.push(JSON.parse(Buffer.from(data).toString())) });
    await statsReader.drain();
    await statsReader.stop();
    expect(counters.at(-1)).toMatchObject({ host: "host-2", final: true, linesReceived: 999 });
    await nc.close();
  });

  it("is refused with wrong credentials, naming the host", async () => {
    const b = await startBus();
    await expect(startHostRelay(configFor(b, "hr2", { password: "not-the-runs" }), quiet)).rejects.toThrow(/relay of host-2 was refused by the bus at nats:\/\/127\.0\.0\.2:\d+: wrong credentials/);
  });

  it("says it cannot reach the bus, naming the host and the address", async () => {
    await expect(startHostRelay(configFor(await startBus(), "hr3", { busUrl: "nats://127.0.0.3:9", connectTimeoutMs: 1_000 }), quiet)).rejects.toThrow(
      /relay of host-2 cannot reach the bus at nats:\/\/127\.0\.0\.3:9 after 1000 ms/,
    );
  });

  it("runs as the image runs it (the bundle, by plain node, outside the workspace): relays, and drains on SIGTERM", async () => {
    const b = await startBus();
    const nc = await b.connect();
    await ensureRunStream(nc, "hr4");
    const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "host-relay-bundle-"));
    const bundle = await bundleHostRelay(path.join(bundleDir, "host-relay.mjs"));
    expect(bundle.subarray(0, 15).toString()).toBe("#!/usr/bin/node");
    fs.writeFileSync(path.join(bundleDir, "password"), `${credentials.password}\n`);
    const fifo = path.join(dir, "hr4.fifo");
    const child = spawn(process.execPath, [path.join(bundleDir, "host-relay.mjs")], {
      cwd: bundleDir,
      env: {
        PATH: process.env["PATH"] ?? "",
        MINA_LOCAL_RUN_ID: "hr4",
        MINA_LOCAL_HOST: "host-3",
        MINA_LOCAL_BUS_URL: b.networkUrl as string,
        MINA_LOCAL_BUS_USER: credentials.user,
        MINA_LOCAL_BUS_PASSWORD_FILE: path.join(bundleDir, "password"),
        MINA_LOCAL_FIFO: fifo,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const started = Date.now();
      while (!stderr.includes("relaying") && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toContain(`relaying ${fifo} of host-3`);
      await writeLines(fifo, "seed-1", 400);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      fs.rmSync(bundleDir, { recursive: true, force: true });
    }
    const final = JSON.parse(stdout.trim().split("\n").at(-1) as string) as { host: string; final: boolean; linesReceived: number; linesLost: number };
    expect(final).toMatchObject({ host: "host-3", final: true, linesReceived: 400, linesLost: 0 });
    const lines: string[] = [];
    const reader = await readRunStream({ nc, runId: "hr4", filter: "mina.hr4.log.>", onMessage: (_s, data) => void lines.push(...Buffer.from(data).toString().split("\n").filter(Boolean)) });
    await reader.drain();
    await reader.stop();
    expect(lines).toHaveLength(400);
    await nc.close();
  }, 60_000);
});
