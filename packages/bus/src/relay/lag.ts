/** How late one node's line reached the FIFO reader: read time minus the line's own timestamp. */
export interface LagReport {
  node: string;
  role: string;
  lagMs: number;
  maxLagMs: number;
  message: string;
}

const TIMESTAMP_KEY = Buffer.from('"timestamp":"');
const NOT_CHANGED: { changed: boolean } = Object.freeze({ changed: false });
const TIMESTAMP_TEXT = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\.\d{3}$/;

/**
 * The time a Mina JSON log line says it was written ("2026-11-26 12:00:00.123456Z" in
 * its `timestamp` field, which Mina puts first), or undefined for any other line. Looks
 * only at the line's first 128 bytes: no JSON parsing on the relay's path.
 */
export function lineTimestampMs(line: Buffer, from = 0, to = line.length): number | undefined {
  const at = line.subarray(from, Math.min(to, from + 128)).indexOf(TIMESTAMP_KEY);
  if (at < 0) return undefined;
  const start = from + at + TIMESTAMP_KEY.length;
  if (start + 23 > to) return undefined;
  const text = line.toString("latin1", start, start + 23);
  if (!TIMESTAMP_TEXT.test(text)) return undefined;
  const ms = Date.parse(`${text.replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Each node's largest lag, sampled on its first line and then at most every `sampleMs`
 * (reading a timestamp costs a regex and a Date.parse). Pure: the caller gives the read
 * time. `sample` returns a report the first time a node passes `limitMs`.
 */
export class LagTracker {
  private readonly nodes = new Map<string, { sampledAt: number; maxLagMs: number; reported: boolean }>();

  /** `where`: what read the line, for the report (the FIFO reader by default) */
  constructor(private readonly options: { sampleMs?: number; limitMs?: number; where?: string } = {}) {}

  /** Samples the line `line[from, to)` (the whole buffer by default) if the node is due. */
  sample(node: string, role: string, line: Buffer, readAt: number, from = 0, to = line.length): { changed: boolean; report?: LagReport } {
    let lag = this.nodes.get(node);
    if (lag && readAt - lag.sampledAt < (this.options.sampleMs ?? 200)) return NOT_CHANGED;
    const writtenAt = lineTimestampMs(line, from, to);
    if (writtenAt === undefined) return NOT_CHANGED;
    if (!lag) {
      lag = { sampledAt: readAt, maxLagMs: 0, reported: false };
      this.nodes.set(node, lag);
    }
    lag.sampledAt = readAt;
    const lagMs = readAt - writtenAt;
    if (lagMs <= lag.maxLagMs) return NOT_CHANGED;
    lag.maxLagMs = lagMs;
    const limit = this.options.limitMs;
    if (limit === undefined || lagMs <= limit || lag.reported) return { changed: true };
    lag.reported = true;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return {
      changed: true,
      report: {
        node,
        role,
        lagMs,
        maxLagMs: limit,
        message:
          this.options.where === undefined
            ? `the log pipeline fell behind: a line of node ${node} reached the FIFO reader ${seconds(lagMs)} after the node wrote it (the limit is ${seconds(limit)}); events reach the test that late, and the node blocks on its own output while the FIFO is full`
            : `the log pipeline fell behind: a line of node ${node} reached ${this.options.where} ${seconds(lagMs)} after the node wrote it (the limit is ${seconds(limit)}); events reach the test that late`,
      },
    };
  }

  maxLagMs(node: string): number {
    return this.nodes.get(node)?.maxLagMs ?? 0;
  }
}
