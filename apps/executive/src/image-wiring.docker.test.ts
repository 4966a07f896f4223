import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minaCliProblems, validateComposeFile, type ComposeFile } from "@mina-local/compose-generator";
import { bundleDaemonSim } from "@mina-local/daemon-sim";
import { RuntimeConfigSchema, type RuntimeConfig } from "@mina-local/engine";
import { buildScratchImage } from "@mina-local/image-builder";
import type Docker from "dockerode";
import { EXIT_CODES } from "./report/model.js";
import { NOTHING_LEFT, leftovers, onlyRunDir, readReport, requireRunPrerequisites, runCli } from "./testing/cli-run.js";

/**
 * What a foreign `--mina-image` (a real Mina image stands behind this: no forwarder inside)
 * gets from a dry run: the compose file and runtime config of Mina's own engine, after the
 * image was run once; and the images the engine refuses before deploying anything.
 */
const root = mkdtempSync(join(tmpdir(), "mina-local-image-wiring-"));
// one output dir for every run: the forwarder executable is built once into its .cache
const outputDir = join(root, "out");
let docker: Docker;
const FOREIGN = "mina-local-test/wiring-foreign:1";
const FIXED = "mina-local-test/wiring-fixed-constants:1";
const NO_GLIBC = "mina-local-test/wiring-no-glibc:1";
const NO_MINA = "mina-local-test/wiring-no-mina:1";
const BAD_IMPORT = "mina-local-test/wiring-bad-import:1";

/** A `mina` whose key import fails as Mina's does on a key its password does not open; its daemon idles. */
const BAD_IMPORT_MINA = `#!/usr/bin/node
const args = process.argv.slice(2);
if (args[0] === "version") { process.stdout.write("Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\\n"); process.exit(0); }
if (args[0] === "advanced") { process.stdout.write("{}\\n"); process.exit(0); }
if (args[0] === "accounts") { process.stderr.write("Error: The password was incorrect, or the key is corrupted\\n"); process.exit(1); }
if (args[0] === "daemon") { setInterval(() => {}, 1000); process.on("SIGTERM", () => process.exit(0)); }
else process.exit(1);
`;

/** A `mina` whose constants are compiled in (a mainnet-like build), in Mina's output shape. */
const FIXED_MINA = `#!/usr/bin/node
const args = process.argv.slice(2).join(" ");
if (args === "version") { process.stdout.write("Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\\n"); process.exit(0); }
if (args === "advanced compile-time-constants") { process.stdout.write('{"k":290,"block_window_duration_ms":180000,"delta":0,"slots_per_sub_window":7,"slots_per_epoch":7140}\\n'); process.exit(0); }
process.exit(1);
`;

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  const bundle = join(root, "mina.mjs");
  await bundleDaemonSim({ outFile: bundle });
  await buildScratchImage({ tag: FOREIGN, files: [{ path: "/usr/local/bin/mina", source: bundle, mode: 0o755 }], entrypoint: ["/usr/local/bin/mina"] });
  await buildScratchImage({ tag: FIXED, files: [{ path: "/usr/local/bin/mina", content: FIXED_MINA, mode: 0o755 }], env: { PATH: "/usr/local/bin:/usr/bin:/bin" } });
  await buildScratchImage({ tag: NO_GLIBC, withNodeRuntime: false, files: [{ path: "/usr/local/bin/mina", content: FIXED_MINA, mode: 0o755 }], env: { PATH: "/usr/local/bin" } });
  await buildScratchImage({ tag: NO_MINA, files: [{ path: "/etc/motd", content: "no mina\n" }], env: { PATH: "/usr/local/bin:/usr/bin:/bin" } });
  await buildScratchImage({ tag: BAD_IMPORT, files: [{ path: "/usr/local/bin/mina", content: BAD_IMPORT_MINA, mode: 0o755 }], env: { PATH: "/usr/local/bin:/usr/bin:/bin" } });
}, 300_000);

