import type { LineFilter } from "./filter.js";

/**
 * Mina's log levels, lowest first (src/lib/logger/logger.mli: `Internal` is newer than
 * 2023). Kept here rather than imported so that the forwarder bundle stays small.
 */
export const MINA_LOG_LEVELS = ["Internal", "Spam", "Trace", "Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"] as const;
export type MinaLogLevel = (typeof MINA_LOG_LEVELS)[number];

const RANK = new Map<string, number>(MINA_LOG_LEVELS.map((level, i) => [level, i]));

// Mina writes `{"timestamp":"2023-11-11 13:25:54.414332Z","level":"Trace",...` (compact JSON,
// level second) and `event_id` last: `...},"event_id":"<32 hex>"}`. Looking there is enough.
const LEVEL_KEY = Buffer.from('"level":"');
const EVENT_ID_KEY = Buffer.from('"event_id":"');
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
/** where `"level":"` can start: after `{"timestamp":"<27 characters>",` with room for other timestamp shapes */
const LEVEL_WINDOW = 160;
/** where `"event_id":"` can start from the end: `"event_id":"` + 32 hex + `"}` and some slack */
const EVENT_ID_WINDOW = 96;

export function isMinaLogLevel(level: string): level is MinaLogLevel {
  return RANK.has(level);
}

/**
 * The in-container level filter: passes a line at `minimum` or above, a structured event
 * whatever its level (Mina logs several of the test executive's events at Trace), and any
 * line whose level it cannot tell (plain text such as the libp2p helper's output, JSON of
 * another shape). It runs on every line the daemon writes at Trace, so it reads bytes where
 * Mina puts them and parses JSON only for a line it cannot read that way.
 */
export function compileLevelFilter(minimum: MinaLogLevel): LineFilter {
  const threshold = RANK.get(minimum) ?? 0;
  if (threshold === 0) return () => true;
  return (line) => {
    const at = levelKeyAt(line);
    if (at >= 0) {
      // Mina's layout: the level where Mina writes it, the event id at the end
      const start = at + LEVEL_KEY.length;
      const end = line.indexOf(QUOTE, start);
      const rank = end > start && end - start <= 16 ? RANK.get(line.toString("latin1", start, end)) : undefined;
      if (rank === undefined || rank >= threshold) return true;
      return line.indexOf(EVENT_ID_KEY, Math.max(0, line.length - EVENT_ID_WINDOW)) >= 0;
    }
    // another layout of JSON (keys reordered, spaces): parse it; a line that is not JSON passes
    const value = parseObject(line);
    if (value === undefined || typeof value["level"] !== "string") return true;
    const rank = RANK.get(value["level"]);
    if (rank === undefined || rank >= threshold) return true;
    return typeof value["event_id"] === "string" && value["event_id"] !== "";
  };
}

/** `{"timestamp":"2023-11-11 13:25:54.414332Z",` is 43 bytes: Mina's level key starts there */
const MINA_LEVEL_KEY_AT = 43;

function levelKeyAt(line: Buffer): number {
  if (line.length > MINA_LEVEL_KEY_AT + LEVEL_KEY.length && LEVEL_KEY.compare(line, MINA_LEVEL_KEY_AT, MINA_LEVEL_KEY_AT + LEVEL_KEY.length) === 0) return MINA_LEVEL_KEY_AT;
  // another timestamp shape: look in the head only (a 1 MB line of text is not scanned)
  return line.subarray(0, LEVEL_WINDOW).indexOf(LEVEL_KEY);
}

function parseObject(line: Buffer): Record<string, unknown> | undefined {
  let i = 0;
  while (i < line.length && (line[i] === 0x20 || line[i] === 0x09)) i++;
  if (line[i] !== OPEN_BRACE) return undefined;
  try {
    const value: unknown = JSON.parse(line.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Both filters: a line passes when each passes it. */
export function allOf(filters: readonly LineFilter[]): LineFilter | undefined {
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  return (line) => filters.every((filter) => filter(line));
}
