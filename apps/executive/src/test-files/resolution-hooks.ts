// Module-resolution hooks for users' test files (registered with node:module's register()
// before a test file is imported; they run in Node's loader thread).
//
// - `@mina-local/executive` always resolves to the running executive, whatever is (or is not)
//   installed around the test file: the test talks to the engine that runs it.
// - Another bare import that nothing around the test file provides is resolved from the
//   executive's own location, so a test may use what the executive ships (mina-signer, zod...).
// - A .ts or .js file outside node_modules whose package.json does not say "type" is loaded
//   as an ES module: test files are ES modules (import/export), and Node's own guess (CommonJS,
//   then require() of an ES module) fails with "Cannot require() ES Module ... in a cycle".
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface HookData {
  /** URL of the executive's public entry (its dist/src/index.js) */
  executiveEntry: string;
}

interface ResolveContext {
  parentURL?: string | undefined;
  conditions: string[];
  importAttributes: Record<string, string>;
}
interface ResolveResult {
  url: string;
  format?: string | null | undefined;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;

const EXECUTIVE = "@mina-local/executive";
let executiveEntry = "";

export function initialize(data: HookData): void {
  executiveEntry = data.executiveEntry;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  if (specifier === EXECUTIVE) return { url: executiveEntry, format: "module", shortCircuit: true };
  let result: ResolveResult;
  try {
    result = await next(specifier, context);
  } catch (error) {
    if (!isBare(specifier) || (error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    result = await next(specifier, { ...context, parentURL: executiveEntry });
  }
  if (result.format !== "module" && result.url.startsWith("file:") && /\.(ts|js)$/.test(result.url) && !result.url.includes("/node_modules/")) {
    if (declaredType(fileURLToPath(result.url)) === undefined) return { ...result, format: "module" };
  }
  return result;
}

function isBare(specifier: string): boolean {
  return !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}

/** The "type" of the nearest package.json, undefined when there is none or it says nothing. */
function declaredType(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const type: unknown = (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type;
        return typeof type === "string" ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
