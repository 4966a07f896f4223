import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type Docker from "dockerode";
import { expect } from "vitest";
import { requireDocker, requireNatsServer, requireSwarmManager } from "@mina-local/test-support";
import { EXIT_CODES, type TestReport } from "../report/model.js";

/** Helpers of the end-to-end tests: run the real CLI as a user would, then look for leftovers. */
export const appDir = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(appDir, "bin", "test_executive.js");

/** What a run of the CLI needs (a reachable Docker swarm manager and nats-server), failing with install hints. */
export async function requireRunPrerequisites(): Promise<Docker> {
  const docker = await requireDocker();
  await requireSwarmManager(docker);
  await requireNatsServer();
  return docker;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  timeoutMs: number;
  /** send `signal` (default SIGINT) once stdout matches */
  interruptWhen?: RegExp;
  signal?: NodeJS.Signals;
  /**
   * Run the CLI as a terminal runs a foreground job: in a process group of its own, and
   * send `signal` to the whole group (as Ctrl-C does), not to the CLI's process alone.
   */
  processGroup?: boolean;
  /** called once stdout matches `whenReady` (e.g. to inject a fault), with the child's pid */
  whenReady?: { pattern: RegExp; action: (pid: number, stdout: string) => void | Promise<void> };
  env?: Record<string, string | undefined>;
  /** the directory it runs in (default: the package's) */
  cwd?: string;
}

export function runCli(args: string[], options: CliRunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.MINA_IMAGE;
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? appDir, stdio: ["ignore", "pipe", "pipe"], env, detached: options.processGroup ?? false });
    const interrupt = (signal: NodeJS.Signals) => {
      if (options.processGroup && child.pid !== undefined) process.kill(-child.pid, signal);
      else child.kill(signal);
    };
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    let acted = false;
    let actionError: Error | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(stdout)) {
        interrupted = true;
        interrupt(options.signal ?? "SIGINT");
      }
      if (options.whenReady && !acted && options.whenReady.pattern.test(stdout)) {
        acted = true;
        void Promise.resolve(options.whenReady.action(child.pid ?? 0, stdout)).catch((error: unknown) => {
          // a failed check or fault injection must not leave the run going: interrupt it, then fail
          actionError = error instanceof Error ? error : new Error(String(error));
          child.kill("SIGINT");
        });
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    // past the deadline: SIGTERM, so that the run still tears down (a SIGKILL would orphan
    // its nats-server and stack), and SIGKILL only if teardown does not finish either
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 90_000).unref();
    }, options.timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`test_executive ${args.join(" ")} did not finish in ${options.timeoutMs} ms\n${stderr.slice(-3000)}`));
      else if (actionError) reject(actionError);
      else resolve({ code, stdout, stderr });
    });
  });
}

/** The one run directory a CLI run made under `outputDir` (dot-directories are caches). */
export function onlyRunDir(outputDir: string): string {
  const runs = readdirSync(outputDir).filter((name) => !name.startsWith("."));
  if (runs.length !== 1) throw new Error(`expected one run directory in ${outputDir}, found ${runs.length}: ${runs.join(", ")}`);
  return join(outputDir, runs[0] as string);
}

export function readReport(runDir: string): TestReport {
  return JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")) as TestReport;
}

