import { compileFilter } from "./evaluate.js";

/**
 * How `$name` placeholders in a message are shown: `inline` replaces them with the
 * metadata value, `hidden` prints the message as written and no metadata, `after` prints
 * the message as written followed by the metadata, one `name: value` per indented line.
 */
export const INTERPOLATIONS = ["inline", "hidden", "after"] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];

/** The parts of a Mina log line the printer uses (engine's `MinaLogLine` fits). */
export interface FormattableLine {
  timestamp?: unknown;
  level?: unknown;
  message: string;
  metadata?: unknown;
}

export interface FormatOptions {
  interpolation: Interpolation;
}

const PLACEHOLDER = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** `[timestamp] Level: message`, with the message interpolated as asked. */
export function formatLine(line: FormattableLine, options: FormatOptions): string {
  const metadata = isRecord(line.metadata) ? line.metadata : {};
  const head = `${typeof line.timestamp === "string" ? `[${line.timestamp}] ` : ""}${typeof line.level === "string" ? `${line.level}: ` : ""}`;
  switch (options.interpolation) {
    case "inline":
      return head + interpolate(line.message, metadata);
    case "hidden":
      return head + line.message;
    case "after": {
      const details = Object.entries(metadata).map(([name, value]) => `\n    ${name}: ${show(value)}`);
      return head + line.message + details.join("");
    }
  }
}

/** Replaces `$name` with `metadata[name]`; unknown names stay as they are. */
export function interpolate(message: string, metadata: Record<string, unknown>): string {
  if (!message.includes("$")) return message;
  return message.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(metadata, name) ? show(metadata[name]) : whole));
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

export interface ProcessOptions {
  /** a logproc expression, or a predicate from `compileFilter`; absent: keep every line */
  filter?: string | ((value: unknown) => boolean) | undefined;
  interpolation?: Interpolation;
}

const compiledFilters = new Map<string, (value: unknown) => boolean>();

/**
 * One raw input line -> the text to print, or undefined when the filter drops it.
 * Lines that are not JSON objects (a stack trace, a shell message) are printed as they
 * are and never filtered: logproc must not hide what it does not understand.
 * JSON objects that are not Mina log lines are filtered but printed as they are.
 */
export function processLine(raw: string, options: ProcessOptions = {}): string | undefined {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  const value = parseObject(text);
  if (value === undefined) return text;
  const filter = predicateOf(options.filter);
  if (filter && !filter(value)) return undefined;
  const message = value["message"];
  if (typeof message !== "string") return text;
  return formatLine({ timestamp: value["timestamp"], level: value["level"], message, metadata: value["metadata"] }, { interpolation: options.interpolation ?? "inline" });
}

function predicateOf(filter: ProcessOptions["filter"]): ((value: unknown) => boolean) | undefined {
  if (filter === undefined || typeof filter === "function") return filter;
  let compiled = compiledFilters.get(filter);
  if (!compiled) {
    compiled = compileFilter(filter);
    if (compiledFilters.size > 100) compiledFilters.clear();
    compiledFilters.set(filter, compiled);
  }
  return compiled;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const first = text.trimStart()[0];
  if (first !== "{") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
