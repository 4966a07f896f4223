import { describe, expect, it } from "vitest";
import { NO_PIPELINE_ERRORS, type TestReport } from "./model.js";
import { renderJunitReport, renderTextReport } from "./render.js";

const base: TestReport = {
  test: "send-payment",
  runId: "abcd1234",
  runDir: "/tmp/runs/abcd1234",
  image: "mina-local/daemon-sim:dev",
  startedAt: "2026-11-26T12:00:00.000Z",
  durationMs: 61_500,
  outcome: "hard-errors",
  sections: [
    { name: "wait for nodes to initialize", status: "passed", durationMs: 12_000 },
    { name: "send a payment", status: "soft", durationMs: 3_000 },
    { name: "wait for the payment", status: "failed", durationMs: 40_000 },
  ],
  errors: [
    { severity: "soft", section: "send a payment", node: "bp2", message: "Warn (Gossip): peer is slow" },
    { severity: "hard", section: "wait for the payment", message: "hard timeout (32000 ms) waiting for signed command to be included" },
    { severity: "hard", section: "wait for the payment", node: "bp1", message: "Error (Block_producer): no vrf" },
  ],
  pipeline: { linesRelayed: 1200, linesReceived: 1200, linesLost: 0, blankLines: 4, parseErrors: 1, eventsReceived: 300, maxLagMs: 1250, errors: NO_PIPELINE_ERRORS },
};

