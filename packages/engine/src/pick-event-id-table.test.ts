import { describe, expect, it } from "vitest";
import { MinaLocalError } from "./errors.js";
import { eventIdTable, newestEventIdTable } from "./event-id-tables.js";
import { minaEventId } from "./event-ids.js";
import { parseEventIdTableFile, parseMinaVersion, pickEventIdTable } from "./pick-event-id-table.js";

// The shape `mina internal dump-structured-events` prints: yojson of (string * id * string list) list
// (src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml, develop 2023-09).
const DUMP = JSON.stringify([
  ["src/lib/transition_handler/block_sink.ml.Block_received", "60076de624bf0c5fc0843b875001cf84", ["sender", "state_hash"]],
  ["src/lib/block_producer/block_producer.ml.Block_produced", "64e2d3e86c37c09b15efdaf7470ce879", []],
  ["src/lib/snark_worker/events.ml.Generating_snark_work_failed", "b7aa566605a5380907caba07282b7a44", ["error"]],
]);

describe("pickEventIdTable", () => {
  it("builds the table from the image's own dump", () => {
    const { table, reason } = pickEventIdTable({ dumpStructuredEvents: DUMP, versionOutput: "Commit 25388a0fed9695e8e9d04f75f50c2bae1c9c80db on branch compatible\n", imageName: "mina:x" });
    expect(table.name).toBe("dump:mina:x");
    expect(table.rows.map((r) => r.feeds)).toEqual([{ type: "Block_gossip", direction: "Received" }, { type: "Block_produced" }, { type: "Snark_work_failed" }]);
    expect(table.rows[1]).toMatchObject({ message: "Successfully produced a new block", level: "Info", declaredIn: "src/lib/block_producer/block_producer.ml" });
    expect(reason).toMatch(/lists its 3 structured events/);
  });

  it("a dump of a release's own events builds that release's table, row for row", () => {
    const berkeley = eventIdTable("berkeley-2023-09");
    const dump = JSON.stringify(berkeley.rows.map((r) => [`${r.declaredIn}.${r.constructor}`, r.id, []]));
    const { table, reason } = pickEventIdTable({ dumpStructuredEvents: dump, imageName: "sim" });
    expect(table.rows).toEqual(berkeley.rows);
    expect(reason).toMatch(/the same ids as berkeley-2023-09/);
  });

  it("accepts the --pretty dump and warnings printed before it", () => {
    const pretty = `Environment variable MINA_FOO not found\n${JSON.stringify(JSON.parse(DUMP), null, 2)}\n`;
    expect(pickEventIdTable({ dumpStructuredEvents: pretty }).table.rows).toHaveLength(3);
  });

  it("maps a known release commit to its table", () => {
    const { table, reason } = pickEventIdTable({ versionOutput: "Commit 25388a0fed9695e8e9d04f75f50c2bae1c9c80db on branch compatible\n" });
    expect(table.name).toBe("mainnet-1.3");
    expect(reason).toMatch(/Mina 1\.3\.1\.2/);
    expect(pickEventIdTable({ versionOutput: "Commit [DIRTY]9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop" }).table.name).toBe("berkeley-2023-09");
  });

  it("falls back on the image's name, then on the newest table, saying why", () => {
    expect(pickEventIdTable({ versionOutput: "mina: not found", imageName: "minaprotocol/mina-daemon:1.3.1.2-25388a0-bullseye-mainnet" }).table.name).toBe("mainnet-1.3");
    const fallback = pickEventIdTable({ versionOutput: "Commit 0123456789abcdef0123456789abcdef01234567 on branch feature\n", dumpStructuredEvents: "Unknown command internal" });
    expect(fallback.table).toBe(newestEventIdTable());
    expect(fallback.reason).toMatch(/dump-structured-events output was not readable/);
    expect(fallback.reason).toMatch(/commit 0123456789 \(branch feature\) is not a release we know/);
    expect(fallback.reason).toMatch(/--event-ids/);
    expect(pickEventIdTable({}).reason).toMatch(/version could not be read/);
  });

  it("reads Mina's version line", () => {
    expect(parseMinaVersion("Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\n")).toEqual({ commit: "9f068b1c3bdb328184c0c9af22a8a941d181304b", branch: "develop", dirty: false });
    expect(parseMinaVersion("1.3.1.2")).toBeUndefined();
  });
});

describe("parseEventIdTableFile", () => {
  it("reads a dump", () => {
    const table = parseEventIdTableFile(DUMP, "ids.json");
    expect(table.name).toBe("file:ids.json");
    expect(table.rows).toHaveLength(3);
  });

  it("reads our JSON table, computing missing ids and feeds", () => {
    const table = parseEventIdTableFile(
      JSON.stringify({
        description: "a fork",
        rows: [
          { constructor: "Block_produced", declaredIn: "src/lib/fork/block_producer.ml", level: "Info" },
          { constructor: "Custom", declaredIn: "src/lib/x.ml", message: "x", feeds: null },
        ],
      }),
      "fork.json",
    );
    expect(table.rows[0]).toMatchObject({ id: minaEventId("src/lib/fork/block_producer.ml", "Block_produced"), feeds: { type: "Block_produced" }, message: "Successfully produced a new block" });
    expect(table.rows[1]?.feeds).toBeUndefined();
    expect(table.description).toBe("a fork");
  });

  it("errors name the file, the field and what to do", () => {
    const bad = (text: string) => {
      try {
        parseEventIdTableFile(text, "ids.json");
      } catch (error) {
        expect(error).toBeInstanceOf(MinaLocalError);
        return (error as MinaLocalError).message + " | " + ((error as MinaLocalError).hint ?? "");
      }
      throw new Error("no error");
    };
    expect(bad("")).toMatch(/^ids.json: the file is empty/);
    expect(bad("{ nope")).toMatch(/^ids.json: not valid JSON/);
    expect(bad(JSON.stringify({ rows: [{ constructor: "A", declaredIn: "src/a.ml", id: "00000000000000000000000000000000" }] }))).toMatch(/rows\.0\.id: 0+ is not Mina's id of src\/a\.ml\.A/);
    expect(bad(JSON.stringify({ rows: [{ constructor: "A", declaredIn: "src/a.ml", feeds: { type: "Catchup_complete" } }] }))).toMatch(/rows\.0\.feeds\.type/);
    expect(bad(JSON.stringify([["src/a.ml.A", 5, []]]))).toMatch(/^ids.json: entry 0\.1/);
    expect(bad('[["noconstructor", "x", []]]')).toMatch(/not <file>\.<Constructor>/);
    expect(bad('[["noconstructor", "x", []]]')).toMatch(/dump-structured-events/);
  });

  it("the built-in tables are found by name", () => {
    expect(eventIdTable("mainnet-1.3").rows.length).toBeGreaterThan(10);
  });
});
