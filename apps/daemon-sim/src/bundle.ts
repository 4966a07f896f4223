import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

// From the sources (the workspace's tests) bundle the sources; from dist/ (an installed package) the built JavaScript.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const EXT = FROM_SOURCE ? "ts" : "js";
const ENTRIES = {
  mina: fileURLToPath(new URL(`./bin.${EXT}`, import.meta.url)),
  /** the archive process, with the PostgreSQL client (pg) that only it loads */
  "mina-archive": fileURLToPath(new URL(`./archive/bin.${EXT}`, import.meta.url)),
};

const O1JS_PATH = "/node_modules/o1js/";

/**
 * The zkApp logic imports o1js' internal modules by their path under node_modules (o1js' exports
 * list only its entry). That path is right from src/ and wrong from dist/ (one directory deeper)
 * or from an installed package, so the bundle resolves it in the o1js this package depends on.
 */
function o1jsInternals(): Plugin {
  // o1js' "require" entry is <package>/dist/node/index.cjs
  const root = dirname(dirname(dirname(createRequire(import.meta.url).resolve("o1js"))));
  return {
    name: "o1js-internals",
    setup(build) {
      build.onResolve({ filter: /\/node_modules\/o1js\// }, (args) => ({ path: join(root, args.path.slice(args.path.indexOf(O1JS_PATH) + O1JS_PATH.length)) }));
    },
  };
}

export interface DaemonSimBundle {
  outFile: string;
  bytes: number;
  /** hex SHA-256 of the bundle */
  sha256: string;
}

/**
 * Bundles the simulator into ONE self-contained ESM file (mina-signer, graphql, zod and the
 * GraphQL schema inlined) that `/usr/bin/node` runs with no node_modules: the image's
 * `/usr/local/bin/mina`.
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
    plugins: [o1jsInternals()],
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
