import { eventIdTable, SIMULATOR_EVENT_ID_TABLE_NAME } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { FilteredLog } from "./filtered-log.js";
import { Logger } from "./log.js";
import { EVENTS, LINES } from "./mina-sites.js";

const table = eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME);
const idOf = (constructor: string) => table.rows.find((r) => r.constructor === constructor)?.id as string;

describe("the filtered log (Mina's startFilteredLog)", () => {
  it("captures the events asked for whatever the log level, and only those", () => {
    const capture = new FilteredLog();
    const printed: string[] = [];
    const logger = new Logger({ json: true, level: "Fatal", table, capture, write: (line) => printed.push(line) });
    logger.event(EVENTS.blockProduced, {}, { breadcrumb: {} });
    expect(capture.entries(0)).toEqual({ logMessages: [], isCapturing: false });

    expect(capture.start([idOf("Block_produced")])).toBe(true);
    logger.event(EVENTS.blockProduced, {}, { breadcrumb: { state_hash: "3N" } });
    logger.event(EVENTS.startingTransitionFrontierController);
    logger.line(LINES.daemonReady);
    const { logMessages, isCapturing } = capture.entries(0);
    expect(isCapturing).toBe(true);
    expect(logMessages.map((m) => JSON.parse(m) as { event_id: string; metadata: unknown })).toMatchObject([{ event_id: idOf("Block_produced"), metadata: { breadcrumb: { state_hash: "3N" } } }]);
    expect(printed).toEqual([]);
  });

  it("keeps its first filter when started again, and pages by offset", () => {
    const capture = new FilteredLog();
    expect(capture.start(["a"])).toBe(true);
    expect(capture.start(["b"])).toBe(false);
    expect(capture.wants("a")).toBe(true);
    expect(capture.wants("b")).toBe(false);
    for (const line of ["1", "2", "3"]) capture.record(line);
    expect(capture.entries(1).logMessages).toEqual(["2", "3"]);
    expect(capture.entries(5).logMessages).toEqual([]);
  });
});
