import { eventIdOf } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { FilteredLog } from "./filtered-log.js";
import { Logger } from "./log.js";

describe("the filtered log (Mina's startFilteredLog)", () => {
  it("captures the events asked for whatever the log level, and only those", () => {
    const capture = new FilteredLog();
    const printed: string[] = [];
    const logger = new Logger({ json: true, level: "Fatal", capture, write: (line) => printed.push(line) });
    logger.event("Block_produced", "Block_producer", { breadcrumb: {} });
    expect(capture.entries(0)).toEqual({ logMessages: [], isCapturing: false });

    expect(capture.start([eventIdOf("Block_produced")])).toBe(true);
    logger.event("Block_produced", "Block_producer", { breadcrumb: { state_hash: "3N" } });
    logger.event("Node_initialization", "Mina_cli_entrypoint", {});
    logger.info("Mina_lib", "not a structured event");
    const { logMessages, isCapturing } = capture.entries(0);
    expect(isCapturing).toBe(true);
    expect(logMessages.map((m) => JSON.parse(m) as { event_id: string; metadata: unknown })).toMatchObject([
      { event_id: eventIdOf("Block_produced"), metadata: { breadcrumb: { state_hash: "3N" } } },
    ]);
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
