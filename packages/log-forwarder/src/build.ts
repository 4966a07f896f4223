import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The fuse Node's binary carries so postject can mark it as holding a SEA blob. */
export const SEA_SENTINEL_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
// postject ships no types: its API as the build uses it, imported by name so tsc looks no further
const POSTJECT: string = "postject";
interface Postject {
  inject(file: string, resource: string, data: Buffer, options: { sentinelFuse: string }): Promise<void>;
}
// From the sources (the workspace's tests) bundle the sources; from dist/ (an installed package) the built JavaScript.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const CLI_ENTRY = fileURLToPath(new URL(FROM_SOURCE ? "./cli.ts" : "./cli.js", import.meta.url));

export interface BundleResult {
  outFile: string;
  bytes: number;
}

/**
 * Bundles the forwarder (with logproc and everything else it imports) into ONE CommonJS
 * file that plain `node` runs without node_modules. CommonJS because Node's single
 * executable applications only run a CommonJS main script.
 */
export async function bundleForwarder(options: { outFile: string; minify?: boolean }): Promise<BundleResult> {
  const esbuild = await import("esbuild");
  fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [CLI_ENTRY],
    outfile: options.outFile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // the workspace packages' "development" condition points at their sources
    conditions: FROM_SOURCE ? ["development"] : [],
    minify: options.minify ?? false,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
    banner: { js: "// mina-local log-forwarder: bundled, self-contained (see packages/log-forwarder)" },
  });
  if (result.errors.length > 0) throw new Error(`bundling the forwarder failed: ${result.errors.map((e) => e.text).join("; ")}`);
  return { outFile: options.outFile, bytes: fs.statSync(options.outFile).size };
}

/**
 * Builds the forwarder as a Node single-executable application: this machine's `node`
 * binary with the bundle injected, so an image without Node (a real Mina image) can run
 * it. It needs glibc and libstdc++ from the image (Mina's Debian images have both).
 */
export async function buildForwarderExecutable(options: { outFile: string; nodeBinary?: string }): Promise<BundleResult> {
  const nodeBinary = options.nodeBinary ?? process.execPath;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "forwarder-sea-"));
  try {
    const main = path.join(work, "forwarder.cjs");
    const blob = path.join(work, "forwarder.blob");
    const config = path.join(work, "sea-config.json");
    await bundleForwarder({ outFile: main, minify: true });
    fs.writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }));
    try {
      await run(nodeBinary, ["--experimental-sea-config", config], { timeout: 60_000 });
    } catch (error) {
      const stderr = typeof error === "object" && error !== null && "stderr" in error ? String((error as { stderr: unknown }).stderr) : "";
      throw new Error(`${nodeBinary} --experimental-sea-config failed (Node >= 20 is needed): ${stderr.trim() || String(error)}`);
    }
    const binary = fs.readFileSync(nodeBinary);
    if (!binary.includes(SEA_SENTINEL_FUSE)) {
      throw new Error(`${nodeBinary} has no single-executable fuse (${SEA_SENTINEL_FUSE}); use an official Node 20+ build`);
    }
    fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
    const staging = `${options.outFile}.tmp-${process.pid}`;
    fs.copyFileSync(nodeBinary, staging);
    fs.chmodSync(staging, 0o755);
    const { inject } = (await import(POSTJECT)) as Postject;
    await inject(staging, "NODE_SEA_BLOB", fs.readFileSync(blob), { sentinelFuse: SEA_SENTINEL_FUSE });
    fs.renameSync(staging, options.outFile);
    return { outFile: options.outFile, bytes: fs.statSync(options.outFile).size };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
