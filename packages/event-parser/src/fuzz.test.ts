import { describe, expect, it } from "vitest";
import { parseLine } from "./index.js";
import type { ParsedLine } from "./index.js";
import { BERKELEY, REMOTE, VECTOR_COMMAND, blockProducedMetadata, eventLine, minaLine } from "./testing/fixtures.js";

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

/** A generated line and the kinds it may parse to. */
type Case = { line: string; kinds: ReadonlyArray<ParsedLine["kind"]> };

function badLines(count: number, seed: number): Case[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const valid = [
    minaLine("Connected to $n peers", { n: 3 }, { level: "Debug" }),
    minaLine("Peer slow", { peer: "10.0.0.2" }, { level: "Warn" }),
    eventLine(BERKELEY, "Block_produced", blockProducedMetadata()),
    eventLine(BERKELEY, "Added_breadcrumb_user_commands", { state_hash: "3NK", user_commands: [{ data: VECTOR_COMMAND, status: ["Applied"] }] }),
    eventLine(BERKELEY, "Block_received", { sender: REMOTE, state_hash: "3NK" }),
  ];
  const errorOnly = ["error"] as const;
  const generators: Array<() => Case> = [
    // random bytes after a "{", decoded the way a Buffer becomes a string (invalid UTF-8 -> U+FFFD)
    () => ({ line: `{${Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256))).toString("utf8")}`, kinds: errorOnly }),
    // random bytes: text (a daemon's stdout carries non-JSON lines) unless they happen to start like JSON
    () => {
      const line = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256))).toString("utf8");
      return { line, kinds: /^\s*[[{]/.test(line) ? errorOnly : ["text"] };
    },
    // a valid line cut short
    () => {
      const line = pick(valid);
      return { line: line.slice(0, 1 + Math.floor(random() * (line.length - 2))), kinds: errorOnly };
    },
    // a top-level field of the wrong type or missing
    () => {
      const line = JSON.parse(pick(valid)) as Record<string, unknown>;
      const field = pick(["timestamp", "level", "source", "message", "metadata"]);
      // source may be left out, as Mina does
      if (random() < 0.2 && field !== "source") delete line[field];
      else line[field] = pick(WRONG_VALUES.filter((v) => !wouldBeValid(field, v)));
      return { line: JSON.stringify(line), kinds: errorOnly };
    },
    // an event whose metadata has a wrong value somewhere
    () => {
      const name = pick(["Block_produced", "Applying_diffs", "Block_received", "Snark_work_received", "Added_breadcrumb_user_commands"] as const);
      const metadata: Record<string, unknown> = {
        Block_produced: { breadcrumb: pick([null, 7, {}, { validated_transition: { hash: 5 } }]) },
        Applying_diffs: { diffs: pick([null, "x", [{}], [{ New_node: 7 }], [{ New_node: "3NK", Best_tip_changed: "3NK" }]]) },
        Block_received: { state_hash: pick([7, null, ""]), sender: "Local" },
        Snark_work_received: { work: { work: pick([["Three"], [], "x"]), fee: "0.1", prover: "B62" }, sender: "Local" },
        Added_breadcrumb_user_commands: { state_hash: "3NK", user_commands: [{ data: pick([7, ["Signed_command", {}], ["Bogus", {}]]), status: ["Applied"] }] },
      }[name];
      return { line: eventLine(BERKELEY, name, metadata), kinds: errorOnly };
    },
    // an unknown event id: an ordinary log line
    () => ({ line: minaLine("Something the parser has never seen", {}, { eventId: Array.from({ length: 32 }, () => pick([..."0123456789abcdef"])).join("") }), kinds: ["log"] }),
    // JSON that is not an object
    () =>
      pick([
        { line: "[]", kinds: errorOnly },
        { line: '[{"level":"Info"}]', kinds: errorOnly },
        { line: "null", kinds: ["text"] },
        { line: "-12.5e3", kinds: ["text"] },
        { line: '"a string"', kinds: ["text"] },
      ]),
    // control characters and lone surrogates inside otherwise plausible text
    () => ({ line: `{"timestamp":"\u0000${"\ud800"}","level":"Info"`, kinds: errorOnly }),
  ];
  return Array.from({ length: count }, () => pick(generators)());
}

describe("parseLine under garbage", () => {
  it("never throws on 12,000 generated bad lines, and reads each as what it is (never as an event)", () => {
    const cases = badLines(12_000, 20261126);
    const unexpected: string[] = [];
    let errors = 0;
    for (const { line, kinds } of cases) {
      const parsed = parseLine(line, { table: BERKELEY });
      if (!kinds.includes(parsed.kind)) unexpected.push(`${parsed.kind}: ${line.slice(0, 200)}`);
      if (parsed.kind === "error") {
        errors++;
        expect(typeof parsed.reason).toBe("string");
      }
    }
    expect(unexpected.slice(0, 3)).toEqual([]);
    expect(errors).toBeGreaterThan(cases.length / 2);
  });

  it("copes with 10 MB lines, deep nesting and values that are not strings", () => {
    const opts = { table: BERKELEY };
    const big = "x".repeat(10 * 1024 * 1024);
    expect(parseLine(big, opts)).toMatchObject({ kind: "text" });
    expect(parseLine(`{"message":"${big}`, opts)).toMatchObject({ kind: "error", problem: "truncated-json" });
    const bigWarn = parseLine(minaLine(big, {}, { level: "Warn" }), opts);
    expect(bigWarn.kind).toBe("event");
    // a 1 MB event line decodes like any other
    const megabyte = eventLine(BERKELEY, "Block_received", { sender: "Local", state_hash: "3NK", padding: "y".repeat(1024 * 1024) });
    expect(parseLine(megabyte, opts)).toMatchObject({ kind: "event", events: [{ type: "Block_gossip" }] });
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    expect(parseLine(deep, opts).kind).toBe("error");
    expect(parseLine(minaLine("deep", {}, { level: "Error" }).replace('"metadata":{}', `"metadata":{"a":${deep}}`), opts).kind).not.toBe(undefined);
    expect(parseLine(null as unknown as string, opts)).toMatchObject({ kind: "error" });
    expect(parseLine(42 as unknown as string, opts)).toMatchObject({ kind: "error" });
    expect(parseLine(Buffer.from([0xff, 0xfe, 0x7b, 0x22]).toString("utf8"), opts)).toMatchObject({ kind: "text" });
  });
});
