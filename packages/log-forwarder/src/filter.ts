import { compileFilter } from "@mina-local/logproc";

/** A compiled in-container filter over raw lines: true = forward the line. */
export type LineFilter = (line: Buffer) => boolean;

const OPEN_BRACE = 0x7b;

/** Whether a parsed line carries something the engine waits on: a structured event or a puppeteer event. */
export function carriesEvent(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record["event_id"] === "string" && record["event_id"] !== "") return true;
  const metadata = record["metadata"];
  return typeof metadata === "object" && metadata !== null && "puppeteer_event_type" in metadata;
}

/**
 * Compiles a logproc expression into a line filter (throws LogprocSyntaxError on a bad
 * expression). Lines that are not JSON objects pass untouched: the filter speaks about
 * Mina's JSON lines only. Lines that carry an event always pass, whatever the filter says,
 * so filtering can never starve a wait condition.
 */
export function compileLineFilter(expression: string): LineFilter {
  const predicate = compileFilter(expression);
  return (line) => {
    let i = 0;
    while (i < line.length && (line[i] === 0x20 || line[i] === 0x09)) i++;
    if (line[i] !== OPEN_BRACE) return true;
    let value: unknown;
    try {
      value = JSON.parse(line.toString("utf8"));
    } catch {
      return true;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return true;
    if (carriesEvent(value)) return true;
    try {
      return predicate(value);
    } catch {
      // an evaluation error must not make a line vanish
      return true;
    }
  };
}
