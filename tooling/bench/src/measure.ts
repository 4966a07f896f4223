/** Pure helpers: counting lines in bus messages, timestamps, percentiles, rates. */

const NEWLINE = 0x0a;

/** Lines in one log message: whole lines, `\n`-separated, with or without a final `\n`. */
export function countLines(data: Uint8Array): number {
  if (data.length === 0) return 0;
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let count = 0;
  let at = buffer.indexOf(NEWLINE);
  while (at !== -1) {
    count++;
    at = buffer.indexOf(NEWLINE, at + 1);
  }
  return buffer[buffer.length - 1] === NEWLINE ? count : count + 1;
}

/** Lines of one message that hold `needle` (e.g. the forwarder's own module name). */
export function countLinesContaining(data: Uint8Array, needle: Buffer): number {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let count = 0;
  let from = 0;
  for (;;) {
    const hit = buffer.indexOf(needle, from);
    if (hit === -1) return count;
    count++;
    const endOfLine = buffer.indexOf(NEWLINE, hit);
    if (endOfLine === -1) return count;
    from = endOfLine + 1;
  }
}

const MINA_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,6})Z$/;

/** "2026-11-26 12:00:00.123456Z" -> epoch milliseconds with the microseconds kept as a fraction. */
export function parseMinaTimestampMs(text: string): number | undefined {
  const m = MINA_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const whole = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return whole + Number((frac ?? "0").padEnd(6, "0")) / 1000;
}

const TIMESTAMP_KEY = Buffer.from('"timestamp":"');

/** The timestamp of the last line of a log message (cheap: no JSON parse of the message). */
export function lastLineTimestampMs(data: Uint8Array): number | undefined {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = buffer[buffer.length - 1] === NEWLINE ? buffer.length - 1 : buffer.length;
  const start = buffer.lastIndexOf(NEWLINE, end - 1) + 1;
  const key = buffer.indexOf(TIMESTAMP_KEY, start);
  if (key === -1 || key > end) return undefined;
  const from = key + TIMESTAMP_KEY.length;
  const close = buffer.indexOf(0x22, from);
  if (close === -1) return undefined;
  return parseMinaTimestampMs(buffer.toString("latin1", from, close));
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of the samples (ms); undefined with no sample. */
export function percentiles(samples: readonly number[]): Percentiles | undefined {
  if (samples.length === 0) return undefined;
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] ?? Number.NaN, mean: sum / sorted.length };
}

/** Work per second; 0 when no time passed. */
export const perSecond = (amount: number, ms: number): number => (ms > 0 ? (amount * 1000) / ms : 0);

/** CPU time as a share of one core over the wall time, in percent. */
export const cpuPercent = (cpuMs: number, wallMs: number): number => (wallMs > 0 ? (cpuMs / wallMs) * 100 : 0);

/** Splits `total` lines over `writers` as evenly as whole lines allow (the first ones get the remainder). */
export function splitLines(total: number, writers: number): number[] {
  const base = Math.floor(total / writers);
  return Array.from({ length: writers }, (_, i) => base + (i < total % writers ? 1 : 0));
}
