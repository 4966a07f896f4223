import type { EventIdTable, LogLevel } from "@mina-local/engine";
import { newestEventIdTable, pickEventIdTable } from "@mina-local/engine";
import type { EventType, ParseProblem } from "./events.js";
import { parseLine } from "./parse-line.js";

/*
 * The post-mortem reader behind `test_executive events`: a daemon's log (a real mina.log, a run's
 * logs/<node>.log, `journalctl -u mina` output) in, one record per event the executive would
 * derive out, and a summary of everything else. Pure over its input stream; the CLI does the I/O.
 */

/** One recognised event, as `test_executive events` prints it (one JSON object per line). */
export interface EventRecord {
  type: EventType;
  /** the line's event_id (absent for Log_error-only lines, the puppeteer's and the forwarder's lines) */
  id?: string;
  /** the OCaml constructor the id names in the table */
  constructor?: string;
  timestamp?: string;
  level?: LogLevel;
  /** 1-based line number in the input */
  line: number;
  data: unknown;
}

export interface LogSummary {
  /** the table the log was read with, and why */
  table: { name: string; reason: string };
  lines: number;
  blankLines: number;
  /** lines whose daemon line came after a journald or grep prefix, which was stripped */
  prefixedLines: number;
  events: number;
  eventsByType: Partial<Record<EventType, number>>;
  /** structured events the table knows that the executive does not use, by constructor */
  otherRegisteredEvents: Record<string, number>;
  /** event ids the table does not hold (ordinary log lines), with how often each appeared */
  unknownIds: Record<string, number>;
  /** lines that are not JSON (plain text, Mina's pretty-printed lines, libp2p helper output) */
  nonJsonLines: number;
  /** of those, lines in Mina's pretty format (`2024-06-07 14:38:10 UTC [Error] ...`, -log-json false), by level: no events (Mina's executive reads JSON), but worth a look */
  prettyLinesByLevel: Partial<Record<string, number>>;
  /** Warn / Faulty_peer / Error / Fatal lines, as Mina's executive counts them */
  logErrorsByLevel: Partial<Record<LogLevel, number>>;
  /** lines that could not be read as what they claim to be, by problem */
  problems: Partial<Record<ParseProblem, number>>;
  /** the first few of those, to look at */
  firstProblems: { line: number; problem: ParseProblem; reason: string; event?: string; field?: string }[];
}

export interface ReadLogOptions {
  /** the table to read with; without one it is picked from the log's "Mina daemon is booting up" line, else the newest */
  table?: EventIdTable;
  /** why that table (printed in the summary); default "given" */
  tableReason?: string;
  onEvent: (record: EventRecord) => void;
}

const MAX_PROBLEMS_KEPT = 10;
/** How far into the log the booting-up line is looked for before the table is picked without it. */
const BOOT_LINE_WINDOW = 2_000;

/** Mina's pretty format (src/lib/logger: Pretty processor): `<date> <time> UTC [<Level>] <message>`. */
const PRETTY_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \[(Internal|Spam|Trace|Debug|Info|Warn|Error|Faulty_peer|Fatal)\] /;

/** `Nov 11 14:27:41 host mina[1975]: ` (journalctl; the host may be missing) or `mina.log:` (grep over several files). */
const PREFIX = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d +(?:\S+ +)?\S+\[\d+\]: |[\w.\-/]+\.log:(?=\{))/;

/** The daemon's line inside a pasted one: the journald or grep prefix removed, when there is one. */
export function stripLogPrefix(line: string): { text: string; prefixed: boolean } {
  const match = PREFIX.exec(line);
  return match === null ? { text: line, prefixed: false } : { text: line.slice(match[0].length), prefixed: true };
}

/**
 * Mina's "Mina daemon is booting up; built with commit $commit on branch $branch" line
 * (src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml) as `mina version` would print it.
 */
