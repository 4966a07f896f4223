import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "./render-html.js";
import { minaTimeMs, runStory } from "./run-story.js";
import { SAMPLE_EVENTS, SAMPLE_NODES, SAMPLE_REPORT, START } from "../../testing/report-sample.js";

describe("runStory", () => {
  const story = runStory(SAMPLE_NODES, SAMPLE_EVENTS, Date.parse(START));

  it("has one lane per node, in the run's order, with its marks in time order", () => {
    expect(story.lanes.map((l) => [l.node, l.marks.map((m) => m.kind)])).toEqual([
      ["seed", ["received"]],
      ["bp", ["started", "produced", "produced"]],
      ["bp2", ["produced", "error", "stopped"]],
    ]);
    expect(story.lanes[1]?.marks[0]?.atMs).toBe(2_123);
  });

  it("finds each node's best tip, the fork, and which blocks each node's best chain holds", () => {
    expect(story.views.map((v) => [v.node, v.bestTipHeight])).toEqual([
      ["seed", 3],
      ["bp", 3],
      ["bp2", 2],
    ]);
    expect(story.forkHeights).toEqual([2]);
    expect(story.onBestChainOf["3NKaaaaaaaaaaaaaaaaaaaa1"]).toEqual(["seed", "bp"]);
    expect(story.onBestChainOf["3NKbbbbbbbbbbbbbbbbbbbb2"]).toEqual(["bp2"]);
    expect(story.blocks.map((b) => b.height)).toEqual([3, 2, 2]);
  });

  it("reads Mina's timestamps", () => {
    expect(minaTimeMs("2026-12-01 10:00:01.123456Z")).toBe(Date.parse(START) + 1123);
    expect(minaTimeMs("garbage")).toBeNaN();
  });
});

describe("renderHtmlReport", () => {
  const html = renderHtmlReport(SAMPLE_REPORT, runStory(SAMPLE_NODES, SAMPLE_EVENTS, Date.parse(START)));

  it("is one self-contained page: no script, no external resource, a CSP that forbids any", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html.replace('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("shows the test name, every section with its errors, one lane per node, the chain and the counters, all escaped", () => {
    expect(html).toContain("two-blocks &lt;&amp;&gt;");
    for (const s of SAMPLE_REPORT.sections) expect(html).toContain(`data-section="${s.name}"`);
    expect(html).toContain("timed out waiting for 2 blocks\n  last: 1 block");
    expect(html).toContain("(log pipeline)");
    expect([...html.matchAll(/<g class="lane" data-node="([^"]+)"/g)].map((m) => m[1])).toEqual(["seed", "bp", "bp2"]);
    expect(html).toContain("Forks at height 2");
    expect(html).toContain("bad &lt;thing&gt;");
    expect(html).toContain("something &lt;b&gt;bad&lt;/b&gt;");
    expect(html).toContain("lines relayed from the FIFO to the bus");
  });

  it("says what is missing rather than drawing nothing", () => {
    const empty = renderHtmlReport({ ...SAMPLE_REPORT, sections: [], errors: [], pipeline: undefined, failure: undefined }, runStory([], [], 0));
    expect(empty).toContain("No section ran.");
    expect(empty).toContain("No node ran.");
    expect(empty).toContain("No block was produced.");
    expect(empty).toContain("The log pipeline did not run");
  });
});
