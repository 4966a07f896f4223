import { describe, expect, it } from "vitest";
import { formatLine, processLine } from "./index.js";

const produced = {
  timestamp: "2026-11-26 12:00:00.123456Z",
  level: "Info",
  source: { module: "Block_producer", location: 'File "src/lib/block_producer/block_producer.ml", line 1' },
  message: "Block $state_hash at height $height by $creator (unknown $nope, price $$5)",
  metadata: { state_hash: "3NKabc", height: 5, creator: { pk: "B62qxyz" } },
  event_id: null,
};

describe("formatLine", () => {
  it("inline puts metadata into the $placeholders, JSON for non-strings, unknown names untouched", () => {
    expect(formatLine(produced, { interpolation: "inline" })).toBe('[2026-11-26 12:00:00.123456Z] Info: Block 3NKabc at height 5 by {"pk":"B62qxyz"} (unknown $nope, price $$5)');
  });

  it("hidden prints the message as written", () => {
    expect(formatLine(produced, { interpolation: "hidden" })).toBe(`[2026-11-26 12:00:00.123456Z] Info: ${produced.message}`);
  });

  it("after prints the message as written, then each metadata field on its own line", () => {
    expect(formatLine(produced, { interpolation: "after" })).toBe(`[2026-11-26 12:00:00.123456Z] Info: ${produced.message}\n    state_hash: 3NKabc\n    height: 5\n    creator: {"pk":"B62qxyz"}`);
  });

  it("copes with a line without metadata", () => {
    expect(formatLine({ timestamp: "t", level: "Warn", message: "careful $x" }, { interpolation: "inline" })).toBe("[t] Warn: careful $x");
  });
});

describe("processLine", () => {
  const json = (level: string, message = "hello $who", metadata: Record<string, unknown> = { who: "world" }): string =>
    JSON.stringify({ timestamp: "2026-11-26 12:00:00.000000Z", level, source: { module: "m", location: "l" }, message, metadata });

  it("formats a Mina log line", () => {
    expect(processLine(json("Info"), { interpolation: "inline" })).toBe("[2026-11-26 12:00:00.000000Z] Info: hello world");
  });

  it("applies the filter given as text or as a predicate", () => {
    const filter = '!(.level in ["Spam","Debug"])';
    expect(processLine(json("Debug"), { filter })).toBeUndefined();
    expect(processLine(json("Warn"), { filter })).toBe("[2026-11-26 12:00:00.000000Z] Warn: hello world");
    expect(processLine(json("Info"), { filter: (v) => (v as { level: string }).level === "Spam" })).toBeUndefined();
  });

  it("never drops a line that is not a JSON object, whatever the filter", () => {
    const filter = '.level == "Fatal"';
    expect(processLine("Segmentation fault (core dumped)", { filter })).toBe("Segmentation fault (core dumped)");
    expect(processLine('{"truncated": ', { filter })).toBe('{"truncated": ');
    expect(processLine("[1,2,3]", { filter })).toBe("[1,2,3]");
    expect(processLine("", { filter })).toBe("");
  });

  it("filters JSON objects that are not log lines but prints them as they are", () => {
    expect(processLine('{"kind":"stats","n":1}', { filter: ".n == 1" })).toBe('{"kind":"stats","n":1}');
    expect(processLine('{"kind":"stats","n":2}', { filter: ".n == 1" })).toBeUndefined();
  });

  it("strips a trailing carriage return", () => {
    expect(processLine(`${json("Info")}\r`)).toBe("[2026-11-26 12:00:00.000000Z] Info: hello world");
    expect(processLine("plain\r")).toBe("plain");
  });
});
