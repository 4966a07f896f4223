import { mkdirSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeBusRecord } from "./bus-record.js";
import { chooseRun } from "./watch.js";
import { levelIndex, watchPrinter, watchSubject } from "./watch-view.js";

const line = (level: string, message: string, metadata: Record<string, unknown> = {}) =>
  JSON.stringify({ timestamp: "2026-12-01 10:00:00.000000Z", level, source: { module: "M", location: "l" }, message, metadata });

describe("watchSubject", () => {
  it("keys the subject by role, node and event, with wildcards for the rest", () => {
    expect(watchSubject("r1", {})).toBe("mina.r1.log.*.*");
    expect(watchSubject("r1", { role: "block-producer" })).toBe("mina.r1.log.block-producer.*");
    expect(watchSubject("r1", { node: "bp-1" })).toBe("mina.r1.log.*.bp-1");
    expect(watchSubject("r1", { role: "block-producer", event: "Block_produced" })).toBe("mina.r1.event.block-producer.*.Block_produced");
    expect(watchSubject("r1", { event: "*" })).toBe("mina.r1.event.*.*.*");
  });
});

describe("watchPrinter", () => {
  const batch = [line("Debug", "noise"), line("Info", "Block produced at $height", { height: 3 }), "not json at all", line("Error", "broken")].join("\n");

  it("prints a batch's lines with their node, as logproc does", () => {
    expect(watchPrinter({ json: false })("mina.r1.log.block-producer.bp-1", batch)?.split("\n")).toEqual([
      "bp-1 | [2026-12-01 10:00:00.000000Z] Debug: noise",
      "bp-1 | [2026-12-01 10:00:00.000000Z] Info: Block produced at 3",
      "bp-1 | not json at all",
      "bp-1 | [2026-12-01 10:00:00.000000Z] Error: broken",
    ]);
  });

  it("--level and --filter keep what they say; --json adds node and role", () => {
    expect(watchPrinter({ json: false, level: "info" })("mina.r1.log.seed.seed", batch)?.split("\n")).toHaveLength(2);
    const json = watchPrinter({ json: true, filter: ".metadata.height == 3" })("mina.r1.log.seed.seed", batch);
    expect(JSON.parse(json ?? "")).toMatchObject({ node: "seed", role: "seed", message: "Block produced at $height" });
    expect(watchPrinter({ json: false, level: "Fatal" })("mina.r1.log.seed.seed", batch)).toBeUndefined();
  });

  it("prints events, and refuses a level Mina does not have", () => {
    const event = JSON.stringify({ node: "bp-1", role: "block-producer", type: "Block_produced", timestamp: "2026-12-01 10:00:01.000000Z", data: { block_height: 2 } });
    expect(watchPrinter({ json: false, event: "Block_produced" })("mina.r1.event.block-producer.bp-1.Block_produced", event)).toBe(
      '[2026-12-01 10:00:01.000000Z] bp-1 Block_produced: {"block_height":2}',
    );
    expect(() => levelIndex("loud")).toThrow(/--level loud: not one of Mina.s levels/);
  });
});

describe("chooseRun", () => {
  const out = mkdtempSync(join(tmpdir(), "mina-local-watch-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("takes the newest live run, a named one, and says when none is live", () => {
    expect(() => chooseRun(out, undefined)).toThrow(/no live run/);
    for (const [name, age] of [
      ["old", 100],
      ["live", 50],
      ["ended", 10],
    ] as const) {
      mkdirSync(join(out, name));
      const t = Date.now() / 1000 - age;
      if (name !== "ended") writeBusRecord(join(out, name), { url: `nats://127.0.0.1:${age}`, runId: name });
      utimesSync(join(out, name), t, t);
    }
    expect(chooseRun(out, undefined).bus.runId).toBe("live");
    expect(chooseRun(out, "old").bus.url).toBe("nats://127.0.0.1:100");
    expect(() => chooseRun(out, "ended")).toThrow(/is not running/);
  });
});
