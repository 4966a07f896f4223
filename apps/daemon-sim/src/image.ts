import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildScratchImageOnce, dockerForImages, imageExists, removeOlderTags } from "@mina-local/image-builder";
import { bundleForwarder } from "@mina-local/log-forwarder/build";
import { bundleDaemonSim } from "./bundle.js";
import { SIM_VERSION } from "./version.js";
import { o1jsImageFiles } from "./zkapp/image-files.js";

export const SIMULATOR_IMAGE_REPOSITORY = "mina-local/daemon-sim";

interface Bundles {
  dir: string;
  mina: Buffer;
  archive: Buffer;
  forwarder: Buffer;
  /** o1js' bindings, which the simulator loads on its first zkApp command (zkapp/hash.ts) */
  o1js: ReturnType<typeof o1jsImageFiles>["files"];
  digest: string;
}

async function buildBundles(): Promise<Bundles> {
  const dir = mkdtempSync(join(tmpdir(), "daemon-sim-image-"));
  try {
    const sim = await bundleDaemonSim({ outFile: join(dir, "mina") });
    const archive = await bundleDaemonSim({ outFile: join(dir, "mina-archive"), entry: "mina-archive" });
    const forwarder = await bundleForwarder({ outFile: join(dir, "forwarder.cjs"), minify: true });
    const minaContent = readFileSync(sim.outFile);
    const archiveContent = readFileSync(archive.outFile);
    const forwarderJs = readFileSync(forwarder.outFile, "utf8");
    // the forwarder bundle is plain CommonJS: a shebang makes it the executable entrypoint
    const forwarderContent = Buffer.from(forwarderJs.startsWith("#!") ? forwarderJs : `#!/usr/bin/node\n${forwarderJs}`);
    const o1js = o1jsImageFiles();
    const digest = createHash("sha256").update(minaContent).update(archiveContent).update(forwarderContent).update(o1js.identity).digest("hex");
    return { dir, mina: minaContent, archive: archiveContent, forwarder: forwarderContent, o1js: o1js.files, digest };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `mina-local/daemon-sim:<version>-<first 12 hex of the bundles' SHA-256>`: a changed simulator gets a new tag. */
export async function simulatorImageTag(): Promise<string> {
  const bundles = await buildBundles();
  rmSync(bundles.dir, { recursive: true, force: true });
  return tagOf(bundles.digest);
}

/** Another checkout of mina-local may be about to deploy its own image: only a day-old one is stale. */
const STALE_AFTER_MS = 24 * 3_600_000;

/**
 * Removes the simulator images other than this code's (`test_executive cleanup`): none that
 * a container uses. Returns the tags removed.
 */
export async function removeOtherSimulatorImages(): Promise<string[]> {
  const docker = await dockerForImages();
  return removeOlderTags(SIMULATOR_IMAGE_REPOSITORY, await simulatorImageTag(), docker);
}

const tagOf = (digest: string) => `${SIMULATOR_IMAGE_REPOSITORY}:${SIM_VERSION}-${digest.slice(0, 12)}`;

/**
 * Builds the simulator image FROM scratch with no registry: this machine's Node runtime,
 * `/usr/local/bin/mina` (the simulator), `/usr/local/bin/mina-archive` (its archive process) and `/mina-local/forwarder` (the entrypoint of
 * every node container, under docker-init). Reuses the image when the tag already exists,
 * and builds it once when several runs ask together; after building a new one, removes
 * the simulator images of older code built more than a day ago that no container uses
 * (about 100 MB each). Fails with a clear message when Docker is not reachable.
 */
export async function buildSimulatorImage(options: { onProgress?: (line: string) => void } = {}): Promise<{ tag: string }> {
  const docker = await dockerForImages();
  const bundles = await buildBundles();
  try {
    const tag = tagOf(bundles.digest);
    if (await imageExists(tag, docker)) {
      options.onProgress?.(`image ${tag} is already built`);
      return { tag };
    }
    options.onProgress?.(`building ${tag}`);
    const { built } = await buildScratchImageOnce({
      tag,
      docker,
      files: [
        { path: "/usr/local/bin/mina", content: bundles.mina, mode: 0o755 },
        { path: "/usr/local/bin/mina-archive", content: bundles.archive, mode: 0o755 },
        { path: "/mina-local/forwarder", content: bundles.forwarder, mode: 0o755 },
        ...bundles.o1js,
        { path: "/root/.mina-config/" },
        { path: "/tmp/" },
      ],
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" },
      labels: { "org.opencontainers.image.title": "mina-local daemon simulator", "mina-local.daemon-sim.version": SIM_VERSION },
      entrypoint: ["/usr/local/bin/mina"],
      cmd: ["version"],
      onProgress: options.onProgress,
    });
    if (!built) return { tag };
    const removed = await removeOlderTags(SIMULATOR_IMAGE_REPOSITORY, tag, docker, { builtBefore: new Date(Date.now() - STALE_AFTER_MS) });
    if (removed.length > 0) options.onProgress?.(`removed ${removed.length} simulator image(s) of older code: ${removed.join(", ")}`);
    return { tag };
  } finally {
    rmSync(bundles.dir, { recursive: true, force: true });
  }
}
