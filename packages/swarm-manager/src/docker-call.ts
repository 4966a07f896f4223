import { execFile } from "node:child_process";
import { MinaLocalError, withTimeout } from "@mina-local/engine";

export const DOCKER_HINT = "start the Docker engine (`sudo systemctl start docker`, or run `dockerd` as root); install it with `apt-get install docker.io`";

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export const statusCodeOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "statusCode" in error ? Number((error as { statusCode: unknown }).statusCode) : undefined;

/** Docker's own message from an API error (dockerode puts the JSON body in `json`). */
function dockerMessage(error: unknown): string {
  if (error instanceof MinaLocalError) return error.message;
  const json = typeof error === "object" && error !== null ? (error as { json?: { message?: string } }).json : undefined;
  if (json?.message) return json.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One Docker API call, bounded in time; its error says what was being done to which
 * object and keeps Docker's message and status code.
 */
export async function dockerCall<T>(what: string, work: Promise<T>, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> {
  try {
    return await withTimeout(what, timeoutMs, work, "docker");
  } catch (cause) {
    const error = new MinaLocalError("docker", `${what} failed: ${dockerMessage(cause)}`, { cause });
    const status = statusCodeOf(cause);
    if (status !== undefined) Object.assign(error, { statusCode: status });
    throw error;
  }
}

export interface CliResult {
  stdout: string;
  stderr: string;
}

/** The `docker` CLI, for what the API lacks (stacks). Bounded; stderr goes into the error. */
export function dockerCli(args: string[], what: string, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile("docker", args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        resolve({ stdout, stderr });
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === "ENOENT" ? "the `docker` command is not installed" : error.killed ? `timed out after ${timeoutMs} ms` : `exit code ${String((error as { code?: unknown }).code)}`;
      reject(
        new MinaLocalError("docker", `${what} failed (docker ${args.join(" ")}: ${reason})${stderr.trim() ? `: ${stderr.trim()}` : ""}`, {
          ...(code === "ENOENT" && { hint: DOCKER_HINT }),
          cause: error,
        }),
      );
    });
  });
}
