import { describe, expect, it } from "vitest";
import { dumpTables } from "./archive-dump.js";

// the shape pg_dump 15 writes (COPY blocks of a plain dump)
const DUMP = [
  "-- PostgreSQL database dump",
  "COPY public.blocks (id, state_hash, parent_id, height, chain_status) FROM stdin;",
  "1\t3NKgenesis\t\\N\t1\tcanonical",
  "2\t3NKchild\t1\t2\tpending",
  "\\.",
  "",
  "COPY public.public_keys (id, value) FROM stdin;",
  "1\tB62qa\\tb",
  "\\.",
  "COPY public.user_commands (id, hash) FROM stdin;",
  "\\.",
].join("\n");

describe("dumpTables", () => {
  it("reads each COPY section into rows keyed by column, NULL as null", () => {
    const tables = dumpTables(DUMP);
    expect(tables.get("blocks")).toEqual([
      { id: "1", state_hash: "3NKgenesis", parent_id: null, height: "1", chain_status: "canonical" },
      { id: "2", state_hash: "3NKchild", parent_id: "1", height: "2", chain_status: "pending" },
    ]);
    expect(tables.get("public_keys")).toEqual([{ id: "1", value: "B62qa\tb" }]);
    expect(tables.get("user_commands")).toEqual([]);
    expect(tables.has("accounts_accessed")).toBe(false);
  });
});
