import { readFileSync } from "node:fs";
import { MinaLocalError, parseEventIdTableFile, pickEventIdTable, type EventIdTable } from "@mina-local/engine";
import { connectDocker, probeMinaImage } from "@mina-local/swarm-manager";
import type { EventIdChoice } from "../report/model.js";

/** How long each of the image's two commands (`mina version`, `mina internal dump-structured-events`) may take. */
const PROBE_TIMEOUT_MS = 30_000;

export interface PickedTable {
  table: EventIdTable;
  choice: EventIdChoice;
}

/**
 * The event-id table of the run: the user's `--event-ids <file>`, else the one the image's
 * own words point to (engine's pickEventIdTable over what `probeMinaImage` read).
 */
export async function eventIdTableForRun(image: string, eventIdsFile: string | undefined): Promise<PickedTable> {
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
  const docker = await connectDocker();
  const probe = await probeMinaImage(docker, image, { timeoutMs: PROBE_TIMEOUT_MS });
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
