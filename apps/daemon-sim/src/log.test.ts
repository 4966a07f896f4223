import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventIdTable, parseDumpStructuredEvents, pickEventIdTable, SIMULATOR_EVENT_ID_TABLE_NAME, type EventIdTable } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { eventRows, Logger, minaTimestamp } from "./log.js";
import { EVENTS, LINES } from "./mina-sites.js";
import { dumpStructuredEvents, registeredEvents } from "./structured-events.js";
import { linesOutsideMina } from "./testing/mina-lines.js";
import { versionLine } from "./version.js";

const table = eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME);

function capture(level: Parameters<typeof Logger.prototype.sim>[1], extra: Partial<ConstructorParameters<typeof Logger>[0]> = {}) {
  const lines: string[] = [];
  const logger = new Logger({ json: true, level, table, write: (l) => lines.push(l.trimEnd()), now: () => 1_699_709_154_414_332n, ...extra });
  return { logger, lines };
}

describe("the simulator's log lines", () => {
  it("writes an event as Mina does: key order, Mina's id and message, sorted metadata, the timestamp to the microsecond", () => {
    const { logger, lines } = capture("Trace");
    logger.appendGlobalMetadata({ peer_id: "12D3KooWtest", host: "10.0.0.2", port: 8302 });
    logger.event(EVENTS.blockReceived, { state_hash: "3NKtest", sender: "Local" }, { external_transition: { protocol_state: {} } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      '{"timestamp":"2023-11-11 13:25:54.414332Z","level":"Info","source":{"module":"Transition_handler__Block_sink","location":"File \\"src/lib/transition_handler/block_sink.ml\\", line 111, characters 8-23"},' +
        '"message":"Received a block from $sender","metadata":{"external_transition":{"protocol_state":{}},"host":"10.0.0.2","peer_id":"12D3KooWtest","port":8302,"sender":"Local","state_hash":"3NKtest"},"event_id":"60076de624bf0c5fc0843b875001cf84"}',
    );
    expect(linesOutsideMina(lines, table)).toEqual([]);
  });

  it("leaves event_id out of plain lines, and honours -log-level for stdout and -file-log-level for the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-log-"));
    try {
      const file = join(dir, "mina.log");
      const { logger, lines } = capture("Info", { file: { path: file, level: "Trace" } });
      logger.event(EVENTS.applyingDiffs, { diffs: [{ New_node: "3NKa" }] });
      logger.line(LINES.successfullyLoadedFrontier);
      expect(lines.map((l) => JSON.parse(l).message)).toEqual(["Successfully loaded frontier"]);
      expect(Object.keys(JSON.parse(lines[0] as string))).toEqual(["timestamp", "level", "source", "message", "metadata"]);
      const written = readFileSync(file, "utf8").trim().split("\n");
      expect(written.map((l) => JSON.parse(l).message)).toEqual(["Applying diffs: $diffs", "Successfully loaded frontier"]);
      expect(linesOutsideMina(written, table)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pads microseconds and keeps the UTC date", () => {
    expect(minaTimestamp(1_700_000_000_000_007n)).toBe("2023-11-14 22:13:20.000007Z");
  });

  it("refuses a table that lacks one of its events, rather than inventing an id", () => {
    const partial: EventIdTable = { ...table, rows: table.rows.filter((r) => r.constructor !== "Block_produced") };
    expect(() => eventRows(partial)).toThrow(/lacks src\/lib\/block_producer\/block_producer.ml.Block_produced/);
  });

  it("catches a line outside Mina's shape (the check the network tests rely on)", () => {
    const good = capture("Trace");
    good.logger.event(EVENTS.synced);
    const line = JSON.parse(good.lines[0] as string) as Record<string, unknown>;
    const variants = [
      JSON.stringify({ ...line, level: "Debug" }),
      JSON.stringify({ ...line, message: "Synced" }),
      JSON.stringify({ ...line, event_id: "0".repeat(32) }),
      JSON.stringify({ level: line.level, timestamp: line.timestamp, source: line.source, message: line.message, metadata: line.metadata }),
      JSON.stringify({ ...line, metadata: { b: 1, a: 2 } }),
      JSON.stringify({ ...line, message: "Mina daemon is $mood", event_id: undefined }),
    ];
    expect(linesOutsideMina(variants, table)).toHaveLength(variants.length);
  });
});

describe("what the simulator says it is", () => {
  it("prints Mina's version line with develop 2023-09's commit, which the engine maps to the berkeley-2023-09 table", () => {
    expect(versionLine()).toMatch(/^Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch mina-local-daemon-sim-[0-9.]+\n$/);
    expect(pickEventIdTable({ versionOutput: versionLine() }).table.name).toBe("berkeley-2023-09");
  });

  it("dumps its structured events as Mina's dump-structured-events does, with the table's ids", () => {
    const text = dumpStructuredEvents(false);
    expect(text.startsWith("[[")).toBe(true);
    const dumped = parseDumpStructuredEvents(text, "dump:sim", "test");
    const byId = new Map(table.rows.map((r) => [r.id, r]));
    // the dump carries paths and ids only (the engine fills messages in from its newest table declaring each)
    for (const row of dumped.rows) expect(byId.get(row.id)).toMatchObject({ constructor: row.constructor, declaredIn: row.declaredIn });
    const constructors = registeredEvents().map(([path]) => path.slice(path.lastIndexOf(".") + 1));
    expect(constructors).toEqual(expect.arrayContaining(["Block_produced", "Applying_diffs", "Added_breadcrumb_user_commands", "Block_received", "Starting_transition_frontier_controller"]));
    expect(new Set(constructors).size).toBe(constructors.length);
    expect(JSON.parse(dumpStructuredEvents(true))).toEqual(JSON.parse(text));
    // the engine picks a table from the dump whose ids are all the berkeley-2023-09 table's
    const picked = pickEventIdTable({ dumpStructuredEvents: text, versionOutput: versionLine(), imageName: "sim" });
    expect(picked.table.rows.map((r) => r.id).sort()).toEqual(dumped.rows.map((r) => r.id).sort());
    expect(picked.table.rows.every((r) => byId.has(r.id))).toBe(true);
  });
});
