import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

// From the sources (the workspace's tests) bundle the sources; from dist/ (an installed package) the built JavaScript.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const EXT = FROM_SOURCE ? "ts" : "js";
const ENTRIES = {
  mina: fileURLToPath(new URL(`./bin.${EXT}`, import.meta.url)),
  /** the archive process, with the PostgreSQL client (pg) that only it loads */
  "mina-archive": fileURLToPath(new URL(`./archive/bin.${EXT}`, import.meta.url)),
};

export interface DaemonSimBundle {
  outFile: string;
  bytes: number;
  /** hex SHA-256 of the bundle */
  sha256: string;
}

/**
 * Bundles the simulator into ONE ESM file (mina-signer, graphql, zod and the GraphQL schema
 * inlined) that `/usr/bin/node` runs: the image's `/usr/local/bin/mina`. Only o1js' modules
 * stay outside: the zkApp logic loads them by path from the o1js the image carries
 * (zkapp/o1js.ts, zkapp/image-files.ts).
 */
export async function bundleDaemonSim(options: { outFile: string; minify?: boolean; entry?: keyof typeof ENTRIES }): Promise<DaemonSimBundle> {
  const esbuild = await import("esbuild");
  mkdirSync(dirname(options.outFile), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [ENTRIES[options.entry ?? "mina"]],
    // pg's optional native binding (libpq): pg falls back to its JavaScript client without it
    external: ["pg-native"],
    outfile: options.outFile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    // the workspace packages' "development" condition points at their sources
    conditions: FROM_SOURCE ? ["development"] : [],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
    // some dependencies still call require() for Node built-ins: give the ESM bundle one
    banner: { js: '#!/usr/bin/node\nimport { createRequire as __minaLocalCreateRequire } from "node:module";\nconst require = __minaLocalCreateRequire(import.meta.url);' },
  });
  if (result.errors.length > 0) throw new Error(`bundling the daemon simulator failed: ${result.errors.map((e) => e.text).join("; ")}`);
  const content = readFileSync(options.outFile);
  return { outFile: options.outFile, bytes: statSync(options.outFile).size, sha256: createHash("sha256").update(content).digest("hex") };
}
