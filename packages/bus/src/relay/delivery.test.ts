import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { batchPayload, payloadLines } from "./batcher.js";
import type { Batch } from "./batcher.js";
import { batchDelivery } from "./deliver.js";
import type { RelayError } from "./deliver.js";
import { InFlight } from "./in-flight.js";
import { RelayLedger } from "./ledger.js";
import { NodeLogFiles } from "./node-logs.js";
import { StatsPublisher } from "./stats-publisher.js";

const b = (text: string) => Buffer.from(text);
const batchOf = (node: string, lines: string[], forParser: string[] = []): Batch => ({
  node,
  role: "seed",
  payload: batchPayload(lines.map(b)),
  lines: lines.length,
  forParser: batchPayload(forParser.map(b)),
  parserLines: forParser.length,
});

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function harness(publish: (subject: string) => Promise<unknown>, onBatch?: (subject: string, payload: Buffer) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delivery-"));
  dirs.push(dir);
  const ledger = new RelayLedger();
  const errors: RelayError[] = [];
  const delivered: string[][] = [];
  const handed: string[][] = [];
  const inFlight = new InFlight(
    10,
    () => undefined,
    () => undefined,
  );
  const deliver = batchDelivery({
    js: { publish: (subject: string) => publish(subject) as never },
    nc: { isClosed: () => false },
    runId: "r1",
    relayId: "t",
    files: new NodeLogFiles(dir),
    onBatch: (subject, payload) => {
      handed.push(payloadLines(payload).map(String));
      onBatch?.(subject, payload);
    },
    candidatesOnly: true,
    ledger,
    inFlight,
    reportError: (e) => errors.push(e),
    onDelivered: (_node, _role, lines) => delivered.push(lines.map(String)),
    onSettled: () => undefined,
  });
  return { dir, ledger, errors, delivered, handed, inFlight, deliver };
}

describe("batchDelivery (one batch to the log file, the bus and the parser)", () => {
  it("writes, publishes and hands over the candidates, then settles the batch once as received", async () => {
    const subjects: string[] = [];
    const h = harness(async (subject) => subjects.push(subject));
    h.ledger.read("n1", "seed", "plain");
    h.ledger.read("n1", "seed", "may-be-event");
    h.deliver(batchOf("n1", ["a", "b"], ["b"]));
    expect(h.inFlight.size).toBe(1);
    await h.inFlight.settled();
    expect(subjects).toEqual(["mina.r1.log.seed.n1"]);
    expect(h.handed).toEqual([["b"]]);
    expect(fs.readFileSync(path.join(h.dir, "n1.log"), "utf8")).toBe("a\nb\n");
    expect(h.delivered).toEqual([["a", "b"]]);
    expect(h.ledger.byNode()["n1"]).toMatchObject({ relayed: 2, received: 2, lost: 0, pending: 0, messages: 1 });
    expect(h.errors).toEqual([]);
  });

  it("counts a parser failure without losing the lines, and a batch without candidates is not handed over", async () => {
    const h = harness(
      async () => undefined,
      () => {
        throw new Error("boom");
      },
    );
    h.deliver(batchOf("n1", ["a"], ["a"]));
    h.deliver(batchOf("n1", ["c"]));
    await h.inFlight.settled();
    expect(h.handed).toEqual([["a"]]);
    expect(h.errors.map((e) => [e.kind, e.lines])).toEqual([["parser-failed", 1]]);
    expect(h.ledger.byNode()["n1"]).toMatchObject({ received: 2, parserFailures: 1 });
  });

  it("counts a batch the bus refused as lost, reports it, and does not call it delivered", async () => {
    const h = harness(async () => {
      throw new Error("no responders");
    });
    // one try only: the harness's connection is never closed, so cut the retries short
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void) => original(fn, 0)) as typeof setTimeout;
    try {
      h.deliver(batchOf("n2", ["x", "y"]));
      await h.inFlight.settled();
    } finally {
      globalThis.setTimeout = original;
    }
    expect(h.errors).toEqual([expect.objectContaining({ kind: "not-published", node: "n2", lines: 2, message: expect.stringContaining("no responders") })]);
    expect(h.delivered).toEqual([]);
    expect(h.ledger.byNode()["n2"]).toMatchObject({ lost: 2, notPublished: 2, received: 0 });
    // the file still has them: it holds what the daemon wrote
    expect(fs.readFileSync(path.join(h.dir, "n2.log"), "utf8")).toBe("x\ny\n");
  });
});

describe("StatsPublisher", () => {
  it("publishes the counters on demand and again on its timer only when they changed", async () => {
    const bodies: unknown[] = [];
    let fail = false;
    const js = {
      publish: async (_subject: string, data?: unknown) => {
        if (fail) throw new Error("bus down");
        bodies.push(JSON.parse(String(data)));
        return {} as never;
      },
    };
    const stats = new StatsPublisher(js, "mina.r.stats.pipeline", (final) => ({ final }), 10);
    await stats.publish(true);
    expect(bodies).toEqual([{ final: true }]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(bodies).toHaveLength(1); // nothing changed since
    fail = true;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    stats.changed();
    await new Promise((resolve) => setTimeout(resolve, 40));
    fail = false;
    await new Promise((resolve) => setTimeout(resolve, 40));
    stats.stop();
    process.off("warning", onWarning);
    expect(warnings.some((w) => w.includes("bus down"))).toBe(true);
    // the failed publish left the counters changed: a later tick published them
    expect(bodies.length).toBeGreaterThanOrEqual(2);
  });
});