function versionOfBootLine(text: string): string | undefined {
  if (!text.includes("is booting up; built with commit")) return undefined;
  try {
    const value = JSON.parse(text) as { metadata?: { commit?: unknown; branch?: unknown } };
    const { commit, branch } = value.metadata ?? {};
    return typeof commit === "string" ? `Commit ${commit} on branch ${typeof branch === "string" ? branch : "<unknown>"}` : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a whole log; resolves with its summary once the input ends. Never throws for bad lines. */
export async function readDaemonLog(input: AsyncIterable<Uint8Array | string>, options: ReadLogOptions): Promise<LogSummary> {
  const summary: LogSummary = {
    table: { name: "", reason: "" },
    lines: 0,
    blankLines: 0,
    prefixedLines: 0,
    events: 0,
    eventsByType: {},
    otherRegisteredEvents: {},
    unknownIds: {},
    nonJsonLines: 0,
    prettyLinesByLevel: {},
    logErrorsByLevel: {},
    problems: {},
    firstProblems: [],
  };
  let table = options.table;
  if (table !== undefined) summary.table = { name: table.name, reason: options.tableReason ?? "given" };
  const pending: { text: string; number: number; invalidUtf8: boolean }[] = [];

  const choose = (versionOutput: string | undefined): EventIdTable => {
    if (versionOutput === undefined) {
      const newest = newestEventIdTable();
      summary.table = {
        name: newest.name,
        reason: `no "Mina daemon is booting up" line in the first ${BOOT_LINE_WINDOW} lines: the newest built-in table (pass --event-ids <file> with the output of \`mina internal dump-structured-events\` to read it with the daemon's own ids)`,
      };
      return newest;
    }
    const picked = pickEventIdTable({ versionOutput, imageName: "the daemon" });
    summary.table = { name: picked.table.name, reason: `from its booting-up line: ${picked.reason}` };
    return picked.table;
  };

  const problem = (number: number, kind: ParseProblem, reason: string, where: { event?: string; field?: string } = {}) => {
    summary.problems[kind] = (summary.problems[kind] ?? 0) + 1;
    if (summary.firstProblems.length < MAX_PROBLEMS_KEPT) summary.firstProblems.push({ line: number, problem: kind, reason: reason.slice(0, 300), ...where });
  };

  const handle = (raw: string, number: number, invalidUtf8: boolean, using: EventIdTable) => {
    const { text, prefixed } = stripLogPrefix(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
    if (prefixed) summary.prefixedLines++;
    if (text.trim() === "") {
      summary.blankLines++;
      return;
    }
    if (invalidUtf8) problem(number, "invalid-utf8", "the line is not valid UTF-8 (read with U+FFFD in place of the bad bytes)");
    const parsed = parseLine(text, { table: using });
    switch (parsed.kind) {
      case "text": {
        summary.nonJsonLines++;
        const pretty = PRETTY_LINE.exec(text)?.[1];
        if (pretty !== undefined) summary.prettyLinesByLevel[pretty] = (summary.prettyLinesByLevel[pretty] ?? 0) + 1;
        return;
      }
      case "error":
        problem(number, parsed.problem, parsed.reason, { ...(parsed.event && { event: parsed.event }), ...(parsed.field && { field: parsed.field }) });
        return;
      case "log":
        if (parsed.unknownId !== undefined) summary.unknownIds[parsed.unknownId] = (summary.unknownIds[parsed.unknownId] ?? 0) + 1;
        if (parsed.row !== undefined) summary.otherRegisteredEvents[parsed.row.constructor] = (summary.otherRegisteredEvents[parsed.row.constructor] ?? 0) + 1;
        return;
      case "event":
        for (const event of parsed.events) {
          summary.events++;
          summary.eventsByType[event.type] = (summary.eventsByType[event.type] ?? 0) + 1;
          if (event.type === "Log_error") summary.logErrorsByLevel[event.data.level] = (summary.logErrorsByLevel[event.data.level] ?? 0) + 1;
          const fromRow = event.type !== "Log_error" && parsed.row !== undefined;
          options.onEvent({
            type: event.type,
            ...(typeof parsed.line?.event_id === "string" && { id: parsed.line.event_id }),
            ...(fromRow && parsed.row && { constructor: parsed.row.constructor }),
            ...(parsed.timestamp !== undefined && { timestamp: parsed.timestamp }),
            ...(parsed.level !== undefined && { level: parsed.level }),
            line: number,
            data: event.data,
          });
        }
    }
  };

  const accept = (text: string, invalidUtf8: boolean) => {
    summary.lines++;
    const number = summary.lines;
    if (table !== undefined) return handle(text, number, invalidUtf8, table);
    pending.push({ text, number, invalidUtf8 });
    const version = versionOfBootLine(stripLogPrefix(text).text);
    if (version !== undefined || pending.length >= BOOT_LINE_WINDOW) {
      table = choose(version);
      for (const line of pending.splice(0)) handle(line.text, line.number, line.invalidUtf8, table);
    }
  };

  for await (const { text, invalidUtf8 } of linesOf(input)) accept(text, invalidUtf8);
  if (table === undefined) {
    table = choose(undefined);
    for (const line of pending.splice(0)) handle(line.text, line.number, line.invalidUtf8, table);
  }
  return summary;
}

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder();

/** Splits a byte (or text) stream into lines, any length, telling which are not valid UTF-8. */
export async function* linesOf(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<{ text: string; invalidUtf8: boolean }> {
  let carry: Uint8Array[] = [];
  const emit = (parts: Uint8Array[]) => {
    const bytes = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
    try {
      return { text: strict.decode(bytes), invalidUtf8: false };
    } catch {
      return { text: lenient.decode(bytes), invalidUtf8: true };
    }
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
      carry.push(bytes.subarray(start, newline));
      yield emit(carry);
      carry = [];
      start = newline + 1;
    }
    if (start < bytes.length) carry.push(bytes.slice(start));
  }
  if (carry.length > 0) yield emit(carry);
}
