import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HOST_RELAY_ROLE, LABELS, runPaths } from "@mina-local/compose-generator";
import { newestEventIdTable, type EventIdTable } from "@mina-local/engine";
import { parseLine } from "@mina-local/event-parser";
import type { TestReport } from "../model.js";
import { renderHtmlReport } from "./render-html.js";
import { runStory, type StoryEvent, type StoryNode } from "./run-story.js";

/** A node's log bigger than this is left out of the page (the page says so in its lane's absence of marks). */
const MAX_LOG_BYTES = 512 * 1024 * 1024;

/** The run's nodes and roles, from the compose file it deployed (services are nodes). */
export function nodesOfRun(runDir: string): StoryNode[] {
  const composeFile = runPaths(runDir).composeFile;
  if (!existsSync(composeFile)) return [];
  const compose = JSON.parse(readFileSync(composeFile, "utf8")) as { services?: Record<string, { labels?: Record<string, string> }> };
  // a multi-host run's log relays are a service of the run, not a node
  return Object.entries(compose.services ?? {})
    .filter(([, service]) => service.labels?.[LABELS.role] !== HOST_RELAY_ROLE)
    .map(([name, service]) => ({ name: service.labels?.[LABELS.node] ?? name, role: service.labels?.[LABELS.role] ?? "node" }));
}

/** Every event in the run's node logs (logs/<node>.log, the lines as they came off the bus). */
export function eventsOfRun(runDir: string, nodes: readonly StoryNode[], table: EventIdTable): StoryEvent[] {
  const logsDir = join(runDir, "logs");
  if (!existsSync(logsDir)) return [];
  const known = new Set(nodes.map((n) => n.name));
  const events: StoryEvent[] = [];
  for (const file of readdirSync(logsDir).filter((f) => f.endsWith(".log"))) {
    const node = file.slice(0, -".log".length);
    const path = join(logsDir, file);
    if (!known.has(node) || statSync(path).size > MAX_LOG_BYTES) continue;
    for (const text of readFileSync(path, "utf8").split("\n")) {
      if (text === "") continue;
      const parsed = parseLine(text, { table });
      if (parsed.kind !== "event") continue;
      const timestamp = parsed.timestamp ?? parsed.line?.timestamp;
      if (timestamp === undefined) continue;
      for (const event of parsed.events) events.push({ node, type: event.type, timestamp, data: event.data as Record<string, unknown> });
    }
  }
  return events;
}

/**
 * Writes <run-dir>/report.html from the report and the run's logs, read with the run's event-id
 * table (the newest built-in one when the run ended before it picked one); returns its path.
 */
export function writeHtmlReport(report: TestReport, table: EventIdTable = newestEventIdTable()): string {
  const nodes = nodesOfRun(report.runDir);
  const story = runStory(nodes, eventsOfRun(report.runDir, nodes, table), Date.parse(report.startedAt));
  const file = join(report.runDir, "report.html");
  writeFileSync(file, renderHtmlReport(report, story), { mode: 0o600 });
  return file;
}
