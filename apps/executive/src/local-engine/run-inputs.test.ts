import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MinaLocalError, eventIdTable, SIMULATOR_EVENT_ID_TABLE_NAME } from "@mina-local/engine";
import { eventIdTableForRun, executiveEventIds } from "./event-ids.js";
import { StopLog } from "./stop-log.js";

const dir = mkdtempSync(join(tmpdir(), "event-ids-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NO_PROBE = { problems: [] };

describe("eventIdTableForRun", () => {
  it("reads --event-ids: the output of `mina internal dump-structured-events`, and says it came from the file", () => {
    const file = join(dir, "dump.json");
    // two rows as Mina's dump prints them: [event path, id, argument names]
    writeFileSync(
      file,
      JSON.stringify([
        ["src/lib/block_producer/block_producer.ml.Block_produced", "64e2d3e86c37c09b15efdaf7470ce879", ["breadcrumb"]],
        ["src/lib/transition_handler/block_sink.ml.Block_received", "60076de624bf0c5fc0843b875001cf84", ["state_hash", "sender"]],
      ]),
    );
    const { table, choice } = eventIdTableForRun("any/image:1", file, NO_PROBE);
    expect(table.rows.map((r) => [r.constructor, r.id, r.feeds?.type])).toEqual([
      ["Block_produced", "64e2d3e86c37c09b15efdaf7470ce879", "Block_produced"],
      ["Block_received", "60076de624bf0c5fc0843b875001cf84", "Block_gossip"],
    ]);
    expect(choice).toMatchObject({ table: table.name, reason: `--event-ids ${file} (2 events)` });
  });

  it("names --event-ids and the file when it cannot be read, and the file when it is not a table", () => {
    const missing = join(dir, "absent.json");
    let error: unknown;
    try {
      eventIdTableForRun("any/image:1", missing, NO_PROBE);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MinaLocalError);
    expect((error as MinaLocalError).message).toBe(`--event-ids: cannot read ${missing}: ENOENT`);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "");
    expect(() => eventIdTableForRun("any/image:1", bad, NO_PROBE)).toThrow(/empty/);
  });

  it("without --event-ids takes the table the image's own version line points to", () => {
    const { table, choice } = eventIdTableForRun("any/image:1", undefined, { version: "Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\n", problems: [] });
    expect(table.name).toBe("berkeley-2023-09");
    expect(choice.reason).toMatch(/9f068b1c3b/);
  });
});

describe("executiveEventIds (--start-filtered-logs)", () => {
  it("passes none to a daemon of a line whose CLI has no such flag (develop 2023-09, mainnet 1.3)", () => {
    expect(executiveEventIds(eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME))).toEqual([]);
    expect(executiveEventIds(eventIdTable("mainnet-1.3"))).toEqual([]);
  });

  it("passes the newest line the id of every event of the table the executive reads, as 32 hex digits, and no other", () => {
    const table = eventIdTable("develop-newest");
    const ids = executiveEventIds(table);
    expect(ids).toContain("64e2d3e86c37c09b15efdaf7470ce879"); // Block_produced
    expect(ids).toContain("ef1182dc30f3e0aa9f6bf11c0ab90ba6"); // Applying_diffs
    expect(ids).not.toContain("caeba1d8ced251138e39c58355587526"); // Bootstrapping: registered, read by no executive event
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("StopLog", () => {
  it("opens a window at each stop request and closes it at the next start request; teardown opens one for every node", () => {
    const log = new StopLog();
    log.stopRequested("bp1", 100);
    log.stopRequested("bp1", 150);
    log.startRequested("bp1", 200);
    log.startRequested("seed", 210);
    log.allStopRequested(["bp1", "seed"], 900);
    expect(log.stops).toEqual([
      { node: "bp1", from: 100, until: 200 },
      { node: "bp1", from: 900 },
      { node: "seed", from: 900 },
    ]);
  });
});
