import { writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { buildScratchImageOnce, imageExists } from "./index.js";

const docker = new Docker();
const TAG = "mina-local/once-test:1";
const LABEL = "mina-local.test";
const untaggedOfThisTest = async () => (await docker.listImages({ filters: JSON.stringify({ dangling: ["true"], label: [`${LABEL}=once`] }) })).length;

afterAll(async () => {
  await docker
    .getImage(TAG)
    .remove({ force: true })
    .catch(() => undefined);
});

describe("buildScratchImageOnce (needs Docker)", () => {
  it("builds an image once when several callers ask at the same time, leaving no untagged copy", async () => {
    await docker
      .getImage(TAG)
      .remove({ force: true })
      .catch(() => undefined);
    const before = await untaggedOfThisTest();
    const options = { tag: TAG, withNodeRuntime: false, files: [{ path: "/content", content: "x".repeat(1_000_000) }], labels: { [LABEL]: "once" }, docker };
    const results = await Promise.all([buildScratchImageOnce(options), buildScratchImageOnce(options), buildScratchImageOnce(options)]);
    expect(results.filter((r) => r.built)).toHaveLength(1);
    expect(await imageExists(TAG, docker)).toBe(true);
    expect(await untaggedOfThisTest()).toBe(before);
    expect((await buildScratchImageOnce(options)).built).toBe(false);
  }, 120_000);

  it("takes over a lock whose process is gone", async () => {
    await docker
      .getImage(TAG)
      .remove({ force: true })
      .catch(() => undefined);
    const lock = join(tmpdir(), "mina-local-build-mina-local_once-test_1.lock");
    writeFileSync(lock, "999999999"); // no such process
    try {
      const result = await buildScratchImageOnce({ tag: TAG, withNodeRuntime: false, files: [{ path: "/content", content: "y" }], labels: { [LABEL]: "once" }, docker, lockTimeoutMs: 10_000 });
      expect(result.built).toBe(true);
    } finally {
      rmSync(lock, { force: true });
    }
  }, 60_000);
});
