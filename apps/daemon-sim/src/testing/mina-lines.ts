import type { EventIdTable } from "@mina-local/engine";
import { parseLine } from "@mina-local/event-parser";

/** Mina's key order of a log line (Logger.Message.to_yojson, src/lib/logger/native/logger.ml). */
const KEY_ORDER = ["timestamp", "level", "source", "message", "metadata", "event_id"];
const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z$/;
const LOCATION = /^File "[^"]+\.(ml|ts)", line \d+, characters \d+-\d+$/;

/**
 * Checks lines a simulator wrote against Mina's line shape and an event-id table: every line is
 * Mina's JSON (key order, timestamp, `source` but on Spam, sorted metadata, every `$name` of the
 * message in the metadata, as Logger.Message.check_invariants demands), and every line with an
 * `event_id` carries an id of the table with that row's message and level, and the event parser
 * reads it without a Parse_error (its payload decodes as the executive decodes Mina's). Returns the
 * problems, each naming the line.
 */
export function linesOutsideMina(raw: readonly string[], table: EventIdTable): string[] {
  const rows = new Map(table.rows.map((row) => [row.id, row]));
  const problems: string[] = [];
  for (const text of raw) {
    const problem = lineProblem(text, rows) ?? parserProblem(text, table, rows);
    if (problem) problems.push(`${problem}: ${text.slice(0, 300)}`);
  }
  return problems;
}

/** The parser reads the line without an error, and an event the executive uses as that event. */
function parserProblem(text: string, table: EventIdTable, rows: Map<string, EventIdTable["rows"][number]>): string | undefined {
  const parsed = parseLine(text, { table, full: true });
  if (parsed.kind === "error") return `the event parser rejects it (${parsed.problem}: ${parsed.reason})`;
  const id = /"event_id":"([0-9a-f]{32})"/.exec(text)?.[1];
  const feeds = id === undefined ? undefined : rows.get(id)?.feeds;
  if (feeds && (parsed.kind !== "event" || !parsed.events.some((e) => e.type === feeds.type))) return `the event parser does not read it as ${feeds.type}`;
  return undefined;
}

function lineProblem(text: string, rows: Map<string, EventIdTable["rows"][number]>): string | undefined {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return "not JSON";
  }
  const keys = Object.keys(line);
  const expected = KEY_ORDER.filter((k) => k in line);
  if (keys.join(",") !== expected.join(",")) return `keys ${keys.join(",")} are not in Mina's order`;
  for (const required of ["timestamp", "level", "message", "metadata"]) if (!(required in line)) return `no ${required}`;
  if (typeof line.timestamp !== "string" || !TIMESTAMP.test(line.timestamp)) return `timestamp ${String(line.timestamp)} is not Mina's`;
  const source = line.source as { module?: unknown; location?: unknown } | undefined;
  if (line.level === "Spam" ? source !== undefined : source === undefined) return "source present on Spam or absent elsewhere";
  if (source && (Object.keys(source).join(",") !== "module,location" || typeof source.location !== "string" || !LOCATION.test(source.location))) {
    return "source is not {module, location: File ..., line N, characters A-B}";
  }
  const metadata = line.metadata as Record<string, unknown>;
  const metadataKeys = Object.keys(metadata);
  if (metadataKeys.join(",") !== [...metadataKeys].sort().join(",")) return "metadata keys are not sorted";
  for (const match of String(line.message).matchAll(/\$([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
    if (!((match[1] as string) in metadata)) return `message interpolates $${match[1]} that the metadata lacks`;
  }
  if (line.event_id === undefined) return undefined;
  const row = rows.get(String(line.event_id));
  if (!row) return `event_id ${String(line.event_id)} is not in the table`;
  if (row.message !== line.message) return `message is not ${row.constructor}'s "${row.message}"`;
  if (row.level !== line.level) return `level ${String(line.level)} is not ${row.constructor}'s ${row.level}`;
  return undefined;
}

/** The constructors of the table's rows that the lines carry, to check what a test covered. */
export function constructorsSeen(raw: readonly string[], table: EventIdTable): Set<string> {
  const byId = new Map(table.rows.map((row) => [row.id, row.constructor]));
  const seen = new Set<string>();
  for (const text of raw) {
    const match = /"event_id":"([0-9a-f]{32})"/.exec(text);
    const constructor = match ? byId.get(match[1] as string) : undefined;
    if (constructor) seen.add(constructor);
  }
  return seen;
}
