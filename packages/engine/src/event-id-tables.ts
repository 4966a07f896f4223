import { MinaLocalError } from "./errors.js";
import type { EventIdTable } from "./event-ids.js";
import { BERKELEY_2023_09 } from "./event-id-tables/berkeley-2023-09.js";
import { DEVELOP_NEWEST } from "./event-id-tables/develop-newest.js";
import { MAINNET_1_3 } from "./event-id-tables/mainnet-1.3.js";

/** The built-in tables, oldest line first; the last one is the newest line we could establish. */
export const EVENT_ID_TABLES: readonly EventIdTable[] = [MAINNET_1_3, BERKELEY_2023_09, DEVELOP_NEWEST];

/** The simulator emulates Mina develop of 2023-09: it writes this table's ids and must be picked for it. */
export const SIMULATOR_EVENT_ID_TABLE_NAME = "berkeley-2023-09";

export function newestEventIdTable(): EventIdTable {
  const newest = EVENT_ID_TABLES.at(-1);
  if (newest === undefined) throw new MinaLocalError("internal", "no built-in event id table");
  return newest;
}

/** A built-in table by name; throws MinaLocalError for an unknown name. */
export function eventIdTable(name: string): EventIdTable {
  const table = EVENT_ID_TABLES.find((t) => t.name === name);
  if (table === undefined) {
    throw new MinaLocalError("invalid-arguments", `unknown event id table "${name}"`, {
      hint: `built-in tables: ${EVENT_ID_TABLES.map((t) => t.name).join(", ")}; or pass --event-ids <file>`,
    });
  }
  return table;
}