/* ---------- a minimal XML reader: enough to prove the output is well-formed ---------- */

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&([a-z]+|#\d+|#x[0-9a-fA-F]+);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare & in ${JSON.stringify(text)}`);
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity ${whole}`);
    return value;
  });
}

function parseXml(document: string): XmlElement {
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(document)) throw new Error("control character in XML");
  let rest = document.replace(/^<\?xml[^?]*\?>\s*/, "");
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  const TAG = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/;
  while (rest.length > 0) {
    const top = stack[stack.length - 1] as XmlElement;
    if (rest.startsWith("<")) {
      const match = TAG.exec(rest);
      if (!match) throw new Error(`malformed tag at ${JSON.stringify(rest.slice(0, 40))}`);
      const [whole, closing, name, attributeText, selfClosing] = match as unknown as [string, string, string, string, string];
      rest = rest.slice(whole.length);
      if (closing) {
        if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
        stack.pop();
        continue;
      }
      const attributes: Record<string, string> = {};
      for (const a of attributeText.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        const key = a[1] as string;
        if (key in attributes) throw new Error(`attribute ${key} twice`);
        attributes[key] = decode(a[2] as string);
      }
      const element: XmlElement = { name, attributes, children: [], text: "" };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    } else {
      const end = rest.indexOf("<");
      const text = end === -1 ? rest : rest.slice(0, end);
      if (text.includes(">")) throw new Error(`raw > in text ${JSON.stringify(text)}`);
      top.text += decode(text);
      rest = end === -1 ? "" : rest.slice(end);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== "") throw new Error("expected exactly one root element");
  return root.children[0] as XmlElement;
}

const all = (element: XmlElement, name: string): XmlElement[] => [...element.children.filter((c) => c.name === name), ...element.children.flatMap((c) => all(c, name))];

describe("parseXml (the test's own checker)", () => {
  it("rejects what is not well-formed", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow();
    expect(() => parseXml('<a x="1 & 2"/>')).toThrow();
    expect(() => parseXml("<a>1 < 2</a>")).toThrow();
    expect(() => parseXml("<a>")).toThrow();
    expect(parseXml('<a x="&lt;&amp;&quot;">t&gt;</a>')).toMatchObject({ attributes: { x: '<&"' }, text: "t>" });
  });
});

describe("renderTextReport", () => {
  const text = renderTextReport(base);
  const lines = text.split("\n");

  it("has Mina's heading and the test's outcome", () => {
    expect(lines).toContain("=== Test Results ===");
    expect(text).toContain("send-payment");
    expect(text).toContain("hard-errors");
  });

  it("has one line per section with its mark and status, in order", () => {
    const sectionLines = lines.filter((l) => base.sections.some((s) => l.includes(s.name) && !l.includes("]")));
    expect(sectionLines).toHaveLength(3);
    expect(sectionLines[0]).toMatch(/✓ wait for nodes to initialize \(passed, 12\.0 s\)/);
    expect(sectionLines[1]).toMatch(/~ send a payment \(passed with soft errors, 3\.0 s\)/);
    expect(sectionLines[2]).toMatch(/✗ wait for the payment \(failed, 40\.0 s\)/);
  });

  it("lists every error with its severity, section and node", () => {
    expect(text).toContain("[soft] send a payment / bp2: Warn (Gossip): peer is slow");
    expect(text).toContain("[hard] wait for the payment: hard timeout (32000 ms)");
    expect(text).toContain("[hard] wait for the payment / bp1: Error (Block_producer): no vrf");
    // errors come after the sections
    expect(text.indexOf("no vrf")).toBeGreaterThan(text.indexOf("✗ wait for the payment"));
  });

  it("indents the continuation lines of a multi-line error or failure under their first line", () => {
    const multi = renderTextReport({ ...base, errors: [{ severity: "hard", section: "s", message: "timed out\nlast state: 1 block" }], failure: "setup failed\n  what to do: start Docker" });
    expect(multi).toContain("  [hard] s: timed out\n      last state: 1 block");
    expect(multi).toContain("\n  setup failed\n      what to do: start Docker");
  });

  it("shows the log pipeline's counts, the run directory, and an engine failure", () => {
    expect(text).toContain("1200 lines relayed, 1200 received (4 empty), 0 lost, 1 unparsable, 300 events, max lag 1.3 s");
    expect(text).not.toContain("pipeline errors");
    const lossy = renderTextReport({
      ...base,
      pipeline: { ...(base.pipeline as NonNullable<typeof base.pipeline>), linesReceived: 1190, linesLost: 10, errors: { ...NO_PIPELINE_ERRORS, linesLostInFifo: 10, eventsNotPublished: 1 } },
    });
    expect(lossy).toContain("1200 lines relayed, 1190 received (4 empty), 10 lost");
    expect(lossy).toContain("pipeline errors: 10 log line(s) were lost between the containers and the relay (frames missing from the FIFO); 1 event(s) could not be published on the bus");
    expect(text).toContain("/tmp/runs/abcd1234");
    const failed = renderTextReport({ ...base, sections: [], errors: [], outcome: "setup-failed", failure: "setup failed: Docker is not running" });
    expect(failed).toContain("(no section ran)");
    expect(failed).toContain("setup failed: Docker is not running");
    expect(failed).not.toContain("=== Errors ===");
  });
});

describe("renderJunitReport", () => {
  it("is well-formed XML with one test case per section and a failure for each failed one", () => {
    const suites = parseXml(renderJunitReport(base));
    expect(suites.name).toBe("testsuites");
    const [suite] = all(suites, "testsuite");
    expect(suite?.attributes).toMatchObject({ name: "send-payment", tests: "3", failures: "1" });
    const cases = all(suites, "testcase");
    expect(cases.map((c) => c.attributes["name"])).toEqual(base.sections.map((s) => s.name));
    expect(cases.map((c) => all(c, "failure").length)).toEqual([0, 0, 1]);
    const failure = all(cases[2] as XmlElement, "failure")[0];
    expect(failure?.attributes["message"]).toContain("hard timeout");
    expect(failure?.text).toContain("bp1");
    expect(failure?.text).toContain("no vrf");
    // soft errors are shown, not failed
    expect(all(cases[1] as XmlElement, "system-err")[0]?.text).toContain("peer is slow");
    expect(cases[0]?.attributes["time"]).toBe("12.000");
  });

  it('escapes < & " > in names and messages, and drops control characters', () => {
    const nasty: TestReport = {
      ...base,
      test: 'a<b>&"c"',
      sections: [{ name: 'check <balance> & "nonce"', status: "failed", durationMs: 1 }],
      errors: [{ severity: "hard", section: 'check <balance> & "nonce"', node: "bp1", message: 'expected <1 & "2"> \u001b[31mred\u001b[0m' }],
      failure: 'teardown: <stack> & "network" not removed',
    };
    const xml = renderJunitReport(nasty);
    const suites = parseXml(xml);
    const cases = all(suites, "testcase");
    expect(cases[0]?.attributes["name"]).toBe('check <balance> & "nonce"');
    expect(cases[0]?.attributes["classname"]).toBe('a<b>&"c"');
    expect(all(cases[0] as XmlElement, "failure")[0]?.attributes["message"]).toBe('expected <1 & "2"> [31mred[0m');
    // the engine failure is a failing test case of its own
    expect(cases[1]?.attributes["name"]).toBe("engine");
    expect(all(cases[1] as XmlElement, "failure")[0]?.attributes["message"]).toBe('teardown: <stack> & "network" not removed');
    expect(all(suites, "testsuite")[0]?.attributes["failures"]).toBe("2");
  });

  it("reports errors raised outside every section, so a failed run never looks green", () => {
    const report: TestReport = {
      ...base,
      sections: [{ name: "only", status: "passed", durationMs: 1 }],
      errors: [{ severity: "hard", section: "(outside any section)", node: "seed", message: "Fatal (Daemon): out of memory" }],
    };
    const suites = parseXml(renderJunitReport(report));
    const cases = all(suites, "testcase");
    expect(cases.map((c) => c.attributes["name"])).toEqual(["only", "(outside any section)"]);
    expect(all(cases[1] as XmlElement, "failure")[0]?.text).toContain("out of memory");
    expect(all(suites, "testsuite")[0]?.attributes["failures"]).toBe("1");
  });

  it("is valid for a run where no section ran", () => {
    const suites = parseXml(renderJunitReport({ ...base, sections: [], errors: [] }));
    expect(all(suites, "testcase")).toEqual([]);
    expect(all(suites, "testsuite")[0]?.attributes["failures"]).toBe("0");
  });
});

describe("the event-id table and the nodes' log errors in the reports", () => {
  const logError = (n: number, severity: "soft" | "hard" = "hard") => ({
    node: "bp1",
    level: severity === "hard" ? "Fatal" : "Warn",
    severity,
    section: n === 0 ? "before the test" : "send a payment",
    message: `(Mina_lib) message ${n}`,
    timestamp: "2023-11-11 13:25:54.414332Z",
  });
  const eventIds = { table: "berkeley-2023-09", description: "Mina develop of 2023-09", source: "MinaProtocol/mina 9f068b1c3b", reason: "`mina version` says Commit 9f068b1c3b..." };
  const withLogs: TestReport = {
    ...base,
    outcome: "passed",
    sections: [{ name: "send a payment", status: "passed", durationMs: 1000 }],
    errors: [],
    eventIds,
    logErrors: { decideOutcome: false, soft: 1, hard: 1, afterStop: 3, listed: [logError(0), logError(1, "soft")], notListed: 0 },
  };

  it("text: says which table was used and why, and lists log errors with node, level, section and message, saying they did not decide", () => {
    const text = renderTextReport(withLogs);
    expect(text).toContain("event ids: table berkeley-2023-09 (`mina version` says Commit 9f068b1c3b...)");
    expect(text).toContain(
      "=== Node log errors: 1 hard (Error, Fatal), 1 soft (Warn, Faulty_peer); reported; they do not decide the outcome without --fail-on-log-errors; 3 more written after the engine asked their node to stop, not counted ===",
    );
    expect(text).toContain("[hard] Fatal bp1 / before the test: (Mina_lib) message 0");
    expect(text).toContain("[soft] Warn bp1 / send a payment: (Mina_lib) message 1");
    expect(text).not.toContain("=== Errors ===");
  });

  it("text: lists the first ones of many and says where the rest are", () => {
    const listed = Array.from({ length: 100 }, (_, i) => logError(i + 1));
    const text = renderTextReport({ ...withLogs, logErrors: { decideOutcome: true, soft: 0, hard: 150, afterStop: 0, listed, notListed: 50 } });
    expect(text).toContain("counted as test errors (--fail-on-log-errors)");
    expect(text).toContain("message 40");
    expect(text).not.toContain("message 41");
    expect(text).toContain("... and 110 more (report.json lists 100; logs/<node>.log has every line)");
    expect(renderTextReport({ ...withLogs, logErrors: { decideOutcome: false, soft: 0, hard: 0, afterStop: 0, listed: [], notListed: 0 } })).toContain("node log errors: none");
  });

  it("JUnit: the table as suite properties, and uncounted log errors as a passing test case that shows them", () => {
    const suites = parseXml(renderJunitReport(withLogs));
    const properties = all(suites, "property");
    expect(properties.map((p) => [p.attributes["name"], p.attributes["value"]])).toEqual([
      ["event_id_table", "berkeley-2023-09"],
      ["event_id_table_reason", "`mina version` says Commit 9f068b1c3b..."],
    ]);
    const cases = all(suites, "testcase");
    expect(cases.map((c) => c.attributes["name"])).toEqual(["send a payment", "node log errors (not counted)"]);
    expect(all(cases[1] as XmlElement, "failure")).toEqual([]);
    expect(all(cases[1] as XmlElement, "system-err")[0]?.text).toContain("Fatal bp1 / before the test: (Mina_lib) message 0");
    expect(all(suites, "testsuite")[0]?.attributes["failures"]).toBe("0");
  });
});
