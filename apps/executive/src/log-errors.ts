import type { LogErrorEntry } from "./network-state.js";
import type { SectionResult, TestError } from "./report/model.js";

/**
 * Node log errors as Mina's executive counts them: Warn and Faulty_peer soft, Error and
 * Fatal hard, from each node's first line. Each is attributed to the section active when
 * the node wrote it (the line's own timestamp), or to "before the test". Lines a node wrote
 * after the engine asked it to stop do not count: Mina daemons log a fatal "libp2p_helper
 * died" on every shutdown. As in Mina's executive (its check is commented out with a TODO),
 * they do not decide the outcome unless the user asks (`--fail-on-log-errors`). Pure.
 */

export const BEFORE_THE_TEST = "before the test";
export const OUTSIDE_SECTIONS = "(outside any section)";

export interface SectionSpan {
  name: string;
  /** epoch ms */
  startedAt: number;
  endedAt: number;
}

/** When the test body ran and its sections, as the runner saw them (epoch ms). */
export interface TestTimeline {
  startedAt?: number;
  sections: readonly SectionSpan[];
}

/** A time span in which the engine had asked a node to stop: from the request until it was asked to start again (or for good). */
export interface StopWindow {
  node: string;
  from: number;
  until?: number;
}

export interface ReportedLogError {
  node: string;
  level: string;
  severity: "soft" | "hard";
  section: string;
  message: string;
  /** the line's timestamp, as the node wrote it */
  timestamp: string;
}

export interface LogErrorSummary {
  /** the log errors that count, in the order the nodes wrote them */
  counted: ReportedLogError[];
  /** lines at an error level written after the engine asked their node to stop (not counted) */
  afterStop: number;
}

/** Mina's "2023-11-11 13:25:54.414332Z" (also ISO 8601) -> epoch ms, or NaN. */
export function minaTimestampMs(timestamp: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(timestamp);
  if (!match) return Number.NaN;
  const fraction = match[3] ? match[3].slice(0, 4) : "";
  return Date.parse(`${match[1]}T${match[2]}${fraction}Z`);
}

function sectionAt(time: number, timeline: TestTimeline): string {
  if (timeline.startedAt === undefined || time < timeline.startedAt) return BEFORE_THE_TEST;
  const section = timeline.sections.find((s) => time >= s.startedAt && time < s.endedAt);
  return section?.name ?? OUTSIDE_SECTIONS;
}

function stoppedAt(node: string, time: number, stops: readonly StopWindow[]): boolean {
  return stops.some((w) => w.node === node && time >= w.from && (w.until === undefined || time < w.until));
}

/**
 * Which log errors count and where they belong. A line whose timestamp cannot be read is
 * kept and attributed by nothing but its node: it counts, "before the test" being the one
 * place that cannot be wrong about a line nobody can date.
 */
export function attributeLogErrors(entries: readonly LogErrorEntry[], timeline: TestTimeline, stops: readonly StopWindow[]): LogErrorSummary {
  const counted: ReportedLogError[] = [];
  let afterStop = 0;
  for (const entry of entries) {
    const time = minaTimestampMs(entry.timestamp);
    if (Number.isNaN(time)) {
      counted.push({ ...entry, section: BEFORE_THE_TEST });
      continue;
    }
    if (stoppedAt(entry.node, time, stops)) {
      afterStop++;
      continue;
    }
    counted.push({ ...entry, section: sectionAt(time, timeline) });
  }
  counted.sort((a, b) => minaTimestampMs(a.timestamp) - minaTimestampMs(b.timestamp) || 0);
  return { counted, afterStop };
}

/**
 * `--fail-on-log-errors`: the counted log errors become test errors of their sections, and a
 * section with a hard one fails (one with only soft ones passes with soft errors).
 */
export function countLogErrorsAsTestErrors(
  sections: readonly SectionResult[],
  errors: readonly TestError[],
  logErrors: readonly ReportedLogError[],
): { sections: SectionResult[]; errors: TestError[] } {
  const asErrors: TestError[] = logErrors.map((e) => ({ severity: e.severity, section: e.section, node: e.node, message: `${e.level} line: ${e.message}` }));
  const marked = sections.map((section): SectionResult => {
    const mine = asErrors.filter((e) => e.section === section.name);
    if (mine.length === 0 || section.status === "failed") return section;
    return { ...section, status: mine.some((e) => e.severity === "hard") ? "failed" : "soft" };
  });
  return { sections: marked, errors: [...errors, ...asErrors] };
}
