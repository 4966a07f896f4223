import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOG_LEVELS } from "@mina-local/engine";
import { nodeLogFileName } from "@mina-local/bus";
import { EXIT_CODES } from "./report/model.js";
import { NOTHING_LEFT, leftovers, onlyRunDir, readReport, requireRunPrerequisites, runCli } from "./testing/cli-run.js";

/**
 * Ctrl-C in a terminal sends SIGINT to the whole foreground process group: the executive
 * and every child it did not put in a group of its own. Before issue 19 that killed
 * nats-server first and every line of the teardown (the daemons' last lines, the
 * forwarders' stop lines) was lost while the report said 0 lost. Here the signal goes to
 * the group as a terminal sends it, and each node's own log file (the simulator's mina.log,
 * written by the daemon itself at Trace) is compared line for line with logs/<node>.log.
 */
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-signals-"));
const INITIALIZED = /Initialized; waiting to be interrupted/;
let docker: Docker;

beforeAll(async () => {
  docker = await requireRunPrerequisites();
});
afterAll(() => rmSync(outputRoot, { recursive: true, force: true }));

interface LogLine {
  level: string;
  source?: { module?: string };
}

/** A level flag's value in an argv (`-log-level X` of the daemon, `--log-level X` of the forwarder). */
function levelFlag(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
}

/**
 * Which of the daemon's own lines must reach logs/<node>.log: the daemon writes to stdout at its
 * `-log-level`, and the forwarder in the container passes what is at its `--log-level` or above,
 * and every structured event (a line with an event_id) whatever its level.
 */
function reachesTheBus(runDir: string, node: string): (line: string) => boolean {
  const compose = JSON.parse(readFileSync(join(runDir, "docker-compose.json"), "utf8")) as { services: Record<string, { command?: string[]; entrypoint?: string[] }> };
  const service = compose.services[node];
  const rank = (level: string | undefined) => LOG_LEVELS.indexOf((level ?? "Info") as (typeof LOG_LEVELS)[number]);
  const daemonRank = rank(levelFlag(service?.command ?? [], "-log-level"));
  const forwarderRank = rank(levelFlag(service?.entrypoint ?? [], "--log-level") ?? "Spam");
  expect(daemonRank, `${node}'s stdout level`).toBeGreaterThanOrEqual(0);
  expect(forwarderRank, `${node}'s forwarder level`).toBeGreaterThanOrEqual(0);
  return (line) => {
    const parsed = JSON.parse(line) as LogLine & { event_id?: string };
    const at = rank(parsed.level);
    return at >= daemonRank && (at >= forwarderRank || parsed.event_id !== undefined);
  };
}

function nonEmptyLines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

async function interruptGroup(signal: NodeJS.Signals, name: string): Promise<void> {
  const outputDir = join(outputRoot, name);
  const result = await runCli(["local", "test-fixtures/slow-test.ts", "--output-dir", outputDir], { timeoutMs: 300_000, interruptWhen: INITIALIZED, signal, processGroup: true });
  const runDir = onlyRunDir(outputDir);
  const report = readReport(runDir);
  expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES.interrupted);
  expect(report.outcome).toBe("interrupted");
  expect(report.pipeline?.linesLost, JSON.stringify(report.pipeline)).toBe(0);
  expect(report.pipeline?.errors).toEqual({ linesLostInFifo: 0, linesNotPublished: 0, linesNotWritten: 0, linesUndrained: 0, batchesNotParsed: 0, eventsNotPublished: 0, eventsNotApplied: 0 });
  expect(report.pipeline?.linesReceived).toBe(report.pipeline?.linesRelayed);

  const nodes = readdirSync(join(runDir, "nodes"));
  expect(nodes.length).toBeGreaterThan(0);
  let forwarderStops = 0;
  for (const node of nodes) {
    // what the daemon wrote itself (its mina.log, at every level), as far as stdout and the forwarder pass it
    const daemonSide = nonEmptyLines(readFileSync(join(runDir, "nodes", node, "state", "mina.log"), "utf8")).filter(reachesTheBus(runDir, node));
    const relayed = nonEmptyLines(readFileSync(join(runDir, "logs", nodeLogFileName(node)), "utf8"));
    const forwarderLines = relayed.filter((line) => line.includes('"module":"mina-local.forwarder"'));
    expect(
      relayed.filter((line) => !forwarderLines.includes(line)),
      `${node}: logs/${node}.log against the daemon's mina.log`,
    ).toEqual(daemonSide);
    // the forwarder's own last line, written as its container stopped, made it too
    if (forwarderLines.at(-1)?.includes('"puppeteer_event_type":"node_offline"')) forwarderStops++;
  }
  expect(forwarderStops).toBe(nodes.length);
  expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
}

describe("a terminal's signal to the executive's whole process group loses no line", () => {
  it("SIGINT (Ctrl-C)", () => interruptGroup("SIGINT", "sigint"), 320_000);
  it("SIGTERM", () => interruptGroup("SIGTERM", "sigterm"), 320_000);
});
