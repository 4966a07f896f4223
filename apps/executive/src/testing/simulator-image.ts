import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { appDir } from "./cli-run.js";

const run = promisify(execFile);

/**
 * Builds the simulator image exactly as the CLI will ask for it. The image's tag is the hash
 * of its bundle, and the CLI bundles the built JavaScript (dist/) while vitest would bundle
 * the sources (the development condition): so build it from a plain node, as the bin runs.
 */
export async function prebuildSimulatorImage(): Promise<string> {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", 'const m = await import("@mina-local/daemon-sim"); console.log((await m.buildSimulatorImage()).tag);'], {
    cwd: appDir,
    timeout: 280_000,
  });
  return stdout.trim();
}
