import { existsSync } from "node:fs";

/** Fails a test with an install hint when a program it needs is missing. */
export function requireCommand(path: string, install: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${install}`);
}
