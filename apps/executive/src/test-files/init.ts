import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MinaLocalError } from "@mina-local/engine";

/** The README's "Writing a test" example, shipped with the package (examples/ in `files`). */
// src/test-files/ in the sources, dist/src/test-files/ once built
const PACKAGE_ROOT = import.meta.url.endsWith(".ts") ? "../../" : "../../../";
export const STARTER_TEST = new URL(`${PACKAGE_ROOT}examples/two-blocks.ts`, import.meta.url);
export const STARTER_FILE_NAME = "two-blocks.ts";

/** `test_executive init <dir>`: writes a starter test into `dir` (made if missing), never over a file. */
export function writeStarterTest(dir: string): string {
  const target = join(resolve(dir), STARTER_FILE_NAME);
  if (existsSync(target)) {
    throw new MinaLocalError("invalid-arguments", `${target} already exists`, { hint: "pass another directory, or remove or rename that file" });
  }
  mkdirSync(resolve(dir), { recursive: true });
  writeFileSync(target, readFileSync(STARTER_TEST), { flag: "wx" });
  return target;
}
