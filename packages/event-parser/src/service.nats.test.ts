import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureRunStream, streamName } from "@mina-local/bus";
import { inlineEventParser, startEventParser } from "./index.js";
import type { EventParserService, ParseErrorRecord } from "./index.js";
import { BERKELEY, PUPPETEER_NODE_OFFLINE, REMOTE, blockProducedMetadata, eventLine, minaLine } from "./testing/fixtures.js";

const NATS_SERVER = process.env["MINA_LOCAL_NATS_SERVER"] ?? "/usr/sbin/nats-server";
const RUN = `evp${process.pid}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function connectWithRetry(port: number): Promise<NatsConnection> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    try {
      return await connect({ servers: `127.0.0.1:${port}`, timeout: 1000 });
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nats-server on port ${port} did not accept connections: ${String(last)}`);
}

function collect(sub: Subscription): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const m of sub) seen.push(`${m.subject} ${m.string()}`);
  })();
  return seen;
}

describe("startEventParser on a real nats-server", () => {
  let server: ChildProcess | undefined;
  let storeDir = "";
  let nc: NatsConnection;
  let parser: EventParserService | undefined;

  beforeAll(async () => {
    if (!existsSync(NATS_SERVER)) {
      throw new Error(`nats-server not found at ${NATS_SERVER}: install it (Debian/Ubuntu: apt-get install nats-server) or set MINA_LOCAL_NATS_SERVER`);
    }
    const port = await freePort();
    storeDir = mkdtempSync(join(tmpdir(), "event-parser-js-"));
    server = spawn(NATS_SERVER, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir], { stdio: "ignore" });
    nc = await connectWithRetry(port);
    await ensureRunStream(nc, RUN);
  }, 20_000);

  afterAll(async () => {
    await parser?.stop();
    await nc?.close();
    server?.kill("SIGTERM");
    if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  });

  it("turns log lines into typed events on their subjects, and counts malformed lines", async () => {
    const js = jetstream(nc);
    const blockProducedAnywhere = collect(nc.subscribe(`mina.${RUN}.event.*.*.Block_produced`));
    const parseErrors = collect(nc.subscribe(`mina.${RUN}.event.block-producer.bp1.Parse_error`));
    await nc.flush();

    const bp1 = [
      eventLine(BERKELEY, "Block_produced", blockProducedMetadata("5", "12")),
      minaLine("Connected to $n peers", { n: 3 }, { level: "Debug" }),
      "Fatal error: exception Out_of_memory",
      eventLine(BERKELEY, "Gossip_new_state", { state_hash: "3NKsent" }),
      '{"timestamp":"2026-11-26 12:00:01',
      minaLine("Peer $p is slow", { p: "10.0.0.9" }, { level: "Warn" }),
      eventLine(BERKELEY, "Block_produced", { breadcrumb: { just_emitted_a_proof: "no" } }),
      minaLine("Something newer", {}, { eventId: "0123456789abcdef0123456789abcdef" }),
      PUPPETEER_NODE_OFFLINE,
    ];
    // Lines published before the parser starts are read from the start of the stream.
    await js.publish(`mina.${RUN}.log.block-producer.bp1`, `${bp1.join("\n")}\n`);
    await js.publish(`mina.${RUN}.log.seed.seed1`, eventLine(BERKELEY, "Block_received", { state_hash: "3NKrecv", sender: REMOTE }));
    // a line that is not UTF-8: reported, and still parsed
    await js.publish(
      `mina.${RUN}.log.seed.seed1`,
      Buffer.concat([Buffer.from(minaLine("bad ", {}, { level: "Warn" }).slice(0, -40)), Buffer.from([0xff]), Buffer.from(minaLine("bad ", {}, { level: "Warn" }).slice(-40))]),
    );

    parser = await startEventParser({ nc, runId: RUN, table: BERKELEY });
    expect(parser.streamName).toBe(streamName(RUN));
    await parser.drain(15_000);

    // ...and lines published later are read live.
    await js.publish(`mina.${RUN}.log.block-producer.bp1`, eventLine(BERKELEY, "Block_produced", blockProducedMetadata(6, 13)));
    await parser.drain(15_000);
    await nc.flush();

    expect(parser.stats()).toMatchObject({
      lines: 12,
      events: 7,
      parseErrors: 3,
      problems: { "truncated-json": 1, "bad-payload": 1, "invalid-utf8": 1 },
      textLines: 1,
      unknownIds: 1,
      byType: { Block_produced: 2, Block_gossip: 2, Log_error: 2, Node_offline: 1, Parse_error: 3 },
    });

    expect(blockProducedAnywhere).toHaveLength(2);
    const events = blockProducedAnywhere.map((m) => {
      const [subject, json] = [m.slice(0, m.indexOf(" ")), m.slice(m.indexOf(" ") + 1)];
      expect(subject).toBe(`mina.${RUN}.event.block-producer.bp1.Block_produced`);
      return JSON.parse(json) as { node: string; role: string; type: string; timestamp: string; data: { block_height: number; global_slot: number } };
    });
    expect(events.map((e) => [e.node, e.role, e.type, e.data.block_height, e.data.global_slot])).toEqual([
      ["bp1", "block-producer", "Block_produced", 5, 12],
      ["bp1", "block-producer", "Block_produced", 6, 13],
    ]);
    expect(events[0]?.timestamp).toBe("2023-11-11 13:25:54.414332Z");

    expect(parseErrors).toHaveLength(2);
    const records = parseErrors.map((m) => JSON.parse(m.slice(m.indexOf(" ") + 1)) as ParseErrorRecord);
    expect(records.map((r) => [r.type, r.node, r.data.problem, r.data.event, r.data.field, r.data.raw.slice(0, 34)])).toEqual([
      ["Parse_error", "bp1", "truncated-json", undefined, undefined, '{"timestamp":"2026-11-26 12:00:01'],
      ["Parse_error", "bp1", "bad-payload", "Block_produced", "metadata.breadcrumb.validated_transition", eventLine(BERKELEY, "Block_produced", {}).slice(0, 34)],
    ]);
    expect(records[1]?.data.reason).toMatch(/^bp1: Block_produced \(Block_produced\): bad metadata/);

    // The events are in the run's stream too, for a late reader to replay.
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(streamName(RUN), { subjects_filter: `mina.${RUN}.event.>` });
    expect(info.state.subjects).toMatchObject({
      [`mina.${RUN}.event.block-producer.bp1.Block_produced`]: 2,
      [`mina.${RUN}.event.seed.seed1.Block_gossip`]: 1,
      [`mina.${RUN}.event.block-producer.bp1.Parse_error`]: 2,
      [`mina.${RUN}.event.seed.seed1.Parse_error`]: 1,
      [`mina.${RUN}.event.block-producer.bp1.Node_offline`]: 1,
    });
  }, 30_000);

  it("parses the relay's batches in process (inlineEventParser): the same events and Parse_error records, in the batches' order", async () => {
    const run = `${RUN}i`;
    await ensureRunStream(nc, run);
    const events = collect(nc.subscribe(`mina.${run}.event.>`));
    await nc.flush();
    const inline = inlineEventParser({ nc, runId: run, table: BERKELEY });
    const batch = (lines: string[]) => new TextEncoder().encode(lines.join("\n"));
    // handed over without waiting, as the relay does: they must still be handled one after the other
    const handled = [
      inline.handleBatch(`mina.${run}.log.block-producer.bp1`, batch([eventLine(BERKELEY, "Block_produced", blockProducedMetadata("5", "12")), '{"not json at all'])),
      inline.handleBatch(`mina.${run}.log.block-producer.bp1`, batch([eventLine(BERKELEY, "Block_produced", blockProducedMetadata("6", "13"))])),
      inline.handleBatch(
        `mina.${run}.log.seed.seed1`,
        batch([eventLine(BERKELEY, "Block_received", { state_hash: "3NKrecv", sender: REMOTE }), minaLine("Peer $p is slow", { p: "10.0.0.9" }, { level: "Warn" })]),
      ),
    ];
    await Promise.all(handled);
    await inline.drain();
    await nc.flush();

    expect(inline.stats()).toMatchObject({ lines: 5, events: 4, parseErrors: 1, byType: { Block_produced: 2, Block_gossip: 1, Log_error: 1, Parse_error: 1 } });
    const subjects = events.map((m) => m.slice(0, m.indexOf(" ")));
    expect(subjects).toEqual([
      `mina.${run}.event.block-producer.bp1.Block_produced`,
      `mina.${run}.event.block-producer.bp1.Parse_error`,
      `mina.${run}.event.block-producer.bp1.Block_produced`,
      `mina.${run}.event.seed.seed1.Block_gossip`,
      `mina.${run}.event.seed.seed1.Log_error`,
    ]);
    const heights = events.filter((m) => m.includes(".Block_produced ")).map((m) => (JSON.parse(m.slice(m.indexOf(" ") + 1)) as { data: { block_height: number } }).data.block_height);
    expect(heights).toEqual([5, 6]);
  }, 30_000);
});
