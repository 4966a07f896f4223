import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import type { TestReport } from "./report/model.js";
import { expectBrokenVariantFailed, expectTestPassed, onlyRunDir, readReport, requireRunPrerequisites, runCli, type CliResult } from "./testing/cli-run.js";
import { prebuildSimulatorImage } from "./testing/simulator-image.js";

/**
 * Mina's restart tests (peers-reliability, chain-reliability, medium-bootstrap) through the
 * CLI on the simulator network: each passes, each broken variant fails in the section that
 * checks the broken condition, with the severity of Mina's source (a `section` check gives the
 * soft-error exit code and the test goes on; a `section_hard` one the hard-error code), and two runs at the same time
 * never touch each other. Runs go two at a time to keep the wall time low.
 */
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-tests-b-"));
const RUN_TIMEOUT_MS = 300_000;
let docker: Docker;

const SECTIONS = {
  "peers-reliability": [
    "wait for nodes to initialize",
    "network is fully connected upon initialization",
    "network can't be partitioned if 2 nodes are hypothetically taken offline",
    "send a payment",
    "send a zkApp to create an account",
    "Checking for new zkApp account in node about to be stopped",
    "blocks are produced",
    "short bootstrap",
    "network is fully connected after one node was restarted",
  ],
  "chain-reliability": [
    "wait for nodes to initialize",
    "blocks are produced",
    "short bootstrap",
    "set up for checking for shared state, send a several payments and wait for them to be added to chain",
    "common prefix of all nodes is no farther back than 1 block",
  ],
  "medium-bootstrap": [
    "Wait for nodes to initialize",
    "blocks are produced",
    "restart node after 2k+1, ie 5, blocks",
    "network is fully connected after one node was restarted",
    "blocks are produced",
    "restart node with the same state after 1 block",
    "network is fully connected after one node was restarted",
  ],
} as const;
type TestName = keyof typeof SECTIONS;

/** the section whose condition each broken variant breaks */
const CHECKING_SECTION: Record<TestName, string> = {
  "peers-reliability": "network is fully connected upon initialization",
  "chain-reliability": "common prefix of all nodes is no farther back than 1 block",
  // the first of the two sections of that name (Mina's medium_bootstrap.ml names both alike)
  "medium-bootstrap": "network is fully connected after one node was restarted",
};

/** how each checking section treats a hard error, as in the test's Mina source (section = soft, the test goes on; section_hard = the test stops) */
const CHECKING_KIND: Record<TestName, "section" | "sectionHard"> = {
  "peers-reliability": "section",
  "chain-reliability": "section",
  "medium-bootstrap": "sectionHard",
};

const wallTimes: Record<string, number> = {};

async function timedRun(label: string, args: string[]): Promise<CliResult> {
  const startedAt = Date.now();
  const result = await runCli(args, { timeoutMs: RUN_TIMEOUT_MS });
  wallTimes[label] = Date.now() - startedAt;
  return result;
}

const expectPassed = (name: TestName, result: CliResult, report: TestReport) => expectTestPassed(docker, SECTIONS[name], name, result, report);
const expectBrokenFails = (name: TestName, result: CliResult, report: TestReport) =>
  expectBrokenVariantFailed(docker, SECTIONS[name], CHECKING_SECTION[name], name, result, report, CHECKING_KIND[name]);

function reportOfTest(outputDir: string, name: TestName): TestReport {
  const reports = readdirSync(outputDir)
    .filter((entry) => !entry.startsWith(".") && existsSync(join(outputDir, entry, "report.json")))
    .map((entry) => readReport(join(outputDir, entry)))
    .filter((report) => report.test === name);
  expect(reports).toHaveLength(1);
  return reports[0] as TestReport;
}

// ---------------------------------------------------------------- isolation

const RUN_LABEL = "mina-local.run";
const NODE_LABEL = "mina-local.node";

interface IsolationSample {
  /** run ids with at least one running container in this sample */
  live: string[];
  violations: string[];
}

/** The runs under `outputDir` (one directory each, named by run id) and their node names from the compose file. */
function runsUnder(outputDir: string): Map<string, Set<string>> {
  const runs = new Map<string, Set<string>>();
  for (const entry of readdirSync(outputDir)) {
    const compose = join(outputDir, entry, "docker-compose.json");
    if (entry.startsWith(".") || !existsSync(compose)) continue;
    const services = (JSON.parse(readFileSync(compose, "utf8")) as { services: Record<string, unknown> }).services;
    runs.set(entry, new Set(Object.keys(services)));
  }
  return runs;
}

/**
 * One look at Docker: every object labelled with a run belongs to that run alone (its
 * services are the run's nodes in the run's stack, its containers sit only on the run's
 * network, and the run's network holds only the run's containers).
 */
