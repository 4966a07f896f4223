import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { readRunStream } from "./reader.js";
import { startNatsServer, type EmbeddedNats } from "./server.js";
import { ensureRunStream } from "./stream.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bus-reader-"));
let nats: EmbeddedNats;
let nc: NatsConnection;

beforeAll(async () => {
  nats = await startNatsServer({ storeDir: path.join(dir, "nats") });
  nc = await nats.connect();
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("readRunStream", () => {
  it("reads from the start of the run and drains only once every earlier message was handled", async () => {
    const runId = "readerone";
    await ensureRunStream(nc, runId);
    const js = jetstream(nc);
    // messages of the filter before the reader exists, and of another subject in between
    for (let i = 0; i < 500; i++) {
      await js.publish(`mina.${runId}.log.seed.seed`, `line ${i}`);
      if (i % 100 === 0) await js.publish(`mina.${runId}.event.seed.seed.X`, "{}");
    }
    const seen: string[] = [];
    const reader = await readRunStream({
      nc,
      runId,
      filter: `mina.${runId}.log.>`,
      // a slow consumer: drain must wait for it, not for the server
      onMessage: async (_subject, data) => {
        if (seen.length % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(new TextDecoder().decode(data));
      },
    });
    for (let i = 500; i < 700; i++) await js.publish(`mina.${runId}.log.seed.seed`, `line ${i}`);
    await reader.drain(20_000);
    expect(seen).toHaveLength(700);
    expect(seen[0]).toBe("line 0");
    expect(seen.at(-1)).toBe("line 699");
    // a second drain with nothing new returns at once, and no marker ever reaches onMessage
    await reader.drain(5_000);
    expect(seen).toHaveLength(700);
    await reader.stop();
  }, 40_000);

  it("drains filters with single-token wildcards, as the log and event filters are", async () => {
    const runId = "readerthree";
    await ensureRunStream(nc, runId);
    const js = jetstream(nc);
    for (let i = 0; i < 300; i++) {
      await js.publish(`mina.${runId}.log.seed.seed`, `l${i}`);
      await js.publish(`mina.${runId}.event.seed.seed.Block_produced`, "{}");
    }
    let logs = 0;
    let blocks = 0;
    const readers = [
      await readRunStream({ nc, runId, filter: `mina.${runId}.log.*.*`, onMessage: () => void logs++ }),
      await readRunStream({ nc, runId, filter: `mina.${runId}.event.*.*.Block_produced`, onMessage: () => void blocks++ }),
    ];
    await Promise.all(readers.map((reader) => reader.drain(10_000)));
    expect([logs, blocks]).toEqual([300, 300]);
    await Promise.all(readers.map((reader) => reader.stop()));
  }, 30_000);

  it("lets two readers of the same filter drain independently", async () => {
    const runId = "readertwo";
    await ensureRunStream(nc, runId);
    const js = jetstream(nc);
    for (let i = 0; i < 100; i++) await js.publish(`mina.${runId}.log.block-producer.bp1`, `l${i}`);
    const counts = [0, 0];
    const readers = await Promise.all([0, 1].map((r) => readRunStream({ nc, runId, filter: `mina.${runId}.log.>`, onMessage: () => void counts[r]!++ })));
    await Promise.all(readers.map((reader) => reader.drain(10_000)));
    expect(counts).toEqual([100, 100]);
    await Promise.all(readers.map((reader) => reader.stop()));
  }, 30_000);

  it("reads back messages of a megabyte and more (a batch of lines, a huge single line) without stalling", async () => {
    const runId = "readerbig";
    await ensureRunStream(nc, runId);
    const js = jetstream(nc);
    const megabyte = Buffer.alloc(1_000_000, 0x61);
    for (let i = 0; i < 120; i++) await js.publish(`mina.${runId}.log.seed.n${i % 4}`, i === 7 ? Buffer.alloc(20_000_000, 0x62) : megabyte);
    let bytes = 0;
    let messages = 0;
    const reader = await readRunStream({
      nc,
      runId,
      filter: `mina.${runId}.log.*.*`,
      onMessage: (_subject, data) => {
        messages++;
        bytes += data.length;
      },
    });
    await reader.drain(60_000);
    await reader.stop();
    expect(messages).toBe(120);
    expect(bytes).toBe(119 * 1_000_000 + 20_000_000);
  }, 90_000);
});
