import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { IMAGE_O1JS_BINDINGS } from "./hash.js";

/**
 * The files of o1js (and its one runtime dependency on that path, cachedir) that
 * `zkappCommandHash` loads inside the simulator image: o1js' Node build without source maps
 * and type declarations (about 64 MB), under /usr/local/lib/mina-local/node_modules.
 */
export function o1jsImageFiles(): { files: { path: string; source: string; mode: number }[]; identity: string } {
  const require = createRequire(import.meta.url);
  const o1jsRoot = join(dirname(require.resolve("o1js")), "..", "..");
  const o1jsRequire = createRequire(join(o1jsRoot, "package.json"));
  const cachedirRoot = dirname(o1jsRequire.resolve("cachedir/package.json"));
  const imageModules = join(dirname(IMAGE_O1JS_BINDINGS), "..", "..", "..");
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
  add(o1jsRoot, "o1js", (f) => (f.startsWith(join(o1jsRoot, "dist", "node")) && !f.endsWith(".map") && !f.endsWith(".d.ts")) || f === join(o1jsRoot, "package.json"));
  add(cachedirRoot, "cachedir", () => true);
  const version = (JSON.parse(readFileSync(join(o1jsRoot, "package.json"), "utf8")) as { version: string }).version;
  const identity = `o1js@${version}:${files.map((f) => `${f.path}:${statSync(f.source).size}`).join(",")}`;
  return { files, identity };
}
