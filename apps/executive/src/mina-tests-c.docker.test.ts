import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { buildSimulatorImage } from "@mina-local/daemon-sim";
import type Docker from "dockerode";
import type { TestReport } from "./report/model.js";
import { expectBrokenVariantFailed, expectTestPassed, onlyRunDir, readReport, requireRunPrerequisites, runCli, type CliResult } from "./testing/cli-run.js";

/**
 * Mina's slot-end and epoch-ledger tests through the CLI on the simulator network (the
 * runtime config's daemon.slot_tx_end / slot_chain_end and epoch_data): each passes, and its
 * broken variant (test-fixtures/broken/<name>.ts) fails in its checking section, with the
 * severity of Mina's source (both are Mina `section`s: soft errors, the test goes on). A test
 * and its broken variant run at the same time.
 */
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-tests-c-"));
const RUN_TIMEOUT_MS = 240_000;
let docker: Docker;

const SECTIONS = {
  "slot-end": [
    "wait for nodes to initialize",
    "spawn transaction sending",
    "wait until slot 35",
    "get the receiver's best chain",
    "blocks produced before slot_tx_end",
    "blocks produced after slot_tx_end",
    "blocks produced before slot_chain_end",
    "no blocks produced after slot_chain_end",
  ],
  "epoch-ledger": ["wait for nodes to initialize", "wait for 3 block to be produced"],
} as const;
type TestName = keyof typeof SECTIONS;

/** the section that checks the condition each broken variant breaks: its last one */
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

describe("Mina's slot-end and epoch-ledger tests on the simulator", () => {
  it.each(Object.keys(SECTIONS) as TestName[])(
    "%s passes, and its broken variant fails in the checking section with soft errors (run at the same time)",
    async (name) => {
      const [passing, broken] = await Promise.all([timedRun(name, ["local", name]), timedRun(`${name} (broken)`, ["local", `test-fixtures/broken/${name}.ts`])]);
      await expectTestPassed(docker, SECTIONS[name], name, passing.result, passing.report);
      await expectBrokenVariantFailed(docker, SECTIONS[name], checkingSection(name), name, broken.result, broken.report, "section");
    },
    2 * RUN_TIMEOUT_MS,
  );
});
