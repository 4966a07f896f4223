import { describe, expect, it } from "vitest";
import { LineTail, type TailLine } from "./line-tail.js";

const minaLine = (level: string, message: string) =>
  JSON.stringify({ timestamp: "2026-11-26 12:00:00.123456Z", level, source: { module: "M", location: "" }, message, metadata: { level: "not this one" } });

describe("LineTail", () => {
  it("keeps each node's recent lines in order, separately", () => {
    const tail = new LineTail();
    tail.push("bp1", minaLine("Info", "one"));
    tail.push("bp2", minaLine("Info", "other"));
    tail.push("bp1", minaLine("Info", "two"));
    expect(tail.recent("bp1").map((l) => JSON.parse(l.text).message)).toEqual(["one", "two"]);
    expect(tail.recent("bp2")).toHaveLength(1);
    expect(tail.recent("bp1", 1).map((l) => l.node + ":" + JSON.parse(l.text).message)).toEqual(["bp1:two"]);
    expect(tail.recent("nobody")).toEqual([]);
    expect(tail.linesSeen).toBe(3);
  });

  it("keeps at most keepPerNode lines per node, dropping the oldest", () => {
    const tail = new LineTail(3);
    for (let i = 1; i <= 5; i++) tail.push("seed", `line ${i}`);
    expect(tail.recent("seed", 100).map((l) => l.text)).toEqual(["line 3", "line 4", "line 5"]);
    // what was dropped from the tail is still counted
    expect(tail.linesSeen).toBe(5);
    expect(tail.count("(not JSON)", "seed")).toBe(5);
  });

  it("reads each line's Mina level (the line's own, not a metadata field) and counts lines by level", () => {
    const tail = new LineTail();
    tail.push("bp1", minaLine("Error", "a"));
    tail.push("bp1", minaLine("Warn", "b"));
    tail.push("bp2", minaLine("Error", "c"));
    tail.push("bp2", minaLine("Faulty_peer", "d"));
    tail.push("bp2", "Segmentation fault");
    expect(tail.recent("bp1")[0]?.level).toBe("Error");
    expect(tail.recent("bp2")[2]?.level).toBeUndefined();
    expect(tail.count("Error")).toBe(2);
    expect(tail.count("Error", "bp1")).toBe(1);
    expect(tail.count("Faulty_peer", "bp2")).toBe(1);
    expect(tail.count("Fatal")).toBe(0);
    expect(tail.count("(not JSON)")).toBe(1);
    expect(tail.count("not this one")).toBe(0);
  });

  it("tells subscribers of each new line until they unsubscribe", () => {
    const tail = new LineTail();
    const seen: TailLine[] = [];
    tail.push("bp1", "before");
    const unsubscribe = tail.subscribe((line) => seen.push(line));
    tail.push("bp1", "during");
    unsubscribe();
    tail.push("bp1", "after");
    expect(seen.map((l) => [l.node, l.text])).toEqual([["bp1", "during"]]);
  });
});
