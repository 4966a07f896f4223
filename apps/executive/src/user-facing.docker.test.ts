import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { EXIT_CODES, type TestReport } from "./report/model.js";
import { checkPageInChromium } from "./testing/browser.js";
import { NOTHING_LEFT, appDir, leftovers, onlyRunDir, readReport, requireRunPrerequisites, runCli, type CliResult } from "./testing/cli-run.js";

/**
 * What a new user does, on one real run: the README's example test, copied to a directory
 * outside the checkout, run from there to a pass; `test_executive watch` following the
 * live run's block producers' events from its bus until the run ends; the run's
 * report.html checked in a real headless Chromium (its screenshot kept in the run directory).
 */
const outside = mkdtempSync(join(tmpdir(), "mina-local-user-"));
const outputDir = join(outside, "runs");
const bin = join(appDir, "bin", "test_executive.js");
let docker: Docker;
let run: CliResult;
let report: TestReport;
let runDir: string;
let watched: Promise<CliResult> | undefined;

function watch(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "watch", ...args], { cwd: outside, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  const testFile = join(outside, "two-blocks.ts");
  copyFileSync(join(appDir, "examples", "two-blocks.ts"), testFile);
  run = await runCli(["local", testFile, "--output-dir", outputDir], {
    cwd: outside,
    timeoutMs: 600_000,
    // as soon as the run's bus is up: a user opens a second terminal
    whenReady: { pattern: /The run's bus is at/, action: () => void (watched = watch(["--output-dir", outputDir, "--role", "block-producer", "--event", "*"])) },
  });
  runDir = onlyRunDir(outputDir);
  report = readReport(runDir);
}, 660_000);

// the run directory (report.html, report.png, logs) stays for a person to look at; the rest goes
afterAll(() => {
  for (const name of ["two-blocks.ts"]) rmSync(join(outside, name), { force: true });
  rmSync(join(outputDir, ".cache"), { recursive: true, force: true });
});

describe("a new user's first run", () => {
  it("runs the README's example from a directory outside the repository to a pass, leaving nothing behind", async () => {
    expect(report.outcome, run.stderr.slice(-4000)).toBe("passed");
    expect(run.code).toBe(EXIT_CODES.passed);
    expect(report.test).toBe("two-blocks");
    expect(report.sections.map((s) => [s.name, s.status])).toEqual([
      ["wait for nodes to initialize", "passed"],
      ["produce two blocks", "passed"],
    ]);
    expect(existsSync(join(runDir, "bus.json"))).toBe(false);
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  });

  it("`watch` shows the live run's block producers' events from the bus, and ends when the run ends", async () => {
    expect(watched, "the watch was never started").toBeDefined();
    const result = await (watched as Promise<CliResult>);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`watching mina.${report.runId}.event.block-producer.*.*`);
    expect(result.stderr).toContain(`run ${report.runId} ended (its bus stopped): passed`);
    const lines = result.stdout.split("\n").filter((l) => l !== "");
    expect(
      lines.some((l) => / bp Block_produced: /.test(l)),
      result.stdout.slice(0, 3000),
    ).toBe(true);
    // by role: the seed's events are not there
    expect(lines.filter((l) => / seed /.test(l))).toEqual([]);
  });

  it("writes report.html, which opens in headless Chromium without console errors, with the test name, every section and one lane per node", async () => {
    const page = await checkPageInChromium(join(runDir, "report.html"), join(runDir, "report.png"));
    expect(page.consoleErrors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.testName).toContain("two-blocks");
    expect(page.sectionHeadings).toEqual(["Sections", "Timeline", "The chain as the nodes saw it", "Log pipeline"]);
    expect(page.sectionRows).toEqual(report.sections.map((s) => s.name));
    expect(page.laneNodes.slice().sort()).toEqual(["bp", "seed"]);
    expect(statSync(join(runDir, "report.png")).size).toBeGreaterThan(10_000);
    // kept for a person to look at
    console.log(`report.html and its screenshot: ${runDir}/report.{html,png}`);
  }, 120_000);
});
