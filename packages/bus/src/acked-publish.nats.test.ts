import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { AckedPublisher, parsePubAck } from "./acked-publish.js";
import { startNatsServer, type EmbeddedNats } from "./server.js";
import { ensureRunStream, streamName } from "./stream.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bus-acked-"));
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

describe("AckedPublisher", () => {
  it("stores each message and answers its PubAck; a repeated msgID is a duplicate, stored once", async () => {
    const runId = "ackedone";
    await ensureRunStream(nc, runId);
    const publisher = new AckedPublisher(nc);
    const acks = await Promise.all(Array.from({ length: 300 }, (_, i) => publisher.publish(`mina.${runId}.log.seed.seed`, `line ${i}`, { msgID: `m${i}` })));
    expect(acks.map((a) => a.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(acks.every((a) => a.stream === streamName(runId) && !a.duplicate)).toBe(true);
    const again = await publisher.publish(`mina.${runId}.log.seed.seed`, "line 7", { msgID: "m7" });
    expect(again.duplicate).toBe(true);
    const info = await (await jetstreamManager(nc)).streams.info(streamName(runId));
    expect(info.state.messages).toBe(300);
    expect(publisher.inFlight).toBe(0);
    publisher.close();
  });

  it("rejects, naming the subject, when no stream takes the subject, when JetStream refuses, and when no answer comes in time", async () => {
    const publisher = new AckedPublisher(nc);
    await expect(publisher.publish("nowhere.at.all", "x")).rejects.toThrow(/nowhere\.at\.all.*no stream takes this subject/);
    // a core subscriber that answers nothing: the sweep times the publish out
    const silent = nc.subscribe("silent.subject", { callback: () => undefined });
    await expect(publisher.publish("silent.subject", "x", { timeout: 300 })).rejects.toThrow(/silent\.subject within its timeout/);
    silent.unsubscribe();
    expect(parsePubAck(new TextEncoder().encode('{"error":{"code":503,"description":"maximum messages exceeded"}}'))).toEqual({ error: "maximum messages exceeded (503)" });
    expect(parsePubAck(new TextEncoder().encode("{}"))).toEqual({ error: "the answer is no PubAck" });
    publisher.close();
    await expect(publisher.publish("nowhere.at.all", "x", { timeout: 100 })).rejects.toThrow();
  });
});
