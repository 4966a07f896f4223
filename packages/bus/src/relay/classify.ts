/**
 * Which log lines the event parser must see. Most of a Trace-level daemon's lines are
 * plain log lines: no event id, a level below Warn, a message that is no event's
 * template. JSON-parsing each of them only to learn that costs most of the host's time
 * per line, so the relay scans the bytes once instead and hands the parser only the
 * lines that may be events or are not well-formed Mina lines (the parser then reports
 * why, as before). Pure; no allocation on the common path.
 *
 * The scan follows JSON's structure (strings, escapes, nesting), so a key is recognised
 * only where it is a key of the line's top-level object: `"level":"Error"` inside a
 * message or in nested metadata does not count. Whatever is ambiguous to a byte scan
 * (an escaped key, a key given twice, an unexpected value type) is handed to the parser:
 * a false "may be an event" costs one JSON.parse, a false "plain" would lose an event.
 *
 * What the scan checks of a plain line (the cheap validity count): one top-level object
 * and nothing after it, balanced braces and brackets, closed strings without raw control
 * characters, and Mina's shape (timestamp string, a known level, source object with a
 * module string, message string, metadata object, event_id absent or null). What it does
 * not check is the spelling of numbers and literals and the commas and colons between
 * values: such a line is counted as plain, where JSON.parse would reject it.
 */

export type LineKind =
  /** nothing but whitespace: kept and counted, nothing to parse */
  | "blank"
  /** not one JSON object by its structure: handed to the parser, which reports it */
  | "not-json"
  /** a JSON object missing part of Mina's shape: handed to the parser, which reports it */
  | "malformed"
  /** an event id, an error level, a puppeteer event, an event's message, or ambiguous: handed to the parser */
  | "may-be-event"
  /** a well-formed Mina line that cannot carry an event: not parsed */
  | "plain";

export const LINE_KINDS: readonly LineKind[] = ["blank", "not-json", "malformed", "may-be-event", "plain"];

/** Whether the event parser must see a line of this kind. */
export function parserNeeds(kind: LineKind): boolean {
  return kind === "not-json" || kind === "malformed" || kind === "may-be-event";
}

export interface LineClassifierOptions {
  /** Mina's log levels (a level outside them makes a line malformed) */
  levels: readonly string[];
  /** levels that make a line an event (Mina's Warn, Error, Fatal, Faulty_peer) */
  eventLevels: readonly string[];
  /** messages that make a line an event whatever its event id (events known by template) */
  templates?: readonly string[];
}

/** The kind of the line `line[start, end)` (the whole buffer by default: the relay passes ranges of the bytes it read, no copy). */
export type LineClassifier = (line: Buffer, start?: number, end?: number) => LineKind;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const SPACE = 0x20;

const isWhitespace = (b: number | undefined) => b === SPACE || b === 0x09 || b === 0x0d || b === 0x0a;

/** Whether a line holds nothing but whitespace (counted as blank even when nothing else is classified). */
export function isBlankLine(line: Buffer, from = 0, to = line.length): boolean {
  for (let i = from; i < to; i++) if (!isWhitespace(line[i])) return false;
  return true;
}

// the top-level keys the scan tracks, as bits
const K_TIMESTAMP = 1;
const K_LEVEL = 2;
const K_SOURCE = 4;
const K_MESSAGE = 8;
const K_METADATA = 16;
const K_EVENT_ID = 32;
const REQUIRED = K_TIMESTAMP | K_LEVEL | K_SOURCE | K_MESSAGE | K_METADATA;

const TOP_KEYS: ReadonlyArray<[Buffer, number]> = [
  [Buffer.from("timestamp"), K_TIMESTAMP],
  [Buffer.from("level"), K_LEVEL],
  [Buffer.from("source"), K_SOURCE],
  [Buffer.from("message"), K_MESSAGE],
  [Buffer.from("metadata"), K_METADATA],
  [Buffer.from("event_id"), K_EVENT_ID],
];
const MODULE = Buffer.from("module");
const PUPPETEER = Buffer.from("puppeteer_event_type");

function keyIs(line: Buffer, start: number, end: number, key: Buffer): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (line[start + i] !== key[i]) return false;
  return true;
}

