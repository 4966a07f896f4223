import type Docker from "dockerode";
import { dockerCall } from "./docker-call.js";

/**
 * What a Mina image says of itself, read at run start to pick the event-id table: the
 * output of `mina version` and, where the binary has it, of `mina internal
 * dump-structured-events` (newer daemons list every structured event with its id). Each
 * runs once in a throw-away container of the local image (never pulled: no registry), with
 * no network, bounded in time, and is removed whatever happens. A probe that cannot run
 * says why in `problems`; it never throws for the image's sake.
 */
export interface MinaImageProbe {
  /** stdout of `mina version` (undefined: it did not run or failed) */
  version?: string;
  /** stdout of `mina internal dump-structured-events` (undefined: the binary has no such command, or it failed) */
  structuredEvents?: string;
  /** why a part is missing, in words the run report can show */
  problems: string[];
}

export interface ProbeOptions {
  /** for each command's whole life (create, run, read, remove) */
  timeoutMs: number;
}

/** Label of the probe's containers, so that `cleanup` can find one a killed executive left behind. */
export const PROBE_LABEL = "mina-local.probe";

/** Output kept per command: a dump of a few hundred events is far below this. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function probeMinaImage(docker: Docker, image: string, options: ProbeOptions): Promise<MinaImageProbe> {
  const problems: string[] = [];
  const version = await runMina(docker, image, ["version"], options.timeoutMs).catch((error: unknown) => {
    problems.push(`\`mina version\` could not run in ${image}: ${messageOf(error)}`);
    return undefined;
  });
  if (version === undefined) return { problems };
  if (version.exitCode !== 0) {
    problems.push(`\`mina version\` exited with code ${version.exitCode} in ${image}${tail(version)}`);
    return { problems };
  }
  const probe: MinaImageProbe = { version: version.stdout, problems };
  const dump = await runMina(docker, image, ["internal", "dump-structured-events"], options.timeoutMs).catch((error: unknown) => {
    problems.push(`\`mina internal dump-structured-events\` could not run in ${image}: ${messageOf(error)}`);
    return undefined;
  });
  if (dump === undefined) return probe;
  // older daemons have no such command: they print the usage of `mina internal` and fail
  if (dump.exitCode !== 0) problems.push(`${image} has no \`mina internal dump-structured-events\` (exit code ${dump.exitCode})${tail(dump)}`);
  else if (dump.stdout.trim() === "") problems.push(`\`mina internal dump-structured-events\` printed nothing in ${image}`);
  else probe.structuredEvents = dump.stdout;
  return probe;
}

/** `mina <args>` in a new container of `image`, with no network; its exit code and output. */
async function runMina(docker: Docker, image: string, args: string[], timeoutMs: number): Promise<CommandResult> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  const what = `mina ${args.join(" ")} in ${image}`;
  const container = await dockerCall(
    `creating a container for \`${what}\``,
    docker.createContainer({
      Image: image,
      Entrypoint: ["mina"],
      Cmd: args,
      Labels: { [PROBE_LABEL]: "true" },
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      HostConfig: { NetworkMode: "none", AutoRemove: false },
    }),
    left(),
  );
  try {
    await dockerCall(`starting \`${what}\``, container.start(), left());
    const exit = (await dockerCall(`waiting for \`${what}\` (timeout ${timeoutMs} ms)`, container.wait(), left())) as { StatusCode?: number };
    const logs = (await dockerCall(`reading the output of \`${what}\``, container.logs({ stdout: true, stderr: true, follow: false }), left())) as unknown as Buffer;
    const { stdout, stderr } = demux(Buffer.isBuffer(logs) ? logs : Buffer.from(String(logs)));
    return { exitCode: exit.StatusCode ?? -1, stdout, stderr };
  } finally {
    // also on a timeout: the container may still run
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Docker's multiplexed log stream (no TTY): 8-byte headers, 1 = stdout, 2 = stderr. */
export function demux(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let sizes = { out: 0, err: 0 };
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    if (offset + 8 + length > buffer.length) break;
    const chunk = buffer.subarray(offset + 8, offset + 8 + length);
    offset += 8 + length;
    if (kind === 2) {
      if (sizes.err < MAX_OUTPUT_BYTES) err.push(chunk);
      sizes = { ...sizes, err: sizes.err + chunk.length };
    } else if (sizes.out < MAX_OUTPUT_BYTES) {
      out.push(chunk);
      sizes = { ...sizes, out: sizes.out + chunk.length };
    }
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

function tail(result: CommandResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-3).join(" | ");
  return text ? `: ${text.slice(0, 300)}` : "";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Removes probe containers older than `olderThanMs` (a probe lives for seconds: an older one
 * was left by an executive killed mid-probe). Returns their names.
 */
export async function removeStaleProbes(docker: Docker, options: { olderThanMs: number; timeoutMs?: number }): Promise<string[]> {
  const containers = await dockerCall("listing probe containers", docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${PROBE_LABEL}=true`] }) }), options.timeoutMs);
  const cutoff = Date.now() / 1000 - options.olderThanMs / 1000;
  const stale = containers.filter((c) => c.Created < cutoff);
  for (const c of stale) await dockerCall(`removing probe container ${c.Id.slice(0, 12)}`, docker.getContainer(c.Id).remove({ force: true }), options.timeoutMs);
  return stale.map((c) => c.Names[0]?.replace(/^\//, "") ?? c.Id.slice(0, 12));
}
