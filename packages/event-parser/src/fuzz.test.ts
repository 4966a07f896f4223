import { describe, expect, it } from "vitest";
import { parseLine } from "./index.js";
import { blockProducedMetadata, eventLine, minaLine, payment } from "./test-fixtures.js";

/** A small seeded generator, so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRONG_VALUES: unknown[] = [null, 7, -1.5, true, "", "x", [], [1, 2], {}, { a: { b: [] } }];

/** `timestamp` and `message` take any string, `metadata` any object: those would not be bad. */
function wouldBeValid(field: string, value: unknown): boolean {
  if (field === "timestamp" || field === "message") return typeof value === "string";
  if (field === "metadata") return typeof value === "object" && value !== null && !Array.isArray(value);
  return false;
}

function badLines(count: number, seed: number): string[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const valid = [
    minaLine("Connected to $n peers", { n: 3 }, { level: "Debug" }),
    minaLine("Peer slow", { peer: "10.0.0.2" }, { level: "Warn" }),
    eventLine("Block_produced", blockProducedMetadata()),
    eventLine("Breadcrumb_added", { state_hash: "3NK", user_commands: [payment()] }),
    eventLine("Catchup_complete", { count: 3, best_tip: "3NK" }, { withId: false }),
  ];
  const generators: Array<() => string> = [
    // random bytes, decoded the way a Buffer becomes a string (invalid UTF-8 -> U+FFFD)
    () => Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256))).toString("utf8"),
    // a valid line cut short
    () => {
      const line = pick(valid);
      return line.slice(0, Math.floor(random() * (line.length - 1)));
    },
    // a top-level field of the wrong type or missing
    () => {
      const line = JSON.parse(pick(valid)) as Record<string, unknown>;
      const field = pick(["timestamp", "level", "source", "message", "metadata"]);
      if (random() < 0.2) delete line[field];
      else line[field] = pick(WRONG_VALUES.filter((v) => !wouldBeValid(field, v)));
      return JSON.stringify(line);
    },
    // an event whose metadata has a wrong value somewhere
    () => {
      const name = pick(["Catchup_complete", "Bootstrap_required", "Ledger_proof_emitted", "Persisted_frontier_loaded"] as const);
      const metadata: Record<string, unknown> = {
        Catchup_complete: { count: pick(["many", -1, null, 1.5, []]), best_tip: "3NK" },
        Bootstrap_required: { best_tip_length: "30", own_length: pick(["x", null, {}, -3]) },
        Ledger_proof_emitted: { snarked_ledger_hash: pick([7, null, ""]), block_height: "9", transactions: 8 },
        Persisted_frontier_loaded: { best_tip: "3NK", blockchain_length: pick(["7.5", true, "", "1e3"]) },
      }[name];
      return eventLine(name, metadata, { withId: random() < 0.5 });
    },
    // an unknown event id
    () => minaLine("Something the parser has never seen", {}, { eventId: Array.from({ length: 32 }, () => pick([..."0123456789abcdef"])).join("") }),
    // JSON that is not an object
    () => pick(["null", "0", "-12.5e3", "true", '"a string"', "[]", '[{"level":"Info"}]', "  ", ""]),
    // control characters and lone surrogates inside otherwise plausible text
    () => `{"timestamp":"\u0000${"\ud800"}","level":"Info"`,
  ];
  return Array.from({ length: count }, () => pick(generators)());
}

describe("parseLine under garbage", () => {
  it("never throws on 12,000 generated bad lines, and counts every one as an error", () => {
    const lines = badLines(12_000, 20261126);
    let errors = 0;
    const unexpected: string[] = [];
    for (const line of lines) {
      const parsed = parseLine(line);
      if (parsed.kind === "error") {
        errors++;
        expect(typeof parsed.reason).toBe("string");
      } else unexpected.push(line);
    }
    expect(unexpected.slice(0, 3)).toEqual([]);
    expect(errors).toBe(lines.length);
  });

  it("copes with 10 MB lines, deep nesting and values that are not strings", () => {
    const big = "x".repeat(10 * 1024 * 1024);
    expect(parseLine(big)).toMatchObject({ kind: "error", reason: "not JSON" });
    expect(parseLine(`{"message":"${big}`)).toMatchObject({ kind: "error" });
    const bigWarn = parseLine(minaLine(big, {}, { level: "Warn" }));
    expect(bigWarn.kind).toBe("event");
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    expect(parseLine(deep).kind).toBe("error");
    expect(parseLine(minaLine("deep", {}, { level: "Error" }).replace('"metadata":{}', `"metadata":{"a":${deep}}`)).kind).not.toBe(undefined);
    expect(parseLine(null as unknown as string)).toMatchObject({ kind: "error" });
    expect(parseLine(42 as unknown as string)).toMatchObject({ kind: "error" });
    expect(parseLine(Buffer.from([0xff, 0xfe, 0x7b, 0x22]).toString("utf8"))).toMatchObject({ kind: "error", reason: "not JSON" });
  });
});
