import type { EventIdTable, LogLevel, MinaLogLine, StructuredEventRow } from "@mina-local/engine";
import type { z } from "zod";
import type { MinaEvent, ParseProblem } from "./events.js";
import { MinaLogLineSchema, checkLogLineShape, describeIssues, errorSeverity, isPlainObject } from "./line.js";
import { EVENT_DECODERS, FORWARDER_EVENT_SCHEMAS } from "./schemas.js";

export type ParsedLine =
  /** one or more events: a structured event the table knows, the puppeteer's or the forwarder's line, and/or a Log_error */
  | { kind: "event"; line?: MinaLogLine; timestamp?: string; level?: LogLevel; row?: StructuredEventRow; events: MinaEvent[] }
  /** a Mina log line that is not an event; `row` when its id is a registered event the executive does not use; `unknownId` when the table does not hold its id */
  | { kind: "log"; line: MinaLogLine; row?: StructuredEventRow; unknownId?: string }
  /** not JSON: the libp2p helper's output, the puppeteer's plain lines, "Environment variable ... not found" */
  | { kind: "text"; raw: string }
  /** a line that cannot be read as what it claims to be */
  | { kind: "error"; problem: ParseProblem; reason: string; raw: string; event?: string; field?: string };

export interface ParseOptions {
  /** the event ids of the daemon that wrote the line (engine's `pickEventIdTable`) */
  table: EventIdTable;
  /** validate every line with MinaLogLineSchema, not only those that can be events */
  full?: boolean;
}

const FORWARDER_MODULE = "mina-local.forwarder";

const indexes = new WeakMap<EventIdTable, Map<string, StructuredEventRow>>();

/** The table's rows by id, built once per table. */
function indexOf(table: EventIdTable): Map<string, StructuredEventRow> {
  let index = indexes.get(table);
  if (index === undefined) {
    index = new Map(table.rows.map((row) => [row.id, row]));
    indexes.set(table, index);
  }
  return index;
}

/**
 * One log line -> events, a plain log line, a text line, or an error naming the problem.
 * Never throws. Events are recognised by `event_id` through the table only (a real daemon's
 * messages repeat across events); an id the table does not hold is an ordinary log line.
 *
 * Every line that looks like JSON goes through JSON.parse. What the fast path saves is zod: a
 * line whose id the table does not feed, with no puppeteer_event_type and a level below Warn,
 * gets a hand-written shape check only.
 */
export function parseLine(text: string, options: ParseOptions): ParsedLine {
  try {
    return parse(text, options);
  } catch (cause) {
    // Last resort (e.g. a stack overflow on pathological input): report, never throw.
    return { kind: "error", problem: "malformed-json", reason: `internal: ${cause instanceof Error ? cause.message : String(cause)}`, raw: text };
  }
}

function parse(text: string, options: ParseOptions): ParsedLine {
  if (typeof text !== "string") return { kind: "error", problem: "malformed-json", reason: `not a line of text but ${typeof text}`, raw: String(text) };
  const start = text.trimStart();
  if (!start.startsWith("{") && !start.startsWith("[")) return { kind: "text", raw: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The parser ran off the end of the text: the line was cut short (V8 names the position).
    const position = /at position (\d+)/.exec(message)?.[1];
    const truncated = /end of (JSON )?(input|data)/i.test(message) || (position !== undefined && Number(position) >= text.trimEnd().length);
    return { kind: "error", problem: truncated ? "truncated-json" : "malformed-json", reason: `${truncated ? "truncated JSON" : "malformed JSON"}: ${message}`, raw: text };
  }
  if (!isPlainObject(value))
    return { kind: "error", problem: "not-a-log-line", reason: `not a JSON object but ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`, raw: text };

  // The puppeteer's own line (dockerfiles/puppeteer-context/mina_daemon_puppeteer.py): not Mina's log shape.
  if (value["puppeteer_script_event"] === true) return puppeteerLine(value, text);

  const eventId = value["event_id"];
  const row = typeof eventId === "string" ? indexOf(options.table).get(eventId) : undefined;
  const metadata = value["metadata"];
  const forwarder = isPlainObject(metadata) && metadata["puppeteer_event_type"] !== undefined;
  const level = value["level"];
  const mayBeEvent = row?.feeds !== undefined || forwarder || (typeof level === "string" && errorSeverity(level) !== undefined);

  if (!options.full && !mayBeEvent) {
    const wrong = checkLogLineShape(value);
    if (wrong !== undefined) return { kind: "error", problem: "not-a-log-line", reason: `not a Mina log line: ${wrong}`, raw: text };
    return logOf(value as unknown as MinaLogLine, row, eventId);
  }

  const checked = MinaLogLineSchema.safeParse(value);
  if (!checked.success) return { kind: "error", problem: "not-a-log-line", reason: `not a Mina log line: ${describeIssues(checked.error)}`, raw: text };
  const line = checked.data;

  const events: MinaEvent[] = [];
  if (row?.feeds !== undefined) {
    const decoded = decodeEvent(row, line.metadata);
    if ("problem" in decoded) return { kind: "error", ...decoded, raw: text };
    events.push(decoded);
  } else if (forwarder && line.source?.module === FORWARDER_MODULE) {
    const decoded = decodeForwarderLine(line.metadata);
    if ("problem" in decoded) return { kind: "error", ...decoded, raw: text };
    events.push(decoded);
  }

  const severity = errorSeverity(line.level);
  if (severity !== undefined) {
    events.push({
      type: "Log_error",
      data: { level: line.level, severity, ...(line.source && { module: line.source.module }), message: line.message, metadata: line.metadata },
    });
  }
  if (events.length === 0) return logOf(line, row, eventId);
  return { kind: "event", line, timestamp: line.timestamp, level: line.level, ...(row && { row }), events };
}

