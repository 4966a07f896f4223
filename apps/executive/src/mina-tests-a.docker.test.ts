import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type Docker from "dockerode";
import type { TestReport } from "./report/model.js";
import { expectBrokenVariantFailed, expectTestPassed, onlyRunDir, readReport, requireRunPrerequisites, runCli, type CliResult } from "./testing/cli-run.js";
import { prebuildSimulatorImage } from "./testing/simulator-image.js";

/**
 * Mina's block-reward, block-production-priority, gossip-consistency, delegation, snark and
 * payments and zkapps-nonce tests through the CLI on the simulator network: each passes, and its broken variant
 * (test-fixtures/broken/<name>.ts) fails in the section that checks the broken condition, with
 * the severity of Mina's source (CHECKING_KIND). A test and its broken variant run at the same time.
 */
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-tests-a-"));
const RUN_TIMEOUT_MS = 300_000;
let docker: Docker;

const SECTIONS = {
  "block-reward": [
    "wait for nodes to initialize",
    "send payments with fees from an account that produces no blocks",
    "wait for each producer to produce blocks",
    "check each producer's balance: genesis + Mina's coinbase and fees for every block it produced",
  ],
  "block-production-priority": [
    "wait for nodes to initialize",
    "send 20 payments from one sender at once",
    "wait for every payment to be included while blocks are produced",
    "wait for block production to go on on top of the load",
    "check every payment was included once, in nonce order, and the balances",
  ],
  "gossip-consistency": [
    "wait for nodes to initialize",
    "send transactions through every node",
    "wait for the blocks produced meanwhile to settle everywhere",
    "check every block and transaction reached every node",
  ],
  delegation: [
    "wait for nodes to initialize",
    "send a delegation to bp2 and wait for its inclusion",
    "check the new delegate through GraphQL",
    "check bp2 produces with the delegated stake, not before two epochs after the delegation's",
  ],
  snark: [
    "wait for nodes to initialize",
    "send payments so that there is transaction work to prove",
    "wait for ledger proofs to be emitted since genesis",
    "check the snark work was gossiped and the coordinator paid its fee",
  ],
  payments: [
    "wait for nodes to initialize",
    "send a single signed payment between 2 fish accounts",
    "check that the account balances are what we expect after the previous txn",
    "attempt to send again the same signed transaction command as before to conduct a replay attack. expecting a bad nonce",
    "attempt to send again the same signed transaction command as before, but changing the nonce, to conduct a replay attack.  expecting an Invalid_signature",
    "send a single payment from timed account using available liquid",
    "unable to send payment from timed account using illiquid tokens",
    "send out a bunch more txns to fill up the snark ledger, then wait for proofs to be emitted",
    "check account balances.  snark-node-key1 should be greater than or equal to the snark fee",
    "change snark worker key from snark-node-key1 to snark-node-key2",
    "change snark work fee from 0.0002 to 0.0001",
    "send out a bunch of txns to fill up the snark ledger, then wait for proofs to be emitted",
    "check account balances.  snark-node-key2 should be greater than or equal to the snark fee",
  ],
  "zkapps-nonce": [
    "wait for the first block producer to initialize",
    "send padding payments",
    "wait for the other nodes to initialize",
    "Send a zkapp commands with fee payer nonce increments and nonce preconditions",
    "Wait for fish1 zkapp command with failing nonce check to appear in transition frontier with failed status",
    "Wait for fish1 zkapp command with passing nonce check to be accepted into transition frontier",
    "Send zkapp commands with account updates for fish1 that sets send permission to Proof and then tries to send funds ",
    "Wait for fish1 zkapp command with set permission to be accepted by transition frontier",
    "Wait for fish1 zkapp command that tries to send funds with Signature",
    "Verify account update after the updated permission failed by checking account nonce",
    "Verify invalid zkapp commands are removed from transaction pool",
  ],
} as const;
type TestName = keyof typeof SECTIONS;

/** the section that checks the condition each broken variant breaks: its last one, unless named here */
const BROKEN_IN: Partial<Record<TestName, string>> = { "zkapps-nonce": SECTIONS["zkapps-nonce"][4] };
const checkingSection = (name: TestName): string => BROKEN_IN[name] ?? (SECTIONS[name][SECTIONS[name].length - 1] as string);

/** how each test's checking section treats a hard error, as in its Mina source (section = soft, the test goes on; section_hard = the test stops) */
const CHECKING_KIND: Record<TestName, "section" | "sectionHard"> = {
  "block-reward": "section",
  "block-production-priority": "section",
  "gossip-consistency": "section",
  delegation: "section",
  snark: "sectionHard",
  // a section_hard in Mina, whose balance check is a soft error (Malleable_error.soft_error_format): the run ends with soft errors
  payments: "section",
  "zkapps-nonce": "sectionHard",
};

const wallTimes: Record<string, number> = {};

async function timedRun(label: string, args: string[]): Promise<{ result: CliResult; report: TestReport }> {
  const outputDir = join(outputRoot, label);
  const startedAt = Date.now();
  const result = await runCli([...args, "--output-dir", outputDir], { timeoutMs: RUN_TIMEOUT_MS });
  wallTimes[label] = Date.now() - startedAt;
  return { result, report: readReport(onlyRunDir(outputDir)) };
}

const expectPassed = (name: TestName, { result, report }: { result: CliResult; report: TestReport }) => expectTestPassed(docker, SECTIONS[name], name, result, report);
const expectBrokenFails = (name: TestName, { result, report }: { result: CliResult; report: TestReport }) =>
  expectBrokenVariantFailed(docker, SECTIONS[name], checkingSection(name), name, result, report, CHECKING_KIND[name]);

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  // built here, so that no run's wall time includes building it
  await prebuildSimulatorImage();
}, 300_000);

afterAll(() => {
  console.log(`wall times (ms): ${JSON.stringify(wallTimes)}`);
  rmSync(outputRoot, { recursive: true, force: true });
});

describe("Mina's block-reward, block-production-priority, gossip-consistency, delegation, snark, payments and zkapps-nonce tests on the simulator", () => {
  it.each(Object.keys(SECTIONS) as TestName[])(
    "%s passes, and its broken variant fails in the checking section, with Mina's severity (run at the same time)",
    async (name) => {
      const [passing, broken] = await Promise.all([timedRun(name, ["local", name]), timedRun(`${name} (broken)`, ["local", `test-fixtures/broken/${name}.ts`])]);
      await expectPassed(name, passing);
      await expectBrokenFails(name, broken);
    },
    2 * RUN_TIMEOUT_MS,
  );
});
