import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MinaLocalError } from "@mina-local/engine";
import { eventIdTableForRun } from "./event-ids.js";
import { StopLog } from "./stop-log.js";

const dir = mkdtempSync(join(tmpdir(), "event-ids-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("eventIdTableForRun with --event-ids", () => {
  it("reads the output of `mina internal dump-structured-events` and says it came from the file", async () => {
    const file = join(dir, "dump.json");
    // two rows as Mina's dump prints them: [event path, id, argument names]
    writeFileSync(file, JSON.stringify([
      ["src/lib/block_producer/block_producer.ml.Block_produced", "64e2d3e86c37c09b15efdaf7470ce879", ["breadcrumb"]],
      ["src/lib/transition_handler/block_sink.ml.Block_received", "60076de624bf0c5fc0843b875001cf84", ["state_hash", "sender"]],
    ]));
    const { table, choice } = await eventIdTableForRun("any/image:1", file);
    expect(table.rows.map((r) => [r.constructor, r.id, r.feeds?.type])).toEqual([
      ["Block_produced", "64e2d3e86c37c09b15efdaf7470ce879", "Block_produced"],
      ["Block_received", "60076de624bf0c5fc0843b875001cf84", "Block_gossip"],
    ]);
    expect(choice).toMatchObject({ table: table.name, reason: `--event-ids ${file} (2 events)` });
  });

  it("names --event-ids and the file when it cannot be read, and the file when it is not a table", async () => {
    const missing = join(dir, "absent.json");
    const error = await eventIdTableForRun("any/image:1", missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MinaLocalError);
    expect((error as MinaLocalError).message).toBe(`--event-ids: cannot read ${missing}: ENOENT`);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "");
    await expect(eventIdTableForRun("any/image:1", bad)).rejects.toThrow(/empty/);
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
