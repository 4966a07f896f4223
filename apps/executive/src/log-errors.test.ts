import { describe, expect, it } from "vitest";
import { attributeLogErrors, countLogErrorsAsTestErrors, minaTimestampMs, type TestTimeline } from "./log-errors.js";
import type { LogErrorEntry } from "./network-state.js";

const T0 = Date.parse("2023-11-11T13:00:00.000Z");
/** Mina's timestamp of T0 + ms */
const at = (ms: number) => {
  const iso = new Date(T0 + ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}123Z`;
};
const entry = (node: string, level: string, ms: number, message = `${level} at ${ms}`): LogErrorEntry => ({
  node,
  level,
  severity: level === "Warn" || level === "Faulty_peer" ? "soft" : "hard",
  message,
  timestamp: at(ms),
});
const timeline: TestTimeline = {
  startedAt: T0 + 1000,
  sections: [
    { name: "wait for nodes to initialize", startedAt: T0 + 1000, endedAt: T0 + 2000 },
    { name: "send a payment", startedAt: T0 + 2500, endedAt: T0 + 4000 },
  ],
};

describe("minaTimestampMs", () => {
  it("reads Mina's timestamp (space, microseconds, Z) and ISO 8601, and nothing else", () => {
    expect(minaTimestampMs("2023-11-11 13:25:54.414332Z")).toBe(Date.parse("2023-11-11T13:25:54.414Z"));
    expect(minaTimestampMs("2023-11-11T13:25:54Z")).toBe(Date.parse("2023-11-11T13:25:54Z"));
    expect(minaTimestampMs("yesterday")).toBeNaN();
  });
});

describe("attributeLogErrors", () => {
  it("counts every level Mina counts, from each node's first line: a daemon that logs Error while booting is reported 'before the test'", () => {
    const { counted } = attributeLogErrors([entry("bp1", "Error", 200, "Failed to connect to libp2p_helper")], timeline, []);
    expect(counted).toEqual([{ node: "bp1", level: "Error", severity: "hard", section: "before the test", message: "Failed to connect to libp2p_helper", timestamp: at(200) }]);
  });

  it("attributes each line to the section active when the node wrote it, or to no section between sections", () => {
    const { counted } = attributeLogErrors([entry("seed", "Warn", 1500), entry("bp1", "Faulty_peer", 2200), entry("bp2", "Fatal", 3000), entry("bp1", "Error", 4100)], timeline, []);
    expect(counted.map((e) => [e.node, e.level, e.severity, e.section])).toEqual([
      ["seed", "Warn", "soft", "wait for nodes to initialize"],
      ["bp1", "Faulty_peer", "soft", "(outside any section)"],
      ["bp2", "Fatal", "hard", "send a payment"],
      ["bp1", "Error", "hard", "(outside any section)"],
    ]);
  });

  it("does not count what a node writes after the engine asked it to stop, until it is asked to start again", () => {
    const stops = [
      { node: "bp1", from: T0 + 2600, until: T0 + 3000 },
      // teardown: asked to stop for good
      { node: "bp1", from: T0 + 5000 },
      { node: "seed", from: T0 + 5000 },
    ];
    const { counted, afterStop } = attributeLogErrors(
      [
        entry("bp1", "Fatal", 2700, "libp2p_helper died"),
        entry("bp2", "Error", 2700, "another node at the same time counts"),
        entry("bp1", "Error", 3100, "after the restart counts"),
        entry("bp1", "Fatal", 5200, "libp2p_helper died"),
        entry("seed", "Fatal", 5300, "libp2p_helper died"),
      ],
      timeline,
      stops,
    );
    expect(counted.map((e) => e.message)).toEqual(["another node at the same time counts", "after the restart counts"]);
    expect(afterStop).toBe(3);
  });

  it("keeps a line whose timestamp it cannot read (counted, 'before the test')", () => {
    const { counted } = attributeLogErrors([{ ...entry("bp1", "Error", 0), timestamp: "not a time" }], timeline, [{ node: "bp1", from: 0 }]);
    expect(counted).toMatchObject([{ node: "bp1", section: "before the test" }]);
  });

  it("puts everything 'before the test' when the body never ran (setup failed)", () => {
    const { counted } = attributeLogErrors([entry("bp1", "Error", 9000)], { sections: [] }, []);
    expect(counted[0]?.section).toBe("before the test");
  });

  it("orders the lines of all nodes by when they were written", () => {
    const { counted } = attributeLogErrors([entry("a", "Warn", 300), entry("b", "Warn", 100), entry("a", "Warn", 200)], timeline, []);
    expect(counted.map((e) => e.timestamp)).toEqual([at(100), at(200), at(300)]);
  });
});

describe("countLogErrorsAsTestErrors (--fail-on-log-errors)", () => {
  const sections = [
    { name: "one", status: "passed" as const, durationMs: 1 },
    { name: "two", status: "passed" as const, durationMs: 1 },
    { name: "three", status: "passed" as const, durationMs: 1 },
  ];
  it("makes each log error a test error of its section: a hard one fails it, soft ones soften it", () => {
    const logErrors = [
      { node: "bp1", level: "Warn", severity: "soft" as const, section: "one", message: "slow", timestamp: at(0) },
      { node: "bp2", level: "Fatal", severity: "hard" as const, section: "two", message: "died", timestamp: at(0) },
      { node: "bp2", level: "Error", severity: "hard" as const, section: "before the test", message: "boot", timestamp: at(0) },
    ];
    const result = countLogErrorsAsTestErrors(sections, [], logErrors);
    expect(result.sections.map((s) => s.status)).toEqual(["soft", "failed", "passed"]);
    expect(result.errors).toEqual([
      { severity: "soft", section: "one", node: "bp1", message: "Warn line: slow" },
      { severity: "hard", section: "two", node: "bp2", message: "Fatal line: died" },
      { severity: "hard", section: "before the test", node: "bp2", message: "Error line: boot" },
    ]);
  });
});
