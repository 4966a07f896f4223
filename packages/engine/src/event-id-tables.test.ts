import { describe, expect, it } from "vitest";
import { EVENT_ID_TABLES, SIMULATOR_EVENT_ID_TABLE_NAME, eventIdTable } from "./event-id-tables.js";
import { MINA_EVENT_TYPES, minaEventId, rowFeeding } from "./event-ids.js";

describe("Mina's event ids", () => {
  it("are the MD5 of <path>.<Constructor>, as a real daemon writes them", () => {
    // the event_id of real "Successfully produced a new block" lines since 2020 (MinaProtocol/mina issues)
    expect(minaEventId("src/lib/block_producer/block_producer.ml", "Block_produced")).toBe("64e2d3e86c37c09b15efdaf7470ce879");
    // "Mina daemon is bootstrapping", MinaProtocol/mina#9239
    expect(minaEventId("src/lib/mina_lib/mina_lib.ml", "Bootstrapping")).toBe("caeba1d8ced251138e39c58355587526");
  });

  for (const table of EVENT_ID_TABLES) {
    describe(table.name, () => {
      it.each(table.rows.map((r) => [`${r.declaredIn}.${r.constructor}`, r] as const))("%s has Mina's id", (_, row) => {
        expect(row.id).toBe(minaEventId(row.declaredIn, row.constructor));
        expect(row.declaredIn).toMatch(/^src\/(lib|app)\/.+\.ml(\.[A-Z][A-Za-z0-9_]*)*$/);
      });
      it("holds each id once", () => {
        expect(new Set(table.rows.map((r) => r.id)).size).toBe(table.rows.length);
      });
      it("is found by its name", () => {
        expect(eventIdTable(table.name)).toBe(table);
      });
    });
  }

  it("berkeley-2023-09 feeds every daemon event of event_type.ml (all but Log_error and Node_offline)", () => {
    const table = eventIdTable("berkeley-2023-09");
    const daemonEvents = MINA_EVENT_TYPES.filter((t) => t !== "Log_error" && t !== "Node_offline");
    for (const type of daemonEvents) expect(rowFeeding(table, type), type).toBeDefined();
    for (const type of ["Block_gossip", "Snark_work_gossip", "Transactions_gossip"] as const) {
      expect(rowFeeding(table, type, "Received"), type).toBeDefined();
      expect(rowFeeding(table, type, "Sent"), type).toBeDefined();
    }
  });

  it("mainnet-1.3 has no persistence events, no Bootstrap_required and no Snark_work_failed (event_type.ml at 1.3.1.2)", () => {
    const table = eventIdTable("mainnet-1.3");
    for (const type of [
      "Persisted_frontier_loaded",
      "Persisted_frontier_fresh_boot",
      "Persisted_frontier_dropped",
      "Transition_frontier_loaded_from_persistence",
      "Bootstrap_required",
      "Snark_work_failed",
    ] as const) {
      expect(rowFeeding(table, type), type).toBeUndefined();
    }
    expect(rowFeeding(table, "Block_gossip", "Received")?.id).toBe("b7fa8b10ff17b32b1aa2e2ef508ba811");
  });

  it("the simulator's table is built in", () => {
    expect(eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME).name).toBe("berkeley-2023-09");
  });

  it("an unknown table name is an error naming the built-in tables", () => {
    expect(() => eventIdTable("mainnet-0.1")).toThrow(/unknown event id table "mainnet-0.1"/);
  });
});

describe("develop-newest", () => {
  it("moved Snark_work_failed to snark_worker/events.ml (event_type.ml's Snark_worker.Events)", () => {
    const table = eventIdTable("develop-newest");
    expect(rowFeeding(table, "Snark_work_failed")).toMatchObject({ declaredIn: "src/lib/snark_worker/events.ml", id: "b7aa566605a5380907caba07282b7a44" });
    expect(rowFeeding(table, "Block_produced")?.id).toBe("64e2d3e86c37c09b15efdaf7470ce879");
  });
});
