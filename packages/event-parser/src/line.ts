import { LOG_LEVELS } from "@mina-local/engine";
import type { LogLevel, MinaLogLine } from "@mina-local/engine";
import { z } from "zod";

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One line of Mina's JSON log (src/lib/logger). `metadata` is checked to be an object but kept
 * as the very object JSON.parse made (copying it key by key would mishandle a "__proto__" key).
 * Mina leaves `source` out of some lines (Spam) and `event_id` out of most; `source.location`
 * defaults to "" because our forwarder's own lines may leave it out.
 */
export const MinaLogLineSchema = z.object({
  timestamp: z.string(),
  level: z.enum(LOG_LEVELS),
  source: z.object({ module: z.string(), location: z.string().default("") }).optional(),
  message: z.string(),
  metadata: z.custom<Record<string, unknown>>(isPlainObject, { message: "expected an object" }),
  event_id: z.string().nullable().optional(),
}) satisfies z.ZodType<MinaLogLine, unknown>;

const LEVELS = new Set<string>(LOG_LEVELS);

/**
 * The same check as MinaLogLineSchema without zod, for the fast path (lines that cannot be
 * events). Returns the reason when the shape is wrong; the unit tests keep both in step.
 */
export function checkLogLineShape(value: Record<string, unknown>): string | undefined {
  if (typeof value["timestamp"] !== "string") return "timestamp: expected a string";
  if (typeof value["level"] !== "string" || !LEVELS.has(value["level"])) return `level: expected one of ${LOG_LEVELS.join(", ")}`;
  const source = value["source"];
  if (source !== undefined) {
    if (!isPlainObject(source)) return "source: expected an object";
    if (typeof source["module"] !== "string") return "source.module: expected a string";
    if (source["location"] !== undefined && typeof source["location"] !== "string") return "source.location: expected a string";
  }
  if (typeof value["message"] !== "string") return "message: expected a string";
  if (!isPlainObject(value["metadata"])) return "metadata: expected an object";
  const eventId = value["event_id"];
  if (eventId !== undefined && eventId !== null && typeof eventId !== "string") return "event_id: expected a string or null";
  return undefined;
}

/** Mina counts Warn and Faulty_peer as soft errors, Error and Fatal as hard ones. */
export function errorSeverity(level: LogLevel | string): "soft" | "hard" | undefined {
  switch (level) {
    case "Warn":
    case "Faulty_peer":
      return "soft";
    case "Error":
    case "Fatal":
      return "hard";
    default:
      return undefined;
  }
}

/** The first few zod issues as "field.path: message", naming the field that is wrong. */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
      return path === "" ? issue.message : `${path}: ${issue.message}`;
    })
    .join("; ");
}