/** Builds a classifier for one table of levels and templates. */
export function lineClassifier(options: LineClassifierOptions): LineClassifier {
  const levels = new Set(options.levels);
  const eventLevels = new Set(options.eventLevels);
  const templates = new Set(options.templates ?? []);
  // a message's bytes as they appear between its quotes: JSON's own escaping of the template
  const templateLengths = new Set([...templates].map((t) => Buffer.byteLength(JSON.stringify(t)) - 2));

  const isTemplate = (line: Buffer, start: number, end: number, escaped: boolean): boolean => {
    if (templates.size === 0) return false;
    if (escaped) {
      // an escape may spell a template's character differently: decode it
      try {
        return templates.has(JSON.parse(line.toString("utf8", start - 1, end + 1)) as string);
      } catch {
        return true;
      }
    }
    if (!templateLengths.has(end - start)) return false;
    return templates.has(line.toString("utf8", start, end));
  };

  return (line: Buffer, from = 0, to = line.length): LineKind => {
    let first = from;
    let last = to - 1;
    while (first <= last && isWhitespace(line[first])) first++;
    if (first > last) return "blank";
    while (isWhitespace(line[last])) last--;
    if (line[first] !== LBRACE || line[last] !== RBRACE) return "not-json";

    let depth = 0;
    let seen = 0;
    // which top-level key owns the object now open at depth 2 (only source's module matters)
    let ownerOfDepth2 = 0;
    let moduleSeen = false;
    let malformed = false;
    for (let i = first; i <= last; i++) {
      const b = line[i] as number;
      if (b === QUOTE) {
        const start = i + 1;
        let escaped = false;
        let j = start;
        for (; j <= last; j++) {
          const c = line[j] as number;
          if (c === BACKSLASH) {
            escaped = true;
            j++;
          } else if (c === QUOTE) {
            break;
          } else if (c < SPACE) {
            return "not-json";
          }
        }
        if (j > last) return "not-json";
        const end = j;
        let k = end + 1;
        while (k <= last && isWhitespace(line[k])) k++;
        if (line[k] !== COLON) {
          i = end;
          continue;
        }
        // a key; its value starts at v
        let v = k + 1;
        while (v <= last && isWhitespace(line[v])) v++;
        const value = line[v];
        if (escaped) {
          // an escape could spell any key
          if (depth <= 2) return "may-be-event";
        } else if (keyIs(line, start, end, PUPPETEER)) {
          return "may-be-event";
        } else if (depth === 1) {
          let bit = 0;
          for (const [key, keyBit] of TOP_KEYS) {
            if (keyIs(line, start, end, key)) {
              bit = keyBit;
              break;
            }
          }
          ownerOfDepth2 = value === LBRACE ? bit : 0;
          if (bit !== 0) {
            // JSON.parse keeps the last of two equal keys: leave that to the parser
            if ((seen & bit) !== 0) return "may-be-event";
            seen |= bit;
            const verdict = topLevelValue(line, bit, v, last, value);
            if (verdict === "may-be-event") return verdict;
            if (verdict === "malformed") malformed = true;
          }
        } else if (depth === 2 && ownerOfDepth2 === K_SOURCE && keyIs(line, start, end, MODULE)) {
          moduleSeen = value === QUOTE;
        }
        i = k;
        continue;
      }
      if (b === LBRACE || b === LBRACKET) {
        depth++;
      } else if (b === RBRACE || b === RBRACKET) {
        depth--;
        if (depth === 1) ownerOfDepth2 = 0;
        // the top-level object must end the line
        if (depth < 0 || (depth === 0 && i !== last)) return "not-json";
      }
    }
    if (depth !== 0) return "not-json";
    if (malformed || (seen & REQUIRED) !== REQUIRED || !moduleSeen) return "malformed";
    return "plain";
  };

  function topLevelValue(line: Buffer, bit: number, v: number, last: number, value: number | undefined): "ok" | "malformed" | "may-be-event" {
    switch (bit) {
      case K_EVENT_ID:
        // null is "no event"; a string is an id; anything else the parser reports
        return line[v] === 0x6e && line[v + 1] === 0x75 && line[v + 2] === 0x6c && line[v + 3] === 0x6c ? "ok" : "may-be-event";
      case K_SOURCE:
      case K_METADATA:
        return value === LBRACE ? "ok" : "malformed";
      case K_TIMESTAMP:
        return value === QUOTE ? "ok" : "malformed";
      case K_LEVEL:
      case K_MESSAGE: {
        if (value !== QUOTE) return "malformed";
        const [start, end, escaped] = stringAt(line, v, last);
        if (end < 0) return "ok"; // the main loop reports the unclosed string
        if (bit === K_MESSAGE) return isTemplate(line, start, end, escaped) ? "may-be-event" : "ok";
        if (escaped) return "may-be-event";
        const level = line.toString("latin1", start, end);
        if (eventLevels.has(level)) return "may-be-event";
        return levels.has(level) ? "ok" : "malformed";
      }
      default:
        return "ok";
    }
  }
}

/** The string whose opening quote is at `at`: [first byte, closing quote, has escapes], or end -1. */
function stringAt(line: Buffer, at: number, last: number): [number, number, boolean] {
  let escaped = false;
  for (let j = at + 1; j <= last; j++) {
    const c = line[j];
    if (c === BACKSLASH) {
      escaped = true;
      j++;
    } else if (c === QUOTE) {
      return [at + 1, j, escaped];
    }
  }
  return [at + 1, -1, escaped];
}

/** Counts of each kind, the relay's cheap validity count. */
export type LineKindCounts = Record<LineKind, number>;

export function emptyKindCounts(): LineKindCounts {
  return { blank: 0, "not-json": 0, malformed: 0, "may-be-event": 0, plain: 0 };
}
