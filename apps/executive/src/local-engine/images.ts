import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIMULATOR_IMAGE_REPOSITORY, buildSimulatorImage } from "@mina-local/daemon-sim";
import { MinaLocalError } from "@mina-local/engine";
import { imageExists } from "@mina-local/image-builder";
import { buildForwarderExecutable, bundleForwarder } from "@mina-local/log-forwarder/build";
import { DOCKER_HINT } from "@mina-local/swarm-manager";
import { dockerUnreachable } from "./docker-reachable.js";

/**
 * The image every node runs: --mina-image, else $MINA_IMAGE, else the simulator image
 * (built on demand from this machine's Node runtime, since no registry is reachable).
 */
export async function resolveMinaImage(requested: string | undefined, onProgress: (line: string) => void): Promise<string> {
  const image = requested ?? process.env.MINA_IMAGE;
  if (!image) return (await buildSimulatorImage({ onProgress })).tag;
  const present = await imageExists(image).catch((error: unknown) => {
    if (!dockerUnreachable(error)) throw error;
    throw new MinaLocalError("docker", `cannot ask Docker whether the image ${image} is on this machine: ${error instanceof Error ? error.message : String(error)}`, {
      hint: DOCKER_HINT,
      cause: error,
    });
  });
  if (!present) {
    throw new MinaLocalError("image", `the image ${image} is not on this machine`, {
      hint: `load or build it first (\`docker load -i <file>\` or \`docker build -t ${image} .\`); no registry is used, so it cannot be pulled. Leave out --mina-image to use the simulator image`,
    });
  }
  return image;
}

/** `--archive-image`: on this machine, since no registry is used. */
export async function resolveArchiveImage(image: string): Promise<string> {
  if (!(await imageExists(image))) {
    throw new MinaLocalError("image", `the archive image ${image} (--archive-image) is not on this machine`, {
      hint: "load or build it first (`docker load -i <file>`); no registry is used. Leave out --archive-image with the simulator image: it has an archive process",
    });
  }
  return image;
}

/** The simulator image carries the forwarder; any other image (a real Mina image) gets it bind-mounted. */
export function imageCarriesForwarder(image: string): boolean {
  return image.startsWith(`${SIMULATOR_IMAGE_REPOSITORY}:`);
}

/**
 * The forwarder as a single executable for images without Node, cached by the hash of
 * its bundle so that it is built once per forwarder version; building a new one removes
 * the older versions (each is a whole Node runtime, about 100 MB). Runs bind-mount their
 * executable read-only, and a file removed while mounted stays readable to them.
 */
export async function forwarderExecutable(cacheDir: string, onProgress: (line: string) => void): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), "mina-local-forwarder-"));
  try {
    const bundle = join(scratch, "forwarder.cjs");
    await bundleForwarder({ outFile: bundle, minify: true });
    const version = createHash("sha256").update(readFileSync(bundle)).update(process.version).digest("hex").slice(0, 12);
    const executable = join(cacheDir, `forwarder-${version}`);
    if (!existsSync(executable)) {
      onProgress("building the log-forwarder executable for an image without Node");
      await buildForwarderExecutable({ outFile: executable });
      for (const old of readdirSync(cacheDir).filter((name) => name.startsWith("forwarder-") && join(cacheDir, name) !== executable)) {
        rmSync(join(cacheDir, old), { force: true });
      }
    }
    return executable;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
