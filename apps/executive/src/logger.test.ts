import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LOG_LEVELS } from "@mina-local/engine";
import { processLine } from "@mina-local/logproc";
import { createExecutiveLogger, forModule, minaTimestamp } from "./logger.js";

function capture(level?: string) {
  const lines: string[] = [];
  let partial = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const parts = (partial + chunk.toString("utf8")).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts);
      callback();
    },
  });
  const logger = createExecutiveLogger({ destination, ...(level && { level }) });
  return { logger, lines, unfinished: () => partial };
}

const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;

describe("createExecutiveLogger", () => {
  it("writes one JSON object per line, in Mina's shape, with Mina's level names", () => {
    const { logger, lines, unfinished } = capture("spam");
    const log = forModule(logger, "Test_executive.runner");
    log.spam("very detailed");
    log.debug({ step: "x" }, "debugging $step");
    log.info({ node: "bp1" }, "Starting $node");
    log.warn("careful");
    log.error({ error: "boom" }, "failed: $error");
    log.fatal("gone");

    expect(unfinished()).toBe("");
    expect(lines).toHaveLength(6);
    const parsed = lines.map(parse);
    expect(parsed.map((l) => l["level"])).toEqual(["Spam", "Debug", "Info", "Warn", "Error", "Fatal"]);
    for (const line of parsed) {
      expect(LOG_LEVELS).toContain(line["level"]);
      expect(line["timestamp"]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(line["source"]).toEqual({ module: "Test_executive.runner", location: "" });
      expect(typeof line["message"]).toBe("string");
      expect(typeof line["metadata"]).toBe("object");
      // nothing pino adds on its own (pid, hostname, msg, time)
      expect(Object.keys(line).sort()).toEqual(["level", "message", "metadata", "source", "timestamp"]);
    }
    expect(parsed[2]).toMatchObject({ message: "Starting $node", metadata: { node: "bp1" } });
    expect(parsed[3]?.["metadata"]).toEqual({});
  });

  it("names a default module when no forModule is used, and always writes a message", () => {
    const { logger, lines } = capture();
    logger.info({ a: 1 }, "plain");
    forModule(logger, "m").info({ only: "metadata" });
    expect(parse(lines[0] ?? "")).toMatchObject({ source: { module: "Test_executive" }, message: "plain", metadata: { a: 1 } });
    expect(parse(lines[1] ?? "")).toMatchObject({ message: "", metadata: { only: "metadata" } });
  });

  it("writes bigints as decimal strings and errors as their message", () => {
    const { logger, lines } = capture();
    forModule(logger, "m").info({ balance: 400_000_000_000_000n, nested: { fee: 10n }, list: [1n], error: new Error("refused") }, "balance $balance");
    expect(parse(lines[0] ?? "")["metadata"]).toEqual({ balance: "400000000000000", nested: { fee: "10" }, list: ["1"], error: { message: "refused", name: "Error" } });
  });

  it("drops lines below its level (debug by default)", () => {
    const { logger, lines } = capture();
    const log = forModule(logger, "m");
    log.spam("hidden");
    log.debug("shown");
    expect(lines.map((l) => parse(l)["message"])).toEqual(["shown"]);

    const quiet = capture("warn");
    forModule(quiet.logger, "m").info("hidden");
    forModule(quiet.logger, "m").warn("shown");
    expect(quiet.lines.map((l) => parse(l)["level"])).toEqual(["Warn"]);
  });

  it("works with logproc as a user's pipe would: Spam and Debug filtered out, $names filled in", () => {
    const { logger, lines } = capture("spam");
    const log = forModule(logger, "m");
    log.spam({ n: 1 }, "spam $n");
    log.debug({ n: 2 }, "debug $n");
    log.info({ node: "bp1", height: 5n }, "$node reached height $height");
    log.error({ section: "send a payment" }, "hard error in $section");
    const shown = lines.map((line) => processLine(line, { filter: '!(.level in ["Spam","Debug"])', interpolation: "inline" })).filter((l) => l !== undefined);
    expect(shown).toHaveLength(2);
    expect(shown[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z\] Info: bp1 reached height 5$/);
    expect(shown[1]).toMatch(/Error: hard error in send a payment$/);
  });
});

describe("minaTimestamp", () => {
  it("prints a date as Mina does, with microseconds", () => {
    expect(minaTimestamp(new Date("2026-11-26T12:00:00.123Z"))).toBe("2026-11-26 12:00:00.123000Z");
  });
});
