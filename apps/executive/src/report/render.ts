import { pipelineLosses } from "./model.js";
import type { LogErrorsReport, SectionResult, TestReport } from "./model.js";

/** Log errors listed in the text report; report.json lists more. */
const LOG_ERRORS_IN_TEXT = 40;

const MARK: Record<SectionResult["status"], string> = { passed: "✓", soft: "~", failed: "✗" };
const STATUS: Record<SectionResult["status"], string> = { passed: "passed", soft: "passed with soft errors", failed: "failed" };

/** Continuation lines of a multi-line message, indented under its first line. */
const indented = (text: string, by: string) => text.replace(/\n(?!$)/g, `\n${by}`);

/** The human report, under Mina's `=== Test Results ===` heading. */
export function renderTextReport(report: TestReport): string {
  const lines = ["", "=== Test Results ===", `test: ${report.test}   run: ${report.runId}   outcome: ${report.outcome}   time: ${(report.durationMs / 1000).toFixed(1)} s`, ""];
  for (const section of report.sections) lines.push(`  ${MARK[section.status]} ${section.name} (${STATUS[section.status]}, ${(section.durationMs / 1000).toFixed(1)} s)`);
  if (report.sections.length === 0) lines.push("  (no section ran)");
  if (report.failure) lines.push("", `  ${indented(report.failure, "    ")}`);
  if (report.errors.length > 0) {
    lines.push("", "=== Errors ===");
    for (const error of report.errors) lines.push(`  [${error.severity}] ${error.section}${error.node ? ` / ${error.node}` : ""}: ${indented(error.message, "      ")}`);
  }
  if (report.logErrors) lines.push(...logErrorLines(report.logErrors));
  if (report.pipeline) {
    const p = report.pipeline;
    lines.push(
      "",
      `logs: ${p.linesRelayed} lines relayed, ${p.linesReceived} received (${p.blankLines} empty), ${p.linesLost} lost, ${p.parseErrors} unparsable, ${p.eventsReceived} events, max lag ${(p.maxLagMs / 1000).toFixed(1)} s`,
    );
    const losses = pipelineLosses(p.errors);
    if (losses.length > 0) lines.push(`pipeline errors: ${losses.join("; ")}`);
    for (const u of (report.unparsable ?? []).slice(0, 5)) lines.push(`  unparsable line of ${u.node}: ${u.reason}`);
  }
  if (report.nodeHosts) lines.push(`hosts: ${nodesByHost(report.nodeHosts)}`);
  if (report.eventIds) lines.push(`event ids: table ${report.eventIds.table} (${report.eventIds.reason})`);
  lines.push(`run directory: ${report.runDir}`, "");
  return lines.join("\n");
}

/** "host-1: seed, node-a; host-2: node-b" */
export function nodesByHost(nodeHosts: Readonly<Record<string, string>>): string {
  const byHost = new Map<string, string[]>();
  for (const [node, host] of Object.entries(nodeHosts)) byHost.set(host, [...(byHost.get(host) ?? []), node]);
  return [...byHost]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([host, nodes]) => `${host}: ${nodes.join(", ")}`)
    .join("; ");
}

function logErrorLines(logErrors: LogErrorsReport): string[] {
  const total = logErrors.soft + logErrors.hard;
  const how = logErrors.decideOutcome ? "counted as test errors (--fail-on-log-errors)" : "reported; they do not decide the outcome without --fail-on-log-errors";
  const stopped = logErrors.afterStop > 0 ? `; ${logErrors.afterStop} more written after the engine asked their node to stop, not counted` : "";
  if (total === 0) return ["", `node log errors: none${stopped}`];
  const lines = ["", `=== Node log errors: ${logErrors.hard} hard (Error, Fatal), ${logErrors.soft} soft (Warn, Faulty_peer); ${how}${stopped} ===`];
  for (const e of logErrors.listed.slice(0, LOG_ERRORS_IN_TEXT))
    lines.push(`  [${e.severity}] ${e.level} ${e.node} / ${e.section}: ${e.message.length > 300 ? `${e.message.slice(0, 300)}...` : e.message}`);
  const more = total - Math.min(LOG_ERRORS_IN_TEXT, logErrors.listed.length);
  if (more > 0) lines.push(`  ... and ${more} more (report.json lists ${logErrors.listed.length}; logs/<node>.log has every line)`);
  return lines;
}

// control characters (a log line's ANSI colours) are not allowed in XML 1.0, even escaped
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xml = (text: string) => text.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML: one test case per section, so CI systems show which section failed. */
export function renderJunitReport(report: TestReport): string {
  // errors raised outside every section (a node's Error line between sections) get a test case of their own
  const named = new Set(report.sections.map((s) => s.name));
  const unattributed = [...new Set(report.errors.filter((e) => !named.has(e.section)).map((e) => e.section))];
  const sections: SectionResult[] = [
    ...report.sections,
    ...unattributed.map((name): SectionResult => ({ name, status: report.errors.some((e) => e.section === name && e.severity === "hard") ? "failed" : "soft", durationMs: 0 })),
  ];
  const failures = sections.filter((s) => s.status === "failed").length + (report.failure ? 1 : 0);
  const cases = sections.map((section) => {
    const errors = report.errors.filter((e) => e.section === section.name);
    const body =
      section.status === "failed"
        ? `<failure message="${xml(errors.find((e) => e.severity === "hard")?.message ?? "failed")}">${xml(errors.map((e) => `[${e.severity}] ${e.node ?? ""} ${e.message}`).join("\n"))}</failure>`
        : section.status === "soft"
          ? `<system-err>${xml(errors.map((e) => `[soft] ${e.node ?? ""} ${e.message}`).join("\n"))}</system-err>`
          : "";
    return `    <testcase classname="${xml(report.test)}" name="${xml(section.name)}" time="${(section.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
  });
  if (report.failure) cases.push(`    <testcase classname="${xml(report.test)}" name="engine"><failure message="${xml(report.failure)}"/></testcase>`);
  // without --fail-on-log-errors the nodes' log errors are reported, never a failure (Mina's executive)
  const logErrors = report.logErrors;
  if (logErrors && !logErrors.decideOutcome && logErrors.soft + logErrors.hard > 0) {
    const text = logErrors.listed.map((e) => `[${e.severity}] ${e.level} ${e.node} / ${e.section}: ${e.message}`).join("\n");
    cases.push(`    <testcase classname="${xml(report.test)}" name="node log errors (not counted)" time="0.000"><system-err>${xml(text)}</system-err></testcase>`);
  }
  const properties = report.eventIds
    ? [
        "    <properties>",
        `      <property name="event_id_table" value="${xml(report.eventIds.table)}"/>`,
        `      <property name="event_id_table_reason" value="${xml(report.eventIds.reason)}"/>`,
        "    </properties>",
      ]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mina-local" tests="${cases.length}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(report.test)}" tests="${cases.length}" failures="${failures}" timestamp="${xml(report.startedAt)}">`,
    ...properties,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
