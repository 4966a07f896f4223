import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { buildSimulatorImage } from "@mina-local/daemon-sim";
import type Docker from "dockerode";
import type { TestReport } from "./report/model.js";
import { expectBrokenVariantFailed, expectTestPassed, onlyRunDir, readReport, requireRunPrerequisites, runCli, type CliResult } from "./testing/cli-run.js";

/**
 * Mina's zkapps test (zkapps.ml) through the CLI on the simulator network: it passes, and its
 * broken variant (test-fixtures/broken/zkapps.ts) fails in its checking section, "Verify zkApp
 * transaction updates in ledger", a section_hard as in Mina (hard error, the test stops). The
 * test and its broken variant run at the same time. (Its own file for now; the harness is
 * mina-tests-c's, to be moved onto the shared one of the mina-tests-* files.)
 */
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-tests-zkapps-"));
const RUN_TIMEOUT_MS = 240_000;
let docker: Docker;

const SECTIONS = {
  zkapps: [
    "Wait for nodes to initialize",
    "Send a zkApp transaction to create zkApp accounts",
    "Wait for zkapp to create accounts to be included in transition frontier",
    "Send a valid payment from zkApp account",
    "Send a zkApp transaction to update permissions",
    "Wait for zkApp transaction to update permissions to be included in transition frontier",
    "Send an invalid payment from zkApp account",
    "Verify that updated permissions are in ledger accounts",
    "Send a zkapp with a different chain id",
    "Send a zkapp with an insufficient fee",
    "Send a zkApp transaction to update all fields",
    "Send a zkapp with an insufficient replace fee",
    "Send a zkApp transaction with an invalid nonce",
    "Send a zkApp transaction with insufficient_funds, fee too high",
    "Send a zkApp transaction with an invalid signature",
    "Send a zkApp transaction with a nonexistent fee payer",
    "Wait for zkApp transaction to update all fields to be included in transition frontier",
    "Verify zkApp transaction updates in ledger",
  ],
} as const;
type TestName = keyof typeof SECTIONS;

/** the section that checks the condition the broken variant breaks: its last one */
const checkingSection = (name: TestName): string => SECTIONS[name][SECTIONS[name].length - 1] as string;

const wallTimes: Record<string, number> = {};

async function timedRun(label: string, args: string[]): Promise<{ result: CliResult; report: TestReport }> {
  const outputDir = join(outputRoot, label);
  const startedAt = Date.now();
  const result = await runCli([...args, "--output-dir", outputDir], { timeoutMs: RUN_TIMEOUT_MS });
  wallTimes[label] = Date.now() - startedAt;
  return { result, report: readReport(onlyRunDir(outputDir)) };
}

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  // built here, so that no run's wall time includes building it
  await buildSimulatorImage();
}, 300_000);

afterAll(() => {
  console.log(`wall times (ms): ${JSON.stringify(wallTimes)}`);
  rmSync(outputRoot, { recursive: true, force: true });
});

describe("Mina's zkapps test on the simulator", () => {
  it.each(Object.keys(SECTIONS) as TestName[])(
    "%s passes, and its broken variant fails in the checking section with a hard error (run at the same time)",
    async (name) => {
      const [passing, broken] = await Promise.all([timedRun(name, ["local", name]), timedRun(`${name} (broken)`, ["local", `test-fixtures/broken/${name}.ts`])]);
      await expectTestPassed(docker, SECTIONS[name], name, passing.result, passing.report);
      await expectBrokenVariantFailed(docker, SECTIONS[name], checkingSection(name), name, broken.result, broken.report, "sectionHard");
    },
    2 * RUN_TIMEOUT_MS,
  );
});
