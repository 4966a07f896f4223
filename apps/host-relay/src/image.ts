import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildScratchImageOnce, parseLddOutput, removeOlderTags } from "@mina-local/image-builder";
import type { ImageFile } from "@mina-local/image-builder";

export const HOST_RELAY_IMAGE_REPOSITORY = "mina-local/host-relay";
/** where the bundle sits in the image; the image's entrypoint */
export const HOST_RELAY_IMAGE_ENTRYPOINT = "/mina-local/host-relay";

// From the sources (the workspace's tests) bundle the sources; from dist/ (an installed package) the built JavaScript.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const CLI_ENTRY = fileURLToPath(new URL(FROM_SOURCE ? "./cli.ts" : "./cli.js", import.meta.url));

/** The relay and everything it imports (the bus, nats.js, zod) in ONE ESM file that plain `node` runs. */
export async function bundleHostRelay(outFile: string): Promise<Buffer> {
  const esbuild = await import("esbuild");
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [CLI_ENTRY],
    outfile: outFile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    conditions: FROM_SOURCE ? ["development"] : [],
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    banner: { js: '#!/usr/bin/node\nimport { createRequire as __minaLocalCreateRequire } from "node:module";\nconst require = __minaLocalCreateRequire(import.meta.url);' },
  });
  if (result.errors.length > 0) throw new Error(`bundling the host relay failed: ${result.errors.map((e) => e.text).join("; ")}`);
  return fs.readFileSync(outFile);
}

/**
 * `mkfifo` and the libraries it links: the relay makes its host's FIFO (the bus's
 * `ensureFifo`) in the volume the host's node containers share, and a FROM scratch image
 * has no coreutils.
 */
function mkfifoFiles(): ImageFile[] {
  const binary = fs.realpathSync("/usr/bin/mkfifo");
  const libraries = parseLddOutput(execFileSync("ldd", [binary], { encoding: "utf8", timeout: 10_000 }));
  return [{ path: "/usr/bin/mkfifo", source: binary, mode: 0o755 }, ...libraries.map((p) => ({ path: p, source: fs.realpathSync(p), mode: 0o755 }))];
}

/**
 * Builds the relay's image FROM scratch with no registry (this machine's Node runtime and
 * the bundle), tagged by the bundle's digest, once per content. A multi-host run then
 * copies it to every host (docker save | docker load) like the node images.
 */
export async function buildHostRelayImage(options: { onProgress?: (line: string) => void } = {}): Promise<{ tag: string; built: boolean }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-relay-image-"));
  try {
    const bundle = await bundleHostRelay(path.join(dir, "host-relay.mjs"));
    const tag = `${HOST_RELAY_IMAGE_REPOSITORY}:${createHash("sha256").update(bundle).digest("hex").slice(0, 12)}`;
    const result = await buildScratchImageOnce({
      tag,
      files: [{ path: HOST_RELAY_IMAGE_ENTRYPOINT, content: bundle, mode: 0o755 }, ...mkfifoFiles()],
      env: { PATH: "/usr/bin" },
      entrypoint: [HOST_RELAY_IMAGE_ENTRYPOINT],
      labels: { "org.opencontainers.image.title": "mina-local host relay" },
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    // as the simulator's: images of older relay code built more than a day ago, unused, go
    if (result.built) {
      const removed = await removeOlderTags(HOST_RELAY_IMAGE_REPOSITORY, tag, undefined, { builtBefore: new Date(Date.now() - 24 * 3_600_000) });
      if (removed.length > 0) options.onProgress?.(`removed ${removed.length} host relay image(s) of older code: ${removed.join(", ")}`);
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
