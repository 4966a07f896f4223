// What `test_executive watch` subscribes to and prints: pure.
import { LOG_LEVELS, MinaLocalError } from "@mina-local/engine";
import { eventFilter, logFilter } from "@mina-local/bus";
import { compileFilter, processLine } from "@mina-local/logproc";

export interface WatchOptions {
  role?: string | undefined;
  node?: string | undefined;
  /** an event type: watch parsed events instead of raw log lines */
  event?: string | undefined;
  /** the lowest level shown (Mina's levels, any case) */
  level?: string | undefined;
  /** a logproc expression over each line (or event) as JSON */
  filter?: string | undefined;
  json: boolean;
}

/** The one NATS subject filter (role-keyed) that holds what the options ask for. */
export function watchSubject(runId: string, options: Pick<WatchOptions, "role" | "node" | "event">): string {
  const by = { ...(options.role && { role: options.role }), ...(options.node && { node: options.node }) };
  return options.event ? eventFilter(runId, { ...by, ...(options.event !== "*" && { type: options.event }) }) : logFilter(runId, by);
}

export function levelIndex(level: string): number {
  const index = LOG_LEVELS.findIndex((l) => l.toLowerCase() === level.toLowerCase());
  if (index < 0) throw new MinaLocalError("invalid-arguments", `--level ${level}: not one of Mina's levels`, { hint: `use one of ${LOG_LEVELS.join(", ")}` });
  return index;
}

/** One message off the bus -> the text to print (one or more lines, without a final newline), or undefined. */
export type Printer = (subject: string, payload: string) => string | undefined;

export function watchPrinter(options: WatchOptions): Printer {
  const minLevel = options.level === undefined ? -1 : levelIndex(options.level);
  const keep = options.filter === undefined ? undefined : compileFilter(options.filter);
  const levelOk = (value: unknown) => {
    if (minLevel < 0) return true;
    const level = (value as { level?: unknown } | null)?.level ?? (value as { data?: { level?: unknown } } | null)?.data?.level;
    return typeof level === "string" && LOG_LEVELS.findIndex((l) => l === level) >= minLevel;
  };
  if (options.event !== undefined) {
    return (_subject, payload) => {
      const event = safeJson(payload) as { node?: string; type?: string; timestamp?: string; data?: unknown } | undefined;
      if (!event || (minLevel >= 0 && !levelOk(event)) || (keep && !keep(event))) return undefined;
      if (options.json) return JSON.stringify(event);
      return `[${event.timestamp ?? "?"}] ${event.node ?? "?"} ${event.type ?? "?"}: ${truncate(JSON.stringify(event.data ?? {}), 400)}`;
    };
  }
  return (subject, payload) => {
    const [, , , role = "?", node = "?"] = subject.split(".");
    const out: string[] = [];
    for (const text of payload.split("\n")) {
      if (text === "") continue;
      const value = safeJson(text);
      if (minLevel >= 0 && !levelOk(value)) continue;
      if (keep && !(value !== undefined && keep(value))) continue;
      if (options.json) out.push(value !== undefined && typeof value === "object" && value !== null ? JSON.stringify({ node, role, ...value }) : JSON.stringify({ node, role, text }));
      else out.push(`${node} | ${processLine(text) ?? text}`);
    }
    return out.length > 0 ? out.join("\n") : undefined;
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
