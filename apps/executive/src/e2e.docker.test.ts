import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateComposeFile } from "@mina-local/compose-generator";
import { bundleDaemonSim } from "@mina-local/daemon-sim";
import { buildScratchImage } from "@mina-local/image-builder";
import type Docker from "dockerode";
import { EXIT_CODES } from "./report/model.js";
import { NOTHING_LEFT, leftovers as leftovers_, onlyRunDir, readReport, requireRunPrerequisites, runCli } from "./testing/cli-run.js";

/**
 * The RFC's command, end to end, as a user runs it: a real (simulated) Mina network on
 * the local swarm, every node's logs on the bus, and nothing left behind.
 */
/** the simulator's own dump (which pickEventIdTable prefers), or the release its version names */
const SIMULATOR_TABLE = /^(berkeley-2023-09|dump:mina-local\/daemon-sim:.+)$/;
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-e2e-"));
let docker: Docker;
const leftovers = (report: { runId: string; runDir: string }) => leftovers_(docker, report.runId, report.runDir);

function expectMinaJsonLines(stdout: string) {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: expect.any(String), message: expect.any(String), source: { module: expect.any(String) } });
    expect(parsed.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z$/);
  }
}

beforeAll(async () => {
  docker = await requireRunPrerequisites();
});

afterAll(() => rmSync(outputRoot, { recursive: true, force: true }));

