import { createWriteStream } from "node:fs";
import { PassThrough, type Writable } from "node:stream";
import type Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { dockerCall } from "./docker-call.js";
import { nodeContainer } from "./nodes.js";

export interface ExecOptions {
  /** stdout goes to this host file instead of memory (a dump can be large) */
  stdoutFile?: string;
  /** default 120 s */
  timeoutMs?: number;
  callTimeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  /** empty when stdoutFile is given */
  stdout: string;
  stderr: string;
}

const collect = (chunks: Buffer[]): Writable => {
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  return sink;
};

/**
 * Runs a command in the running container of a service of the run (`docker exec`, as Mina's
 * engine does for `pg_dump`). Resolves with its exit code; the caller decides what a non-zero
 * code means. Bounded in time: a command that hangs is an error naming it.
 */
export async function execInNode(docker: Docker, runId: string, node: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const what = `running \`${cmd.join(" ")}\` in the container of ${node} (run ${runId})`;
  const container = await nodeContainer(docker, runId, node, options.callTimeoutMs);
  const exec = await dockerCall(what, docker.getContainer(container.id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true }), options.callTimeoutMs);
  const stream = await dockerCall(what, exec.start({ hijack: true, stdin: false }), options.callTimeoutMs);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = options.stdoutFile !== undefined ? createWriteStream(options.stdoutFile, { mode: 0o600 }) : collect(out);
  const stderr = collect(err);
  docker.modem.demuxStream(stream, stdout, stderr);
  try {
    await withTimeout(
      what,
      options.timeoutMs ?? 120_000,
      new Promise<void>((resolve, reject) => {
        stream.on("end", resolve);
        stream.on("close", resolve);
        stream.on("error", reject);
      }),
      "docker",
    );
  } catch (cause) {
    (stream as { destroy?: () => void }).destroy?.();
    throw new MinaLocalError("docker", `${what} did not finish: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    await new Promise<void>((resolve) => stdout.end(resolve));
  }
  const inspected = await dockerCall(what, exec.inspect(), options.callTimeoutMs);
  return { exitCode: inspected.ExitCode ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