/** Pids of the processes whose command line names `text` (e.g. a run id in nats-server's store path). */
export function processesNaming(text: string): number[] {
  return readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * What is left of a run: Docker objects by its label, host processes naming it, and (given
 * its run directory) the run's plumbing there: FIFO, sockets, NATS store, owner file, GraphQL ports.
 * Logs, reports, keys and node state stay, as the README says.
 */
export async function leftovers(docker: Docker, runId: string, runDir?: string) {
  const filters = JSON.stringify({ label: [`mina-local.run=${runId}`] });
  const [services, containers, networks] = await Promise.all([docker.listServices({ filters }), docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  const files = runDir === undefined ? [] : ["shared", "nats", "owner.json", "graphql-ports.json"].filter((name) => existsSync(join(runDir, name)));
  return { services: services.length, containers: containers.length, networks: networks.length, processes: processesNaming(runId).length, files };
}

export const NOTHING_LEFT = { services: 0, containers: 0, networks: 0, processes: 0, files: [] };

/** The run id the CLI announced on stdout ("Run $run_id in $run_dir"). */
export function runIdOf(stdout: string): string {
  const match = /"run_id":"([a-z0-9]+)"/.exec(stdout);
  if (!match?.[1]) throw new Error("the CLI has not announced its run id yet");
  return match[1];
}

/** Host pids of the daemon of `node` in run `runId` (container processes are visible from the host). */
export function daemonPids(runId: string, node: string): number[] {
  return readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        // the forwarder (PID 1 of the container) names the daemon's command line too
        const isForwarder = cmdline.some((arg) => arg.endsWith("/forwarder"));
        return environ.includes(`MINA_LOCAL_RUN=${runId}`) && environ.includes(`MINA_LOCAL_NODE=${node}`) && cmdline.includes("daemon") && !isForwarder;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const tail = (result: CliResult) => `exit ${result.code}\n${result.stderr.slice(-4000)}`;

/** A ported test's passing run: every section passed, no error, no line lost, nothing left. */
export async function expectTestPassed(docker: Docker, sections: readonly string[], name: string, result: CliResult, report: TestReport): Promise<void> {
  expect(report.test).toBe(name);
  expect(report.outcome, tail(result)).toBe("passed");
  expect(result.code).toBe(EXIT_CODES.passed);
  expect(report.sections.map((s) => [s.name, s.status])).toEqual(sections.map((s) => [s, "passed"]));
  expect(report.errors).toEqual([]);
  expect(report.pipeline?.linesLost).toBe(0);
  expect(report.pipeline?.linesReceived).toBeGreaterThan(100);
  expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
}

/**
 * A broken variant's run, by how its checking section treats a hard error (Mina's rule):
 * - `sectionHard`: every section before the checking one passed, the checking one failed with
 *   the only hard error and ended the test (the hard-error exit code);
 * - `section`: the check's error became a soft error of the checking section, every other
 *   section passed, the later ones ran too (the soft-error exit code).
 * No line lost, nothing left.
 */
export async function expectBrokenVariantFailed(
  docker: Docker,
  sections: readonly string[],
  checking: string,
  name: string,
  result: CliResult,
  report: TestReport,
  checkingKind: "section" | "sectionHard" = "sectionHard",
): Promise<void> {
  const index = sections.indexOf(checking);
  expect(index, `"${checking}" is not a section of ${name}`).toBeGreaterThanOrEqual(0);
  expect(report.test).toBe(name);
  if (checkingKind === "sectionHard") {
    expect(result.code, tail(result)).toBe(EXIT_CODES["hard-errors"]);
    expect(report.outcome).toBe("hard-errors");
    expect(report.sections.map((s) => [s.name, s.status])).toEqual([...sections.slice(0, index).map((s) => [s, "passed"]), [checking, "failed"]]);
    expect(report.errors.filter((e) => e.severity === "hard").map((e) => e.section)).toEqual([checking]);
    expect(result.stderr).toContain(`✗ ${checking}`);
  } else {
    expect(result.code, tail(result)).toBe(EXIT_CODES["soft-errors"]);
    expect(report.outcome).toBe("soft-errors");
    expect(report.sections.map((s) => [s.name, s.status])).toEqual(sections.map((s) => [s, s === checking ? "soft" : "passed"]));
    expect(report.errors.filter((e) => e.severity === "hard")).toEqual([]);
    expect([...new Set(report.errors.map((e) => e.section))]).toEqual([checking]);
    expect(result.stderr).toContain(`~ ${checking}`);
  }
  expect(report.pipeline?.linesLost).toBe(0);
  expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
}