function logOf(line: MinaLogLine, row: StructuredEventRow | undefined, eventId: unknown): ParsedLine {
  if (row !== undefined) return { kind: "log", line, row };
  if (typeof eventId === "string") return { kind: "log", line, unknownId: eventId };
  return { kind: "log", line };
}

type Decoded = MinaEvent | { problem: "bad-payload"; reason: string; event: string; field: string };

function decodeEvent(row: StructuredEventRow, metadata: Record<string, unknown>): Decoded {
  const feeds = row.feeds;
  if (feeds === undefined || feeds.type === "Log_error" || feeds.type === "Node_offline") {
    return {
      problem: "bad-payload",
      reason: `${row.constructor}: the table says it feeds ${feeds?.type ?? "nothing"}, which no daemon line can`,
      event: feeds?.type ?? row.constructor,
      field: "event_id",
    };
  }
  const result = EVENT_DECODERS[feeds.type].safeParse(metadata);
  if (!result.success) return badPayload(feeds.type, row.constructor, result.error);
  const data = feeds.direction === undefined ? result.data : { ...(result.data as object), direction: feeds.direction };
  // The decoder table pairs each type with the decoder of its data, which TypeScript cannot follow through the lookup.
  return { type: feeds.type, data } as MinaEvent;
}

function badPayload(type: string, constructor: string, error: z.ZodError): Decoded {
  const issue = error.issues[0];
  const field = ["metadata", ...(issue?.path ?? []).map(String)].join(".");
  return { problem: "bad-payload", reason: `${type} (${constructor}): bad metadata: ${describeIssues(error, "metadata")}`, event: type, field };
}

function decodeForwarderLine(metadata: Record<string, unknown>): Decoded {
  const name = metadata["puppeteer_event_type"];
  if (typeof name !== "string" || !Object.hasOwn(FORWARDER_EVENT_SCHEMAS, name)) {
    return {
      problem: "bad-payload",
      reason: `unknown puppeteer_event_type ${JSON.stringify(name)?.slice(0, 80)}: expected node_started, node_stopped, node_crashed or node_offline`,
      event: "forwarder",
      field: "metadata.puppeteer_event_type",
    };
  }
  const entry = FORWARDER_EVENT_SCHEMAS[name as keyof typeof FORWARDER_EVENT_SCHEMAS];
  const result = entry.schema.safeParse(metadata);
  if (!result.success) return badPayload(entry.type, name, result.error);
  return { type: entry.type, data: result.data } as MinaEvent;
}

/**
 * `{"puppeteer_script_event": true, "puppeteer_event_type": "node_offline", "message": "..."}`:
 * Mina's executive knows node_offline only (Node_offline); older puppeteers' other types are text.
 */
function puppeteerLine(value: Record<string, unknown>, raw: string): ParsedLine {
  if (value["puppeteer_event_type"] === "node_offline") return { kind: "event", events: [{ type: "Node_offline", data: {} }] };
  return { kind: "text", raw };
}
