import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type Docker from "dockerode";
import type { TestReport } from "../report/model.js";
import { expectBrokenVariantFailed, expectTestPassed, onlyRunDir, readReport, requireRunPrerequisites, runCli, type CliResult } from "./cli-run.js";
import { prebuildSimulatorImage } from "./simulator-image.js";

/** how a section treats a hard error, as in the test's Mina source (section = soft, the test goes on; section_hard = the test stops) */
export type SectionKind = "section" | "sectionHard";

export interface PortedTestsSpec<Name extends string> {
  /** the describe block's title */
  title: string;
  /** prefix of the temporary output directory (one per file) */
  outputPrefix: string;
  /** every section of each test, in order, as its passing run reports them */
  sections: Record<Name, readonly string[]>;
  /** the section that checks the condition each broken variant breaks; default: the test's last section */
  checkingSection?: Partial<Record<Name, string>>;
  /** how each test's checking section treats a hard error, as in its Mina source */
  checkingKind: Record<Name, SectionKind>;
  /** one CLI run's limit */
  runTimeoutMs: number;
}

/**
 * The Docker test of ported Mina tests through the CLI on the simulator network: each test
 * passes, and its broken variant (test-fixtures/broken/<name>.ts), run at the same time,
 * fails in its checking section with the severity of Mina's source (expectBrokenVariantFailed).
 * Registers the file's beforeAll (prerequisites, the simulator image built before any run so
 * that no wall time includes it), afterAll (the wall times, the output removed) and one `it`
 * per test.
 */
export function describePortedTests<Name extends string>(spec: PortedTestsSpec<Name>): void {
  const outputRoot = mkdtempSync(join(tmpdir(), spec.outputPrefix));
  const wallTimes: Record<string, number> = {};
  let docker: Docker;

  let runs = 0;
  const timedRun = async (label: string, args: string[]): Promise<{ result: CliResult; report: TestReport }> => {
    // a short directory: the host reaches each node's forwarder on a Unix socket below it, whose path must stay under
    // 108 bytes (sun_path) with the run id and the longest node name ("<coordinator>-worker-<n>.sock")
    const outputDir = join(outputRoot, `run-${++runs}`);
    const startedAt = Date.now();
    const result = await runCli([...args, "--output-dir", outputDir], { timeoutMs: spec.runTimeoutMs });
    wallTimes[label] = Date.now() - startedAt;
    return { result, report: readReport(onlyRunDir(outputDir)) };
  };

  const checkingSection = (name: Name): string => {
    const sections = spec.sections[name];
    return spec.checkingSection?.[name] ?? (sections[sections.length - 1] as string);
  };

  beforeAll(async () => {
    docker = await requireRunPrerequisites();
    await prebuildSimulatorImage();
  }, 300_000);

  afterAll(() => {
    console.log(`wall times (ms): ${JSON.stringify(wallTimes)}`);
    rmSync(outputRoot, { recursive: true, force: true });
  });

  describe(spec.title, () => {
    it.each(Object.keys(spec.sections) as Name[])(
      "%s passes, and its broken variant fails in the checking section, with Mina's severity (run at the same time)",
      async (name) => {
        const [passing, broken] = await Promise.all([timedRun(name, ["local", name]), timedRun(`${name} (broken)`, ["local", `test-fixtures/broken/${name}.ts`])]);
        await expectTestPassed(docker, spec.sections[name], name, passing.result, passing.report);
        await expectBrokenVariantFailed(docker, spec.sections[name], checkingSection(name), name, broken.result, broken.report, spec.checkingKind[name]);
      },
      2 * spec.runTimeoutMs,
    );
  });
}
