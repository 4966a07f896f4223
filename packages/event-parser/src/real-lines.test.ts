import { eventIdTable } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { parseLine } from "./index.js";
import { stripLogPrefix } from "./read-log.js";
import { REAL_LINES } from "./testing/real-lines.js";

describe("real daemon lines from Mina's issue tracker", () => {
  it("there are at least 30, from several releases, levels and kinds", () => {
    expect(REAL_LINES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(REAL_LINES.map((l) => l.release.slice(0, 4))).size).toBeGreaterThanOrEqual(6);
    const levels = new Set(REAL_LINES.map((l) => /"level":"(\w+)"/.exec(l.posted)?.[1] ?? /\[(\w+)\]/.exec(l.posted)?.[1]));
    for (const level of ["Debug", "Info", "Warn", "Error", "Fatal"]) expect(levels, level).toContain(level);
  });

  it.each(REAL_LINES.map((l, i) => [`${i + 1} ${l.source.replace("https://github.com/MinaProtocol/mina/", "")} ${l.release}`, l] as const))("%s gives what Mina's executive derives", (_, real) => {
    const { text, prefixed } = stripLogPrefix(real.posted);
    if (real.prefix !== undefined) {
      expect(real.posted.startsWith(real.prefix)).toBe(true);
      expect(prefixed).toBe(true);
      expect(text).toBe(real.posted.slice(real.prefix.length));
    } else {
      expect(prefixed).toBe(false);
    }
    const parsed = parseLine(text, { table: eventIdTable(real.table) });
    const expected = real.expect;
    if ("text" in expected) {
      expect(parsed.kind).toBe("text");
    } else if ("log" in expected) {
      expect(parsed.kind).toBe("log");
      if (parsed.kind !== "log") return;
      expect(parsed.row?.constructor).toBe(expected.registered);
    } else {
      expect(parsed.kind).toBe("event");
      if (parsed.kind !== "event") return;
      expect(parsed.events.map((e) => e.type)).toEqual(expected.events);
      expect(parsed.level).toBe(expected.level);
    }
    // a JSON line among them is one whole line: it parses under every table, never as an error
    for (const name of ["mainnet-1.3", "berkeley-2023-09", "develop-newest"]) expect(parseLine(text, { table: eventIdTable(name) }).kind).not.toBe("error");
  });
});
