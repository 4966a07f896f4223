import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildScratchImage } from "@mina-local/image-builder";
import type Docker from "dockerode";
import { EXIT_CODES } from "./report/model.js";
import { NOTHING_LEFT, leftovers, onlyRunDir, readReport, requireRunPrerequisites, runCli } from "./testing/cli-run.js";

/*
 * Node log errors end to end, with a stand-in daemon in an image without the forwarder (as a
 * real Mina image is). It says it is Mina develop of 2023-09 (`mina version`), logs an Error
 * while booting, Node_initialization (Mina's id for Starting_transition_frontier_controller in
 * that release), and on SIGTERM the Fatal every Mina daemon logs when its libp2p helper goes
 * down with it (src/lib/mina_net2/libp2p_helper.ml: "libp2p_helper process died unexpectedly:
 * $exit_status"). Its lines have Mina's key order and timestamp.
 */
const IMAGE = "mina-local/log-errors-test:1";
const STAND_IN = `#!/usr/bin/node
const args = process.argv.slice(2);
if (args[0] === "version") { process.stdout.write("Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\\n"); process.exit(0); }
// the forwarder's container preparation imports the keys (\`mina accounts import\`) before the first start
if (args[0] === "accounts" || args[0] === "libp2p") process.exit(0);
if (args[0] !== "daemon") { process.stderr.write("unknown command\\n"); process.exit(1); }
const stamp = () => { const iso = new Date().toISOString(); return iso.slice(0, 10) + " " + iso.slice(11, 23) + "000Z"; };
const line = (level, module, file, message, metadata, eventId) => process.stdout.write(JSON.stringify({ timestamp: stamp(), level, source: { module, location: 'File "' + file + '", line 1, characters 0-1' }, message, metadata, ...(eventId ? { event_id: eventId } : {}) }) + "\\n");
line("Error", "Mina_lib", "src/lib/mina_lib/mina_lib.ml", "Stand-in error while booting: $reason", { reason: "no peers yet" });
setTimeout(() => line("Info", "Transition_router", "src/lib/transition_router/transition_router.ml", "Starting transition frontier controller phase", {}, "21ccae8c619bc2666474085272d5fe1d"), 300);
const keepAlive = setInterval(() => line("Debug", "Mina_lib", "src/lib/mina_lib/mina_lib.ml", "tick", {}), 1000);
process.on("SIGTERM", () => {
  clearInterval(keepAlive);
  line("Fatal", "Mina_net2", "src/lib/mina_net2/libp2p_helper.ml", "libp2p_helper process died unexpectedly: $exit_status", { exit_status: "exited with code 1" });
  setTimeout(() => process.exit(0), 100);
});
`;

const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-log-errors-"));
let docker: Docker;

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  await buildScratchImage({
    tag: IMAGE,
    files: [{ path: "/usr/local/bin/mina", content: STAND_IN, mode: 0o755 }],
    env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
    entrypoint: ["/usr/local/bin/mina"],
    labels: { "mina-local.test": "log-errors" },
  });
}, 300_000);

afterAll(async () => {
  await docker
    ?.getImage(IMAGE)
    .remove({ force: true })
    .catch(() => undefined);
  rmSync(outputRoot, { recursive: true, force: true });
});

const run = (name: string, extra: string[] = []) => {
  const outputDir = join(outputRoot, name);
  // one output directory: the forwarder executable is built once, in its .cache
  return runCli(["local", "test-fixtures/restarts-a-node.ts", "--mina-image", IMAGE, "--output-dir", outputDir, ...extra], { timeoutMs: 400_000 }).then((result) => ({
    result,
    report: readReport(onlyRunDir(outputDir)),
  }));
};

describe("node log errors", () => {
  it("are reported from each node's first line and attributed to their section, never counting a node's shutdown, and do not decide the outcome", async () => {
    const { result, report } = await run("reported");
    expect(report.outcome, result.stderr.slice(-4000)).toBe("passed");
    expect(result.code).toBe(EXIT_CODES.passed);
    expect(report.eventIds?.table).toBe("berkeley-2023-09");
    const logErrors = report.logErrors;
    expect(logErrors?.decideOutcome).toBe(false);
    // seed and bp at deploy, bp again at its restart; every Fatal was written after a stop request
    expect(logErrors?.listed.map((e) => [e.node, e.level, e.message])).toEqual(
      expect.arrayContaining([
        ["seed", "Error", "(Mina_lib) Stand-in error while booting: no peers yet"],
        ["bp", "Error", "(Mina_lib) Stand-in error while booting: no peers yet"],
      ]),
    );
    expect(logErrors?.listed).toHaveLength(3);
    expect(logErrors?.listed.filter((e) => e.level === "Fatal")).toEqual([]);
    expect(logErrors?.afterStop).toBe(3);
    expect(
      logErrors?.listed
        .filter((e) => e.node === "bp")
        .map((e) => e.section)
        .at(-1),
    ).toBe("restart bp");
    for (const boot of logErrors?.listed.slice(0, 2) ?? []) expect(["before the test", "wait for nodes to initialize"]).toContain(boot.section);
    expect(report.errors).toEqual([]);
    expect(result.stderr).toContain(
      "=== Node log errors: 3 hard (Error, Fatal), 0 soft (Warn, Faulty_peer); reported; they do not decide the outcome without --fail-on-log-errors; 3 more written after the engine asked their node to stop, not counted ===",
    );
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  }, 420_000);

  it("with --fail-on-log-errors, fail the section they belong to and the run (exit 5)", async () => {
    const { result, report } = await run("fail", ["--fail-on-log-errors"]);
    expect(result.code, result.stderr.slice(-4000)).toBe(EXIT_CODES["hard-errors"]);
    expect(report.outcome).toBe("hard-errors");
    expect(report.sections.find((s) => s.name === "restart bp")?.status, JSON.stringify({ sections: report.sections, logErrors: report.logErrors?.listed })).toBe("failed");
    expect(report.errors).toEqual(expect.arrayContaining([{ severity: "hard", section: "restart bp", node: "bp", message: "Error line: (Mina_lib) Stand-in error while booting: no peers yet" }]));
    expect(report.errors.some((e) => /libp2p_helper/.test(e.message))).toBe(false);
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  }, 420_000);
});