describe("test_executive local", () => {
  it("--dry-run writes a run directory whose compose file validates against the Compose schema", async () => {
    const outputDir = join(outputRoot, "dry");
    const result = await runCli(["local", "send-payment", "--dry-run", "--output-dir", outputDir], { timeoutMs: 300_000 });
    expect(result.code, result.stderr).toBe(0);
    const runDir = onlyRunDir(outputDir);
    const compose = JSON.parse(readFileSync(join(runDir, "docker-compose.json"), "utf8")) as { services: Record<string, unknown> };
    expect(validateComposeFile(compose)).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(["bp1", "bp2", "seed"]);
    expect(result.stderr).toContain(runDir);
    // nothing was started, so there is no owner for a later sweep to judge
    expect(existsSync(join(runDir, "owner.json"))).toBe(false);
    // the dry run records the event-id table the run would use, and why
    expect(readReport(runDir).eventIds).toMatchObject({ table: expect.stringMatching(SIMULATOR_TABLE), reason: expect.any(String) });
    expect(result.stderr).toMatch(/event ids: table \S+ \(/);
  }, 320_000);

  it("runs send-payment to a pass, with every node's logs on the bus and nothing left behind", async () => {
    const outputDir = join(outputRoot, "send-payment");
    const result = await runCli(["local", "send-payment", "--output-dir", outputDir], { timeoutMs: 600_000 });
    const runDir = onlyRunDir(outputDir);
    const report = readReport(runDir);
    expect(report.outcome, `${result.stderr.slice(-4000)}`).toBe("passed");
    expect(result.code).toBe(EXIT_CODES.passed);
    expect(report.sections.map((s) => s.status)).toEqual(report.sections.map(() => "passed"));
    expect(report.sections.length).toBe(6);
    expect(report.pipeline?.linesLost).toBe(0);
    // every line the forwarders wrote reached the executive, up to each forwarder's very
    // last line (node_offline, written as its container stops during teardown)
    expect(report.pipeline?.linesReceived).toBe(report.pipeline?.linesRelayed);
    for (const node of ["seed", "bp1", "bp2"]) {
      const lines = readFileSync(join(runDir, "logs", `${node}.log`), "utf8")
        .trimEnd()
        .split("\n");
      // Mina's container preparation comes first (one line per step), then the daemon's start
      expect(lines[0]).toContain("Container preparation: remove-builtin-config");
      expect(lines.find((l) => !l.includes("Container preparation: "))).toContain('"puppeteer_event_type":"node_started"');
      // the block producers' keys went into their wallets (node-signed payments unlock them)
      if (node !== "seed") expect(lines.some((l) => l.includes('"step":"import-key"') && l.includes(`-privkey-path /mina-local/keys/${node}.key`) && l.includes('"level":"Info"'))).toBe(true);
      expect(lines.at(-1)).toContain('"puppeteer_event_type":"node_offline"');
    }
    expect(result.stderr).toContain("=== Test Results ===");
    // the simulator lists its events (dump-structured-events) and says it is Mina develop of 2023-09: the table, named in every report
    expect(report.eventIds?.table).toMatch(SIMULATOR_TABLE);
    expect(result.stderr).toContain(`event ids: table ${report.eventIds?.table} (`);
    expect(readFileSync(join(runDir, "report.xml"), "utf8")).toContain(`<property name="event_id_table" value="${report.eventIds?.table}"/>`);
    // log errors are reported, not judged, and none is a node's shutdown
    expect(report.logErrors?.decideOutcome).toBe(false);
    expect(report.logErrors?.listed.filter((e) => /libp2p_helper process died/.test(e.message))).toEqual([]);
    expectMinaJsonLines(result.stdout);
    expect(existsSync(join(runDir, "shared", "logs.fifo"))).toBe(false);
    expect(await leftovers(report)).toEqual(NOTHING_LEFT);
  }, 620_000);

  it("fails a test that waits for a payment never sent with the hard-error exit code, naming its section", async () => {
    const outputDir = join(outputRoot, "broken");
    const result = await runCli(["local", "test-fixtures/waits-for-unsent-payment.ts", "--output-dir", outputDir], { timeoutMs: 300_000 });
    const report = readReport(onlyRunDir(outputDir));
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["hard-errors"]);
    expect(report.outcome).toBe("hard-errors");
    expect(report.sections.map((s) => [s.name, s.status])).toEqual([
      ["wait for nodes to initialize", "passed"],
      ["wait for a payment that was never sent", "failed"],
    ]);
    expect(report.errors.find((e) => e.severity === "hard")?.section).toBe("wait for a payment that was never sent");
    expect(result.stderr).toMatch(/✗ wait for a payment that was never sent/);
    expect(await leftovers(report)).toEqual(NOTHING_LEFT);
  }, 320_000);

  it("tears everything down on SIGINT during a run", async () => {
    const outputDir = join(outputRoot, "sigint");
    const result = await runCli(["local", "test-fixtures/slow-test.ts", "--output-dir", outputDir], { timeoutMs: 300_000, interruptWhen: /Initialized; waiting to be interrupted/ });
    const report = readReport(onlyRunDir(outputDir));
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES.interrupted);
    expect(report.outcome).toBe("interrupted");
    expect(await leftovers(report)).toEqual(NOTHING_LEFT);
  }, 320_000);

  it("runs send-payment on an image without the forwarder (as a real Mina image is), bind-mounting the forwarder executable", async () => {
    const bundle = join(outputRoot, "mina.mjs");
    await bundleDaemonSim({ outFile: bundle });
    const image = "mina-local/e2e-foreign-image:1";
    await buildScratchImage({ tag: image, files: [{ path: "/usr/local/bin/mina", source: bundle, mode: 0o755 }], entrypoint: ["/usr/local/bin/mina"] });
    try {
      const outputDir = join(outputRoot, "foreign");
      // the executable an older mina-local left in the cache (a whole Node runtime each)
      const older = join(outputDir, ".cache", "forwarder-0123456789ab");
      mkdirSync(dirname(older), { recursive: true });
      writeFileSync(older, "an older forwarder");
      const result = await runCli(["local", "send-payment", "--mina-image", image, "--output-dir", outputDir], { timeoutMs: 600_000 });
      const runDir = onlyRunDir(outputDir);
      const report = readReport(runDir);
      expect(report.outcome, result.stderr.slice(-4000)).toBe("passed");
      const compose = JSON.parse(readFileSync(join(runDir, "docker-compose.json"), "utf8")) as { services: Record<string, { volumes: { target: string; source: string }[] }> };
      for (const service of Object.values(compose.services)) expect(service.volumes.map((v) => v.target)).toContain("/mina-local/forwarder");
      const mounted = Object.values(compose.services)[0]?.volumes.find((v) => v.target === "/mina-local/forwarder")?.source ?? "";
      expect(readdirSync(join(outputDir, ".cache"))).toEqual([basename(mounted)]);
      expect(await leftovers(report)).toEqual(NOTHING_LEFT);
    } finally {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }, 620_000);
});
