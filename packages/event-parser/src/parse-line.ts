import { STRUCTURED_EVENT_NAMES, STRUCTURED_EVENTS, eventNameOfId } from "@mina-local/engine";
import type { MinaLogLine, StructuredEventName } from "@mina-local/engine";
import type { z } from "zod";
import type { MinaEvent } from "./events.js";
import { MinaLogLineSchema, checkLogLineShape, describeIssues, errorSeverity, isPlainObject } from "./line.js";
import { PUPPETEER_EVENT_SCHEMAS, STRUCTURED_EVENT_SCHEMAS } from "./schemas.js";

export type ParsedLine =
  | { kind: "event"; line: MinaLogLine; events: MinaEvent[] }
  | { kind: "log"; line: MinaLogLine }
  | { kind: "error"; reason: string; raw: string };

export interface ParseOptions {
  /** validate every line with MinaLogLineSchema, not only those that can be events */
  full?: boolean;
}

/** A real daemon's event ids may differ from ours, so events are also known by their message template. */
const byTemplate = new Map<string, StructuredEventName>(STRUCTURED_EVENT_NAMES.map((name) => [STRUCTURED_EVENTS[name].message, name]));

/**
 * One log line -> events, a plain log line, or an error with the reason. Never throws.
 *
 * Every line goes through JSON.parse: a line that is not JSON must be reported, so it
 * cannot be skipped on a substring test. What the fast path saves is zod: a line with no
 * event_id, no puppeteer_event_type, no event message and a level below Warn gets a
 * hand-written shape check only.
 */
export function parseLine(text: string, options: ParseOptions = {}): ParsedLine {
  try {
    return parse(text, options);
  } catch (cause) {
    // Last resort (e.g. a stack overflow on pathological input): report, never throw.
    return { kind: "error", reason: `internal: ${cause instanceof Error ? cause.message : String(cause)}`, raw: text };
  }
}

function parse(text: string, options: ParseOptions): ParsedLine {
  if (typeof text !== "string") return { kind: "error", reason: `not a line of text but ${typeof text}`, raw: String(text) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "error", reason: "not JSON", raw: text };
  }
  if (!isPlainObject(value)) return { kind: "error", reason: `not a JSON object but ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`, raw: text };

  if (!options.full && !mayCarryEvent(value)) {
    const wrong = checkLogLineShape(value);
    if (wrong !== undefined) return { kind: "error", reason: `not a Mina log line: ${wrong}`, raw: text };
    return { kind: "log", line: value as unknown as MinaLogLine };
  }

  const checked = MinaLogLineSchema.safeParse(value);
  if (!checked.success) return { kind: "error", reason: `not a Mina log line: ${describeIssues(checked.error)}`, raw: text };
  const line = checked.data;

  const events: MinaEvent[] = [];
  const structured = structuredEventOf(line);
  if (structured.kind === "error") return { kind: "error", reason: structured.reason, raw: text };
  if (structured.kind === "event") events.push(structured.event);

  const severity = errorSeverity(line.level);
  if (severity !== undefined) {
    events.push({ type: "Log_error", data: { level: line.level, severity, module: line.source.module, message: line.message, metadata: line.metadata } });
  }
  return events.length > 0 ? { kind: "event", line, events } : { kind: "log", line };
}

function mayCarryEvent(value: Record<string, unknown>): boolean {
  const eventId = value["event_id"];
  if (eventId !== undefined && eventId !== null) return true;
  const level = value["level"];
  if (typeof level === "string" && errorSeverity(level) !== undefined) return true;
  const message = value["message"];
  if (typeof message === "string" && byTemplate.has(message)) return true;
  const metadata = value["metadata"];
  return isPlainObject(metadata) && metadata["puppeteer_event_type"] !== undefined;
}

type Structured = { kind: "none" } | { kind: "event"; event: MinaEvent } | { kind: "error"; reason: string };

function structuredEventOf(line: MinaLogLine): Structured {
  if (typeof line.event_id === "string") {
    const name = eventNameOfId(line.event_id);
    if (name === undefined) return { kind: "error", reason: `unknown event_id ${JSON.stringify(line.event_id.slice(0, 80))} (message ${JSON.stringify(line.message.slice(0, 80))})` };
    return decode(name, STRUCTURED_EVENT_SCHEMAS[name], line.metadata);
  }
  const puppeteer = line.metadata["puppeteer_event_type"];
  if (puppeteer !== undefined) {
    if (typeof puppeteer !== "string" || !Object.hasOwn(PUPPETEER_EVENT_SCHEMAS, puppeteer)) {
      return { kind: "error", reason: `unknown puppeteer_event_type ${JSON.stringify(puppeteer)?.slice(0, 80)}: expected node_started, node_stopped, node_crashed or node_offline` };
    }
    const name = puppeteer as keyof typeof PUPPETEER_EVENT_SCHEMAS;
    return decode(name, PUPPETEER_EVENT_SCHEMAS[name], line.metadata);
  }
  const name = byTemplate.get(line.message);
  if (name !== undefined) return decode(name, STRUCTURED_EVENT_SCHEMAS[name], line.metadata);
  return { kind: "none" };
}

function decode(name: string, entry: { type: MinaEvent["type"]; schema: z.ZodType }, metadata: Record<string, unknown>): Structured {
  const result = entry.schema.safeParse(metadata);
  if (!result.success) return { kind: "error", reason: `${name}: bad metadata: ${describeIssues(result.error, "metadata")}` };
  // The schema table pairs each type with the schema of its data, which TypeScript cannot follow through the lookup.
  return { kind: "event", event: { type: entry.type, data: result.data } as MinaEvent };
}
