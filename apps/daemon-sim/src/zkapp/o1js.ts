import { existsSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type MinaSignerClient from "mina-signer";

/*
 * Where the simulator finds o1js, whose internal modules (its copy of mina-signer, Mina's
 * bindings) it loads by path: o1js' package exports list only its entry. One place resolves the
 * root, so no source names a node_modules path (which is right from src/ only, not from dist/,
 * an installed package or the image).
 */

/** o1js in the simulator image, beside the bundle (image-files.ts copies it there). */
export const IMAGE_O1JS_ROOT = "/usr/local/lib/mina-local/node_modules/o1js";

function resolveO1jsRoot(): string {
  if (existsSync(join(IMAGE_O1JS_ROOT, "package.json"))) return IMAGE_O1JS_ROOT;
  // the o1js this package depends on; its "require" entry is <root>/dist/node/index.cjs
  return dirname(dirname(dirname(createRequire(import.meta.url).resolve("o1js"))));
}

let root: string | undefined;

/**
 * o1js' root, resolved on first use: every simulator command (`mina accounts import`, `mina
 * version`, a daemon that never sees a zkApp command) starts without o1js, and an image with
 * the bundle alone runs them.
 */
export function o1jsRoot(): string {
  return (root ??= resolveO1jsRoot());
}

/** The root of a package o1js depends on, found as Node resolves it from o1js (pnpm's and a hoisted layout alike). */
export function o1jsDependencyRoot(name: string): string {
  const paths = createRequire(join(o1jsRoot(), "package.json")).resolve.paths(name) ?? [];
  const found = paths.map((dir) => join(dir, name)).find((dir) => existsSync(join(dir, "package.json")));
  if (!found) throw new Error(`o1js' dependency ${name} was not found from ${o1jsRoot()}`);
  return realpathSync(found);
}

/** One of o1js' modules by its path in the package (e.g. dist/node/mina-signer/src/signature.js). */
export function o1jsModule<T>(path: string): Promise<T> {
  return import(pathToFileURL(join(o1jsRoot(), path)).href) as Promise<T>;
}

/**
 * o1js' own copy of mina-signer (Mina 3.x's layout, 8 app state fields, as mina-logic.ts),
 * typed as the mina-signer package declares its Client (the same code at a newer protocol).
 */
export async function o1jsMinaSigner(): Promise<typeof MinaSignerClient> {
  return (await o1jsModule<{ default: typeof MinaSignerClient }>("dist/node/mina-signer/mina-signer.js")).default;
}
