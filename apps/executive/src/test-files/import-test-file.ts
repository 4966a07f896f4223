import { register } from "node:module";
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import type { HookData } from "./resolution-hooks.js";

// From the sources (vitest, tsx) the entry is index.ts; from dist/ (the bin) index.js.
const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
const EXECUTIVE_ENTRY = new URL(`../index${EXT}`, import.meta.url).href;
const HOOKS = new URL(`./resolution-hooks${EXT}`, import.meta.url).href;
const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);

let hooksRegistered = false;
let typescriptRegistered = false;

/**
 * Imports a user's test file from any directory: `@mina-local/executive` resolves to this
 * executive whatever is installed there, and TypeScript (.ts, .mts) is compiled on load (tsx).
 */
export async function importTestFile(path: string): Promise<{ default: unknown }> {
  if (!hooksRegistered) {
    register<HookData>(HOOKS, { data: { executiveEntry: EXECUTIVE_ENTRY } });
    hooksRegistered = true;
  }
  if (TYPESCRIPT.has(extname(path)) && !typescriptRegistered) {
    // loaded only for TypeScript test files: it costs start-up time
    const { register: registerTsx } = await import("tsx/esm/api");
    registerTsx();
    typescriptRegistered = true;
  }
  return (await import(pathToFileURL(path).href)) as { default: unknown };
}
