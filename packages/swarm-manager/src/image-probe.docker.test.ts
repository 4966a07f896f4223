import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildScratchImage } from "@mina-local/image-builder";
import { bundleForwarder } from "@mina-local/log-forwarder/build";
import { requireDocker } from "@mina-local/test-support";
import { PROBE_LABEL, probeMinaImage } from "./index.js";

/** A stand-in `mina` answering the two questions the probe asks, as Mina's CLI prints them. */
const MINA = `#!/usr/bin/node
const args = process.argv.slice(2).join(" ");
if (args === "version") { process.stdout.write("Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\\n"); process.exit(0); }
if (args === "advanced compile-time-constants") {
  const fs = require("node:fs");
  const file = process.env.MINA_CONFIG_FILE;
  const k = file ? JSON.parse(fs.readFileSync(file, "utf8")).genesis.k : 290;
  process.stdout.write(JSON.stringify({ k, block_window_duration_ms: 180000, slots_per_epoch: 7140 }) + "\\n");
  process.exit(0);
}
process.stderr.write("unknown subcommand\\n"); process.exit(1);
`;

const WITH_MINA = "mina-local-test/probe-with-mina:1";
const NO_MINA = "mina-local-test/probe-no-mina:1";
const NO_GLIBC = "mina-local-test/probe-no-glibc:1";
let docker: Docker;
let work: string;
let forwarder: string;

beforeAll(async () => {
  docker = await requireDocker();
  work = await mkdtemp(join(tmpdir(), "probe-"));
  const { outFile } = await bundleForwarder({ outFile: join(work, "forwarder.cjs") });
  // the bundle under Node's shebang stands in for the single executable: it too needs the image's glibc
  forwarder = join(work, "forwarder");
  await writeFile(forwarder, `#!/usr/bin/node\n${await readFile(outFile, "utf8")}`, { mode: 0o755 });
  await buildScratchImage({
    tag: WITH_MINA,
    files: [{ path: "/usr/local/bin/mina", content: MINA, mode: 0o755 }],
    env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
    labels: { "mina-local.test": "probe" },
  });
  await buildScratchImage({ tag: NO_MINA, files: [{ path: "/etc/motd", content: "no mina here\n" }], env: { PATH: "/usr/local/bin:/usr/bin:/bin" }, labels: { "mina-local.test": "probe" } });
  await buildScratchImage({
    tag: NO_GLIBC,
    withNodeRuntime: false,
    files: [{ path: "/usr/local/bin/mina", content: MINA, mode: 0o755 }],
    env: { PATH: "/usr/local/bin" },
    labels: { "mina-local.test": "probe" },
  });
}, 300_000);

afterAll(async () => {
  for (const tag of [WITH_MINA, NO_MINA, NO_GLIBC])
    await docker
      ?.getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

const leftovers = async () => (await docker.listContainers({ all: true, filters: { label: [PROBE_LABEL] } })).length;

describe("probeMinaImage", () => {
  it("reads mina version and compile-time-constants, the latter over the run's runtime config, and runs the forwarder", async () => {
    const config = join(work, "runtime-config.json");
    await writeFile(config, JSON.stringify({ genesis: { k: 6 } }));
    const probe = await probeMinaImage(docker, WITH_MINA, { timeoutMs: 60_000, forwarderPath: forwarder, runtimeConfigPath: config });
    expect(probe).toEqual({
      // the stand-in, as a 2023-09 daemon without it, has no dump command
      problems: [expect.stringMatching(/^the image .* has no `mina internal dump-structured-events`/)],
      version: "Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\n",
      compileTimeConstants: `${JSON.stringify({ k: 6, block_window_duration_ms: 180000, slots_per_epoch: 7140 })}\n`,
    });
    expect(await leftovers()).toBe(0);
  }, 120_000);

  it("says the image has no mina", async () => {
    const probe = await probeMinaImage(docker, NO_MINA, { timeoutMs: 60_000, forwarderPath: forwarder });
    expect(probe.noMina).toBe(true);
    expect(probe.forwarderUnusable).toBeUndefined();
    expect(probe.problems).toEqual([expect.stringContaining(`the image ${NO_MINA} has no \`mina\` on its PATH`)]);
    expect(await leftovers()).toBe(0);
  }, 120_000);

  it("says the forwarder cannot run in an image without glibc", async () => {
    const probe = await probeMinaImage(docker, NO_GLIBC, { timeoutMs: 60_000, forwarderPath: forwarder });
    expect(probe.forwarderUnusable).toBe(true);
    expect(probe.problems[0]).toBe(
      `the log-forwarder cannot run in the image ${NO_GLIBC}: it has no glibc (the dynamic loader /lib64/ld-linux-x86-64.so.2 is missing; musl/Alpine and scratch images cannot run it)`,
    );
    expect(await leftovers()).toBe(0);
  }, 120_000);
});
