import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSimulatorImage } from "@mina-local/daemon-sim";
import type Docker from "dockerode";
import { EXIT_CODES } from "./report/model.js";
import { expectBrokenVariantFailed, expectTestPassed, leftovers, NOTHING_LEFT, onlyRunDir, readReport, requireRunPrerequisites, runCli } from "./testing/cli-run.js";

/**
 * Mina's archive-node test on the simulator with a real PostgreSQL (postgres:16 when the
 * machine has it, else the image built from Debian's postgresql-15): it passes, its broken
 * variant fails in its checking section, and a bad archive or PostgreSQL image is a setup
 * error naming it, with nothing left behind.
 */
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-archive-"));
const outputDir = (name: string) => join(outputRoot, name);
const RUN_TIMEOUT_MS = 400_000;
let docker: Docker;
let simulatorImage: string;

const SECTIONS = ["wait for nodes to initialize", "wait for archive node to initialize", "run the network for 15 slots", "dump archive data", "check archive data"];

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  simulatorImage = (await buildSimulatorImage()).tag;
}, 300_000);
afterAll(() => rmSync(outputRoot, { recursive: true, force: true }));

describe("archive-node (Mina's src/app/test_executive/archive_node_test.ml)", () => {
  it(
    "passes: the archive's PostgreSQL holds the seed's best chain in Mina's schema, and the dump is kept",
    async () => {
      const result = await runCli(["local", "archive-node", "--output-dir", outputDir("pass")], { timeoutMs: RUN_TIMEOUT_MS });
      const report = readReport(onlyRunDir(outputDir("pass")));
      await expectTestPassed(docker, SECTIONS, "archive-node", result, report);
      const compose = JSON.parse(readFileSync(join(report.runDir, "docker-compose.json"), "utf8")) as { services: Record<string, { image: string; command: string[] }> };
      expect(compose.services["postgres-1"]?.image).toMatch(/^(postgres:16|mina-local\/postgres:\d+-[0-9a-f]{12})$/);
      expect(compose.services["archive-1"]?.command.slice(0, 2)).toEqual(["mina-archive", "run"]);
      const dump = readFileSync(join(report.runDir, "archive", "dumps", "archive-1.sql"), "utf8");
      expect(dump).toMatch(/^CREATE DATABASE archive /m);
      expect(dump).toMatch(/^COPY public\.blocks \(id, state_hash, parent_id, parent_hash, creator_id/m);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    "its broken variant fails in its checking section",
    async () => {
      const result = await runCli(["local", "test-fixtures/broken/archive-node.ts", "--output-dir", outputDir("broken")], { timeoutMs: RUN_TIMEOUT_MS });
      const report = readReport(onlyRunDir(outputDir("broken")));
      await expectBrokenVariantFailed(docker, SECTIONS, "check archive data", "archive-node", result, report);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});

describe("bad archive input: a setup error naming what is wrong, nothing left", () => {
  it("a PostgreSQL image that is not on this machine", async () => {
    const result = await runCli(["local", "archive-node", "--postgres-image", "mina-local/no-such-postgres:1", "--output-dir", outputDir("no-pg")], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(EXIT_CODES["image-missing"]);
    expect(result.stderr).toMatch(/the PostgreSQL image mina-local\/no-such-postgres:1 \(--postgres-image\) is not on this machine/);
  }, 130_000);

  it("an archive image that is not on this machine", async () => {
    const result = await runCli(["local", "archive-node", "--archive-image", "mina-local/no-such-archive:1", "--output-dir", outputDir("no-archive")], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(EXIT_CODES["image-missing"]);
    expect(result.stderr).toMatch(/the archive image mina-local\/no-such-archive:1 \(--archive-image\) is not on this machine/);
  }, 130_000);

  it("a PostgreSQL image that exits at once: the PostgreSQL service is named, and the run is torn down", async () => {
    // the simulator image has no docker-entrypoint.sh: its task fails as soon as it starts
    const result = await runCli(["local", "archive-node", "--postgres-image", simulatorImage, "--output-dir", outputDir("pg-exits")], { timeoutMs: 240_000 });
    expect(result.code, result.stderr).toBe(EXIT_CODES["setup-failed"]);
    expect(result.stderr).toMatch(/the task of node postgres-1 is (failed|rejected)/);
    expect(result.stderr).toMatch(/PostgreSQL did not come up/);
    const report = readReport(onlyRunDir(outputDir("pg-exits")));
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  }, 250_000);
});
