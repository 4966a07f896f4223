import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { IMAGE_O1JS_ROOT, o1jsDependencyRoot, o1jsRoot } from "./o1js.js";

/**
 * o1js' runtime dependencies the simulator's loads need beside it: cachedir (its bindings, which
 * `zkappCommandHash` loads), blakejs and @noble/hashes (its mina-signer modules, which
 * mina-logic.ts loads).
 */
const O1JS_DEPENDENCIES = ["cachedir", "blakejs", "@noble/hashes"];

/**
 * The files of o1js and those dependencies that the simulator loads inside its image: o1js'
 * Node build without source maps and type declarations (about 64 MB), under
 * /usr/local/lib/mina-local/node_modules (o1js.ts IMAGE_O1JS_ROOT).
 */
export function o1jsImageFiles(): { files: { path: string; source: string; mode: number }[]; identity: string } {
  const imageModules = dirname(IMAGE_O1JS_ROOT);
  const files: { path: string; source: string; mode: number }[] = [];
  const add = (root: string, name: string, keep: (file: string) => boolean) => {
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (keep(full)) files.push({ path: join(imageModules, name, relative(root, full)), source: full, mode: 0o644 });
      }
    };
    walk(root);
  };
  const o1js = o1jsRoot();
  add(o1js, "o1js", (f) => (f.startsWith(join(o1js, "dist", "node")) && !f.endsWith(".map") && !f.endsWith(".d.ts")) || f === join(o1js, "package.json"));
  for (const name of O1JS_DEPENDENCIES) add(o1jsDependencyRoot(name), name, (f) => !f.endsWith(".map") && !f.endsWith(".d.ts") && !f.endsWith(".ts"));
  const version = (JSON.parse(readFileSync(join(o1js, "package.json"), "utf8")) as { version: string }).version;
  const identity = `o1js@${version}:${files.map((f) => `${f.path}:${statSync(f.source).size}`).join(",")}`;
  return { files, identity };
}
