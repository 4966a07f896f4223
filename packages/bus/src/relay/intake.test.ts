import { describe, expect, it } from "vitest";
import { NodeBatcher, payloadLines } from "./batcher.js";
import type { Batch } from "./batcher.js";
import { MARK_NODE } from "./drain-marks.js";
import { LineIntake, forEachLine } from "./intake.js";
import { LagTracker } from "./lag.js";
import type { LagReport } from "./lag.js";
import { RelayLedger } from "./ledger.js";
import { minaLineClassifier } from "./mina-classifier.js";

const plain = (n: number) => `{"timestamp":"2026-12-02 02:00:00.123Z","level":"Info","source":{"module":"M","location":"l"},"message":"line ${n}","metadata":{}}`;
const error = `{"timestamp":"2026-12-02 02:00:00.123Z","level":"Error","source":{"module":"M","location":"l"},"message":"bad","metadata":{}}`;

function harness(maxBatchBytes: number, classify = true) {
  const batcher = new NodeBatcher(maxBatchBytes);
  const ledger = new RelayLedger();
  const delivered: Batch[] = [];
  const marks: string[] = [];
  const lags: Array<LagReport | undefined> = [];
  const intake = new LineIntake({
    batcher,
    ledger,
    lags: new LagTracker({ limitMs: 1000 }),
    ...(classify && { classify: minaLineClassifier() }),
    deliver: (batch) => delivered.push(batch),
    onMark: (line) => marks.push(line.toString()),
    onGap: () => undefined,
    onLag: (report) => lags.push(report),
  });
  const run = (node: string, lines: string[], pad = "##") => {
    // the run lies inside a larger read, as in a frame
    const buf = Buffer.from(`${pad}${lines.join("\n")}${pad}`);
    intake.lines(node, "seed", 0, buf, pad.length, buf.length - pad.length, lines.length);
  };
  const text = (batch: Batch) => ({ lines: payloadLines(batch.payload).map(String), parser: payloadLines(batch.forParser).map(String) });
  return { batcher, ledger, delivered, marks, lags, intake, run, text };
}

describe("forEachLine", () => {
  it("gives the bounds of each line of a run, empty ones too", () => {
    const buf = Buffer.from("xa\n\nbcx");
    const seen: string[] = [];
    forEachLine(buf, 1, 6, 3, (s, e) => seen.push(buf.toString("latin1", s, e)));
    expect(seen).toEqual(["a", "", "bc"]);
  });
});

describe("LineIntake (the decoder's runs into batches, the ledger and the parser's lines)", () => {
  it("copies a run into its node's batch, hands the parser only the candidates, and counts every kind once", () => {
    const h = harness(1 << 20);
    h.run("n1", [plain(1), "", error, "not json", plain(2)]);
    h.run("n2", [plain(3)]);
    const [n1, n2] = h.batcher.takeAll();
    expect(n1 && h.text(n1)).toEqual({ lines: [plain(1), "", error, "not json", plain(2)], parser: [error, "not json"] });
    expect(n2 && h.text(n2)).toEqual({ lines: [plain(3)], parser: [] });
    const entry = h.ledger.byNode()["n1"];
    expect(entry).toMatchObject({ relayed: 5, pending: 5, toParser: 2 });
    expect(entry?.kinds).toEqual({ blank: 1, "not-json": 1, malformed: 0, "may-be-event": 1, plain: 2 });
    expect(h.delivered).toEqual([]);
  });

  it("splits a run that would overflow its batch, so that each line and its parser copy go in the same batch", () => {
    const h = harness(2 * (error.length + 1));
    h.run("n1", [plain(1)]);
    h.run("n1", [error, plain(2), error]);
    const closed = [...h.delivered, ...h.batcher.takeAll()].map(h.text);
    expect(closed.flatMap((b) => b.lines)).toEqual([plain(1), error, plain(2), error]);
    for (const batch of closed) expect(batch.parser).toEqual(batch.lines.filter((l) => l === error));
    expect(closed.length).toBeGreaterThan(1);
    expect(h.ledger.byNode()["n1"]).toMatchObject({ relayed: 4, toParser: 2 });
  });

  it("counts blank lines without a classifier, and hands the drain marks' lines over instead of batching them", () => {
    const h = harness(1 << 20, false);
    h.run("n1", ["a", " ", ""]);
    h.run(MARK_NODE, ["token-1", "token-2"]);
    expect(h.marks).toEqual(["token-1", "token-2"]);
    expect(h.batcher.openBatches).toBe(1);
    expect(h.ledger.byNode()["n1"]).toMatchObject({ relayed: 3, toParser: 0, kinds: { blank: 2, plain: 0 } });
    expect(h.ledger.byNode()[MARK_NODE]).toBeUndefined();
  });

  it("samples the lag on a run's first line, with the read time it is given, and reports passing the limit once", () => {
    const h = harness(1 << 20);
    h.intake.readAt = Date.parse("2026-12-02T02:00:05.123Z");
    h.run("n1", [plain(1), plain(2)]);
    expect(h.lags).toHaveLength(1);
    expect(h.lags[0]).toMatchObject({ node: "n1", lagMs: 5000 });
  });
});
