import { eventIdTable, SIMULATOR_EVENT_ID_TABLE_NAME } from "@mina-local/engine";
import { eventRows } from "./log.js";
import { EVENTS, type EventSite } from "./mina-sites.js";

/**
 * The structured events the simulator registers (every event it can log), as Mina's
 * `mina internal dump-structured-events` lists a daemon's (mina_cli_entrypoint.ml;
 * Structured_log_events.dump_registered_events): `[[event_path, id, [argument names]], ...]`,
 * newest registration first as Mina's registry prepends, arguments sorted (String.Set.to_list).
 */
export function registeredEvents(): [string, string, string[]][] {
  const rows = eventRows(eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME));
  const byPath = new Map<string, [string, string, string[]]>();
  for (const site of Object.values(EVENTS as Record<string, EventSite>)) {
    const row = rows.get(site.event);
    if (row && !byPath.has(site.event)) byPath.set(site.event, [site.event, row.id, [...site.arguments].sort()]);
  }
  return [...byPath.values()].reverse();
}

/** Yojson.Safe.to_channel (compact, no newline) or pretty_to_channel (-pretty). */
export function dumpStructuredEvents(pretty: boolean): string {
  const events = registeredEvents();
  return pretty ? JSON.stringify(events, null, 2) : JSON.stringify(events);
}
