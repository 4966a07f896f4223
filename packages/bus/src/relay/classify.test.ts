import { describe, expect, it } from "vitest";
import { lineClassifier, parserNeeds } from "./classify.js";
import type { LineKind } from "./classify.js";

const LEVELS = ["Spam", "Trace", "Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"];
const classify = lineClassifier({ levels: LEVELS, eventLevels: ["Warn", "Error", "Fatal", "Faulty_peer"], templates: ["Broadcasting new state over gossip net", 'Received "$x" from $sender'] });
const kind = (line: string | Buffer): LineKind => classify(typeof line === "string" ? Buffer.from(line) : line);

// Mina's key order and spelling (Yojson, compact): timestamp, level, source, message, metadata, event_id
function minaLine(fields: { level?: string; message?: string; metadata?: unknown; eventId?: string | null; module?: string } = {}): string {
  return JSON.stringify({
    timestamp: "2026-11-26 12:00:00.123456Z",
    level: fields.level ?? "Trace",
    source: { module: fields.module ?? "Mina_networking", location: 'File "src/lib/mina_networking/mina_networking.ml", line 1009, characters 8-19' },
    message: fields.message ?? "Peer $peer sent $n messages",
    metadata: fields.metadata ?? { peer: { host: "10.0.1.5" }, n: 3 },
    ...(fields.eventId === undefined ? {} : { event_id: fields.eventId }),
  });
}

describe("lineClassifier (the relay's byte scan before the event parser)", () => {
  it("calls a well-formed Trace line with no event plain", () => {
    expect(kind(minaLine())).toBe("plain");
    expect(kind(minaLine({ eventId: null }))).toBe("plain");
    expect(kind(`  ${minaLine()}\r`)).toBe("plain");
  });

  it("hands over lines with an event id, an error level, a puppeteer event or an event's message", () => {
    expect(kind(minaLine({ eventId: "7ac0d2b6a3f7d7d8b5c3e1a2f4d6c8b0" }))).toBe("may-be-event");
    for (const level of ["Warn", "Error", "Fatal", "Faulty_peer"]) expect(kind(minaLine({ level }))).toBe("may-be-event");
    expect(kind(minaLine({ metadata: { puppeteer_event_type: "node_started" } }))).toBe("may-be-event");
    expect(kind(minaLine({ message: "Broadcasting new state over gossip net" }))).toBe("may-be-event");
    // a template with characters JSON escapes, written escaped and with an escape Mina does not use
    expect(kind(minaLine({ message: 'Received "$x" from $sender' }))).toBe("may-be-event");
    expect(kind(minaLine().replace('"Peer $peer sent $n messages"', '"Broadcasting new state over gossip ne\\u0074"'))).toBe("may-be-event");
  });

  it("looks at top-level keys only: the same words inside strings or nested metadata change nothing", () => {
    expect(kind(minaLine({ message: 'saw "level":"Error" and "event_id":"x" in a string' }))).toBe("plain");
    expect(kind(minaLine({ metadata: { level: "Error", event_id: "abc", message: "Broadcasting new state over gossip net" } }))).toBe("plain");
    expect(kind(minaLine({ metadata: { list: [{ level: "Fatal" }], text: "}{][" } }))).toBe("plain");
  });

  it("hands over what a byte scan cannot decide: a key given twice, an escaped key, an odd event_id", () => {
    expect(kind(minaLine().replace('"level":"Trace"', '"level":"Trace","level":"Error"'))).toBe("may-be-event");
    expect(kind(minaLine().replace('"level"', '"lev\\u0065l"'))).toBe("may-be-event");
    expect(kind(minaLine().replace('"level":"Trace"', '"level":"Tr\\u0061ce"'))).toBe("may-be-event");
    expect(kind(minaLine().replace('"metadata"', '"event_id":42,"metadata"'))).toBe("may-be-event");
    expect(kind(minaLine({ metadata: { puppeteer_event_type: 1 } }))).toBe("may-be-event");
  });

  it("tells lines that are not one JSON object from Mina lines with a wrong shape", () => {
    for (const line of ["plain text from a shell script", "[1,2]", '{"a":1} trailing', '{"a":"unclosed}', '{"a":{"b":1}', '{"a":1}}', `{"a":"tab\tinside"}`, "{", "}{"]) {
      expect(kind(line), line).toBe("not-json");
    }
    expect(kind('{"a":1}')).toBe("malformed");
    expect(kind(minaLine({ level: "Verbose" }))).toBe("malformed");
    expect(kind(minaLine().replace('"metadata":{', '"metadata":[').replace(/}}$/, "]}"))).toBe("malformed");
    expect(kind(minaLine().replace(/"source":\{[^}]*\}/, '"source":{"location":"x"}'))).toBe("malformed");
    expect(kind(minaLine().replace(/"timestamp":"[^"]*"/, '"timestamp":1'))).toBe("malformed");
  });

  it("counts blank lines as blank, and keeps invalid UTF-8 as any other byte", () => {
    expect(kind("")).toBe("blank");
    expect(kind(" \t\r")).toBe("blank");
    const bytes = Buffer.concat([Buffer.from(minaLine().slice(0, -2)), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    // the metadata's last value is now a string ending in two invalid bytes: still one object
    expect(kind(Buffer.from(minaLine({ metadata: { x: "ok" } }).replace('"ok"', '"o\u00ffk"'), "latin1"))).toBe("plain");
    expect(["not-json", "malformed", "plain"]).toContain(kind(bytes));
  });

  it("hands the parser exactly the kinds it must see", () => {
    expect(["blank", "not-json", "malformed", "may-be-event", "plain"].filter((k) => parserNeeds(k as LineKind))).toEqual(["not-json", "malformed", "may-be-event"]);
  });
});
