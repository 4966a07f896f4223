import { readFileSync } from "node:fs";
import { MinaLocalError, parseEventIdTableFile, pickEventIdTable, type EventIdTable } from "@mina-local/engine";
import type { MinaImageProbe } from "@mina-local/swarm-manager";
import type { EventIdChoice } from "../report/model.js";

export interface PickedTable {
  table: EventIdTable;
  choice: EventIdChoice;
}

/**
 * The event-id table of the run: the user's `--event-ids <file>`, else the one the image's
 * own words point to (engine's pickEventIdTable over what `probeMinaImage` read when the image
 * was run once).
 */
export function eventIdTableForRun(image: string, eventIdsFile: string | undefined, probe: MinaImageProbe): PickedTable {
  if (eventIdsFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(eventIdsFile, "utf8");
    } catch (cause) {
      throw new MinaLocalError("invalid-arguments", `--event-ids: cannot read ${eventIdsFile}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
        hint: "give the path of a file holding the output of `mina internal dump-structured-events` (or mina-local's JSON table)",
        cause,
      });
    }
    const table = parseEventIdTableFile(text, eventIdsFile);
    return { table, choice: choiceOf(table, `--event-ids ${eventIdsFile} (${table.rows.length} events)`) };
  }
  const { table, reason } = pickEventIdTable({
    imageName: image,
    ...(probe.version !== undefined && { versionOutput: probe.version }),
    ...(probe.structuredEvents !== undefined && { dumpStructuredEvents: probe.structuredEvents }),
  });
  const problems = probe.problems.length > 0 ? ` [probing the image: ${probe.problems.join("; ")}]` : "";
  return { table, choice: choiceOf(table, `${reason}${problems}`) };
}

function choiceOf(table: EventIdTable, reason: string): EventIdChoice {
  return { table: table.name, description: table.description, source: table.source, reason };
}

/**
 * The ids Mina's newest engine passes as `--start-filtered-logs`: every event of the table that
 * the executive reads. Only daemons of the newest line take that flag (develop 9f068b1c3b's
 * mina_cli_entrypoint.ml has none, and a daemon refuses a flag it does not know), so for any
 * other table, a dump's or a file's included, none are passed: the events are read from the
 * daemons' stdout either way.
 */
export function executiveEventIds(table: EventIdTable): string[] {
  if (table.name !== "develop-newest") return [];
  return table.rows.filter((row) => row.feeds !== undefined).map((row) => row.id);
}