afterAll(async () => {
  for (const tag of [FOREIGN, FIXED, NO_GLIBC, NO_MINA, BAD_IMPORT])
    await docker
      ?.getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

const flag = (argv: string[], name: string) => argv[argv.indexOf(name) + 1];
const runsIn = (dir: string) => readFileSync(join(dir, "report.json"), "utf8");

describe("a foreign --mina-image", () => {
  it("--dry-run writes Mina's wiring: flags, environment, trustlist, preparation, stop timeout, and the full runtime config", async () => {
    const out = join(outputDir, "dry");
    const result = await runCli(["local", "snark", "--dry-run", "--mina-image", FOREIGN, "--output-dir", out], { timeoutMs: 600_000 });
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const runDir = onlyRunDir(out);
    const compose = JSON.parse(readFileSync(join(runDir, "docker-compose.json"), "utf8")) as ComposeFile;
    expect(validateComposeFile(compose)).toEqual([]);
    const subnet = compose.networks["mina-local"]?.ipam?.config[0]?.subnet ?? "";
    expect(subnet).toMatch(/^10\.\d+\.\d+\.0\/24$/);
    for (const [name, service] of Object.entries(compose.services)) {
      // every command line is one Mina's CLI accepts
      expect({ name, problems: minaCliProblems(service.command) }).toEqual({ name, problems: [] });
      expect(service.entrypoint).toContain("--prepare");
      expect(flag(service.entrypoint, "--stop-grace-ms")).toBe("600000");
      expect(service.volumes.map((v) => v.target)).toContain("/mina-local/forwarder");
      expect(service.environment).toMatchObject({ DAEMON_REST_PORT: "3085", DAEMON_CLIENT_PORT: "8301", RAYON_NUM_THREADS: "8", LIBP2P_ENABLE_MDNS: "true" });
      // Mina's start order: only the seed starts at deploy
      expect(service.entrypoint.includes("--no-autostart")).toBe(name !== "seed");
      if (name.includes("-worker-")) {
        expect(service.command).toEqual(["mina", "internal", "snark-worker", "-proof-level", "none", "-daemon-address", "snark-node:8301", "--shutdown-on-disconnect", "false"]);
        continue;
      }
      expect(flag(service.command, "-log-level")).toBe("Trace");
      expect(flag(service.command, "-log-snark-work-gossip")).toBe("true");
      expect(flag(service.command, "-log-txn-pool-gossip")).toBe("true");
      expect(flag(service.command, "-generate-genesis-proof")).toBe("true");
      expect(flag(service.command, "-external-ip")).toBe("0.0.0.0");
      // the stand-in says it is develop 9f068b1c3b, whose daemon has no --start-filtered-logs (mina_cli_entrypoint.ml): none passed
      expect(service.command).not.toContain("--start-filtered-logs");
    }
    expect(compose.services["snark-node"]?.environment).toMatchObject({ MINA_CLIENT_TRUSTLIST: subnet, WORK_SELECTION: "seq", MINA_SNARK_FEE: expect.any(String) });
    expect(flag(compose.services["bp1"]?.command ?? [], "-enable-flooding")).toBe("true");

    const runtime = JSON.parse(readFileSync(join(runDir, "config", "runtime-config.json"), "utf8")) as RuntimeConfig;
    expect(RuntimeConfigSchema.safeParse(runtime).success).toBe(true);
    expect(runtime.genesis).toMatchObject({ k: 40, slots_per_epoch: 120, grace_period_slots: 140 });
    expect(runtime.genesis.genesis_state_timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z$/);
    // the image said its profile is none (the simulator never proves): the test left the level out
    expect(runtime.proof).toMatchObject({ level: "none", block_window_duration_ms: 1000, fork: { blockchain_length: 0, global_slot_since_genesis: 0 } });
    for (const account of runtime.ledger.accounts) expect(account).toMatchObject({ pk: expect.stringMatching(/^B62/), sk: expect.stringMatching(/^EK/), delegate: account.pk });
    expect(runtime.daemon).toMatchObject({ txpool_max_size: 3000 });
    expect(result.stdout).toContain("Commit ");
  }, 620_000);

  it("is refused before anything is deployed when its binary fixes constants the test sets, naming each field and both values", async () => {
    const out = join(outputDir, "fixed");
    const result = await runCli(["local", "send-payment", "--mina-image", FIXED, "--output-dir", out], { timeoutMs: 600_000 });
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["invalid-arguments"]);
    const report = readReport(onlyRunDir(out));
    expect(report.failure).toContain(`test send-payment: k: the test asks for 6, the image ${FIXED} runs 290 (fixed when it was compiled)`);
    expect(report.failure).toContain(`proof_config.block_window_duration_ms: the test asks for 2000, the image ${FIXED} runs 180000`);
    expect(report.sections).toEqual([]);
    expect((await docker.listServices({ filters: { label: [`mina-local.run=${report.runId}`] } })).length).toBe(0);
  }, 620_000);

  it("without glibc, or without mina, is its own error and exit code, naming the image and what is missing", async () => {
    const out = join(outputDir, "no-glibc");
    const result = await runCli(["local", "send-payment", "--mina-image", NO_GLIBC, "--output-dir", out], { timeoutMs: 600_000 });
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["image-unusable"]);
    expect(readReport(onlyRunDir(out)).failure).toContain(`the log-forwarder cannot run in the image ${NO_GLIBC}: it has no glibc`);
    expect(result.stderr).not.toContain("Docker engine");

    const out2 = join(outputDir, "no-mina");
    const second = await runCli(["local", "send-payment", "--mina-image", NO_MINA, "--output-dir", out2], { timeoutMs: 600_000 });
    expect(second.code, second.stderr.slice(-3000)).toBe(EXIT_CODES["image-unusable"]);
    expect(runsIn(onlyRunDir(out2))).toContain(`the image ${NO_MINA} has no \`mina\` on its PATH`);
  }, 620_000);

  it("whose key import fails: a setup error naming the node and the command with its own message, and a clean teardown", async () => {
    const out = join(outputDir, "bad-import");
    const result = await runCli(["local", "send-payment", "--mina-image", BAD_IMPORT, "--output-dir", out], { timeoutMs: 600_000 });
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["setup-failed"]);
    const report = readReport(onlyRunDir(out));
    expect(report.outcome).toBe("setup-failed");
    expect(report.failure).toMatch(
      /node bp\d: the container preparation failed at step import-key: `mina accounts import -config-directory \/root\/\.mina-config -privkey-path \/mina-local\/keys\/bp\d\.key` failed \(exit code 1\): Error: The password was incorrect, or the key is corrupted/,
    );
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  }, 620_000);
});
