import { buildScratchImage } from "@mina-local/image-builder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker } from "./connect.js";
import { PROBE_LABEL, probeMinaImage, removeStaleProbes } from "./image-probe.js";
import type Docker from "dockerode";

/*
 * Three stand-ins for Mina images: a newer daemon (`mina version` and `mina internal
 * dump-structured-events`), an older one (no dump command: it prints the usage and fails,
 * as Mina's command groups do for an unknown subcommand) and one that hangs.
 */
const VERSION = "Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch develop\n";
const DUMP = "Block_produced 64e2d3e86c37c09b15efdaf7470ce879\nBlock_received 60076de624bf0c5fc0843b875001cf84\n";
const script = (mode: "new" | "old" | "hangs") => `#!/usr/bin/node
const args = process.argv.slice(2).join(" ");
const mode = ${JSON.stringify(mode)};
if (mode === "hangs") setTimeout(() => {}, 600000);
else if (args === "version") process.stdout.write(${JSON.stringify(VERSION)});
else if (args === "internal dump-structured-events" && mode === "new") process.stdout.write(${JSON.stringify(DUMP)});
else { process.stderr.write("Error parsing command line:\\n\\n  unknown subcommand dump-structured-events\\n"); process.exit(1); }
`;
const IMAGES = { new: "mina-local/probe-test:new", old: "mina-local/probe-test:old", hangs: "mina-local/probe-test:hangs" } as const;
let docker: Docker;

beforeAll(async () => {
  docker = await connectDocker();
  for (const [mode, tag] of Object.entries(IMAGES) as ["new" | "old" | "hangs", string][]) {
    await buildScratchImage({
      tag,
      files: [{ path: "/usr/local/bin/mina", content: script(mode), mode: 0o755 }],
      env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
      labels: { "mina-local.test": "image-probe" },
    });
  }
}, 300_000);

afterAll(async () => {
  for (const tag of Object.values(IMAGES))
    await docker
      ?.getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
});

async function probeContainers(): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [PROBE_LABEL] } });
  return containers.length;
}

describe("probeMinaImage", () => {
  it("reads `mina version` and `mina internal dump-structured-events` of a newer daemon, and leaves no container", async () => {
    const probe = await probeMinaImage(docker, IMAGES.new, { timeoutMs: 30_000 });
    // this stand-in has no compile-time-constants (image-probe.docker.test.ts covers it)
    expect(probe).toEqual({ version: VERSION, structuredEvents: DUMP, problems: [expect.stringMatching(/^`mina advanced compile-time-constants` failed in the image mina-local\/probe-test:new/)] });
    expect(await probeContainers()).toBe(0);
  }, 60_000);

  it("takes the version alone from a daemon without the dump command, saying so", async () => {
    const probe = await probeMinaImage(docker, IMAGES.old, { timeoutMs: 30_000 });
    expect(probe.version).toBe(VERSION);
    expect(probe.structuredEvents).toBeUndefined();
    expect(probe.problems).toEqual([
      expect.stringMatching(/^the image mina-local\/probe-test:old has no `mina internal dump-structured-events` \(.*exit code 1: [^]*unknown subcommand/),
      expect.stringMatching(/^`mina advanced compile-time-constants` failed in the image mina-local\/probe-test:old/),
    ]);
  }, 60_000);

  it("gives up on an image that does not answer within the timeout, and removes its container", async () => {
    const started = Date.now();
    const probe = await probeMinaImage(docker, IMAGES.hangs, { timeoutMs: 3_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(probe.version).toBeUndefined();
    expect(probe.problems[0]).toMatch(/^`mina version` failed in the image mina-local\/probe-test:hangs: .*timed out after \d+ ms/);
    expect(await probeContainers()).toBe(0);
  }, 60_000);

  it("removeStaleProbes removes a probe container an executive left behind, not a young one", async () => {
    const left = await docker.createContainer({ Image: IMAGES.hangs, Entrypoint: ["mina"], Cmd: ["version"], Labels: { [PROBE_LABEL]: IMAGES.hangs }, HostConfig: { NetworkMode: "none" } });
    try {
      expect(await removeStaleProbes(docker, { olderThanMs: 600_000 })).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await removeStaleProbes(docker, { olderThanMs: 0 })).toHaveLength(1);
      expect(await probeContainers()).toBe(0);
    } finally {
      await left.remove({ force: true }).catch(() => undefined);
    }
  }, 30_000);

  it("says so for an image that is not on this machine, without pulling it", async () => {
    const probe = await probeMinaImage(docker, "mina-local/probe-test:absent", { timeoutMs: 10_000 });
    expect(probe.version).toBeUndefined();
    expect(probe.problems[0]).toMatch(/^`mina version` failed in the image mina-local\/probe-test:absent: creating a container .* failed: .*(No such image|not found)/i);
  }, 30_000);
});
