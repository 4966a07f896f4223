import { execFile } from "node:child_process";
import { MinaLocalError } from "@mina-local/engine";
import type { ErrorKind } from "@mina-local/engine";

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a command with a timeout; a failure is an error naming the command and its stderr. */
export function run(command: string, args: readonly string[], options: { timeoutMs?: number; kind?: ErrorKind; what?: string } = {}): Promise<CommandResult> {
  const line = [command, ...args].join(" ");
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const why = stderr.trim() || error.message;
        reject(new MinaLocalError(options.kind ?? "setup", `${options.what ? `${options.what}: ` : ""}\`${line}\` failed: ${why}`, { cause: error }));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** Like `run`, but a failure is returned, not thrown (teardown steps go on after one fails). */
export async function tryRun(command: string, args: readonly string[], timeoutMs = 30_000): Promise<string | undefined> {
  try {
    await run(command, args, { timeoutMs, kind: "teardown" });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