async function sampleIsolation(outputDir: string): Promise<IsolationSample> {
  const runs = runsUnder(outputDir);
  const sample: IsolationSample = { live: [], violations: [] };
  for (const [runId, nodes] of runs) {
    const filters = JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] });
    const [services, containers, networks] = await Promise.all([docker.listServices({ filters }), docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
    const networkIds = new Set(networks.map((n) => n.Id));
    for (const service of services) {
      const name = service.Spec?.Name ?? "";
      const node = service.Spec?.Labels?.[NODE_LABEL] ?? "";
      if (name !== `${runId}_${node}` || !nodes.has(node)) sample.violations.push(`run ${runId}: service ${name} (node ${node}) is not one of its nodes ${[...nodes].join(", ")}`);
      for (const attachment of service.Spec?.TaskTemplate?.Networks ?? []) {
        if (!networkIds.has(attachment.Target ?? "")) sample.violations.push(`run ${runId}: service ${name} is attached to network ${attachment.Target} of another run`);
      }
    }
    for (const container of containers) {
      const service = container.Labels["com.docker.swarm.service.name"] ?? "";
      const node = container.Labels[NODE_LABEL] ?? "";
      if (service !== `${runId}_${node}` || !nodes.has(node)) sample.violations.push(`run ${runId}: container ${container.Id.slice(0, 12)} of service ${service} is not one of its nodes`);
      for (const network of Object.keys(container.NetworkSettings?.Networks ?? {})) {
        if (!network.startsWith(`${runId}_`)) sample.violations.push(`run ${runId}: container of ${service} sits on network ${network}`);
      }
    }
    for (const network of networks) {
      const attached = await docker
        .getNetwork(network.Id)
        .inspect()
        .catch(() => undefined);
      // endpoints are named after their stack: "<run>_<node>.1.<task>", and "<run>_mina-local-endpoint" (the network's load balancer)
      for (const [id, endpoint] of Object.entries((attached?.Containers ?? {}) as Record<string, { Name?: string }>)) {
        if (!(endpoint.Name ?? "").startsWith(`${runId}_`)) sample.violations.push(`run ${runId}: its network ${network.Name} holds ${endpoint.Name ?? id}, not one of its own`);
      }
    }
    if (containers.some((c) => c.State === "running")) sample.live.push(runId);
  }
  return sample;
}

// ---------------------------------------------------------------- tests

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  // built here, so that no run's wall time includes building it
  await prebuildSimulatorImage();
}, 300_000);

afterAll(() => {
  console.log(`wall times (ms): ${JSON.stringify(wallTimes)}`);
  rmSync(outputRoot, { recursive: true, force: true });
});

describe("Mina's restart tests on the simulator (test_executive local)", () => {
  it(
    "peers-reliability and chain-reliability pass when run at the same time, and the two runs never touch each other",
    async () => {
      // one output directory for both, as `test_executive local a & test_executive local b` gives
      const outputDir = join(outputRoot, "together");
      mkdirSync(outputDir, { recursive: true });
      const runs = Promise.all([
        timedRun("peers-reliability", ["local", "peers-reliability", "--output-dir", outputDir]),
        timedRun("chain-reliability", ["local", "chain-reliability", "--output-dir", outputDir]),
      ]);
      let finished = false;
      void runs.finally(() => (finished = true));
      const violations = new Set<string>();
      let samplesWithBothLive = 0;
      while (!finished) {
        const sample = await sampleIsolation(outputDir);
        for (const v of sample.violations) violations.add(v);
        if (sample.live.length === 2) samplesWithBothLive++;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const [peers, chain] = await runs;

      // the runs overlapped: there were moments with both networks up
      expect(samplesWithBothLive).toBeGreaterThan(3);
      expect([...violations]).toEqual([]);
      const peersReport = reportOfTest(outputDir, "peers-reliability");
      const chainReport = reportOfTest(outputDir, "chain-reliability");
      expect(peersReport.runId).not.toBe(chainReport.runId);
      await expectPassed("peers-reliability", peers, peersReport);
      await expectPassed("chain-reliability", chain, chainReport);
    },
    2 * RUN_TIMEOUT_MS,
  );

  it(
    "the broken peers-reliability and chain-reliability fail with soft errors in the section that checks (a Mina `section`), and the test goes on",
    async () => {
      const runBroken = async (name: TestName) => {
        const outputDir = join(outputRoot, `broken-${name}`);
        const result = await timedRun(`broken ${name}`, ["local", `test-fixtures/broken/${name}.ts`, "--output-dir", outputDir]);
        return { result, report: readReport(onlyRunDir(outputDir)) };
      };
      const [peers, chain] = await Promise.all([runBroken("peers-reliability"), runBroken("chain-reliability")]);
      await expectBrokenFails("peers-reliability", peers.result, peers.report);
      await expectBrokenFails("chain-reliability", chain.result, chain.report);
    },
    2 * RUN_TIMEOUT_MS,
  );

  it(
    "medium-bootstrap passes, and its broken variant (each node expected to be connected to itself) fails in the first connectivity section",
    async () => {
      const passDir = join(outputRoot, "medium-bootstrap");
      const brokenDir = join(outputRoot, "broken-medium-bootstrap");
      const [passed, broken] = await Promise.all([
        timedRun("medium-bootstrap", ["local", "medium-bootstrap", "--output-dir", passDir]),
        timedRun("broken medium-bootstrap", ["local", "test-fixtures/broken/medium-bootstrap.ts", "--output-dir", brokenDir]),
      ]);
      await expectPassed("medium-bootstrap", passed, readReport(onlyRunDir(passDir)));
      await expectBrokenFails("medium-bootstrap", broken, readReport(onlyRunDir(brokenDir)));
    },
    2 * RUN_TIMEOUT_MS,
  );
});
