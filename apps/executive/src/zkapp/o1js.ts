import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type MinaSignerClient from "mina-signer";

/*
 * o1js' internal modules by their path in the o1js this package depends on: o1js' package
 * exports list only its entry (which loads its WebAssembly). Resolved here once, so no source
 * names a node_modules path (right from src/ only, wrong from dist/ and in an installed package).
 */

/** o1js' root; its "require" entry is <root>/dist/node/index.cjs. */
export const O1JS_ROOT = dirname(dirname(dirname(createRequire(import.meta.url).resolve("o1js"))));

/** One of o1js' modules by its path in the package (e.g. dist/node/mina-signer/mina-signer.js). */
export function o1jsModule<T>(path: string): Promise<T> {
  return import(pathToFileURL(join(O1JS_ROOT, path)).href) as Promise<T>;
}

/**
 * o1js' own copy of mina-signer: its zkApp layout is Mina 3.x's (8 app state fields), which the
 * mina-signer package (4.0.0, a newer protocol's 32) no longer has. Typed as the mina-signer
 * package declares its Client (the same code).
 */
export async function o1jsMinaSigner(): Promise<typeof MinaSignerClient> {
  return (await o1jsModule<{ default: typeof MinaSignerClient }>("dist/node/mina-signer/mina-signer.js")).default;
}
