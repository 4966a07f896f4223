import type Docker from "dockerode";
import { CONTAINER_PATHS } from "@mina-local/engine";
import { dockerCall } from "./docker-call.js";

/**
 * "Run the image once": what the Mina image says about itself before anything is deployed.
 * Each question is a short-lived container (no network, removed afterwards), so an image
 * without a shell works too:
 * - `mina version`
 * - `mina internal dump-structured-events`, where the binary has it (newer daemons list every
 *   structured event with its id: the event-id table of the run)
 * - `mina advanced compile-time-constants` (Mina's client.ml at 9f068b1c3b: a JSON map of the
 *   consensus constants the binary runs with, after reading MINA_CONFIG_FILE); with
 *   `runtimeConfigPath`, the run's runtime config is that file, so the answer says what the
 *   binary makes of the test's constants
 * - with `forwarderPath`, the forwarder run once in the image: a Node single executable that
 *   needs glibc's loader, libstdc++ and libgcc_s from the image
 * Every question that cannot be answered is a line of `problems`, naming the image and what
 * is missing; nothing throws but an unreachable Docker engine.
 */
export interface MinaImageProbe {
  /** stdout of `mina version` */
  version?: string;
  /** stdout of `mina internal dump-structured-events` (undefined: the binary has no such command, or it failed) */
  structuredEvents?: string;
  /** stdout of `mina advanced compile-time-constants` */
  compileTimeConstants?: string;
  problems: string[];
  /** the forwarder cannot run in the image (no glibc loader, libstdc++, libgcc_s): the run cannot go on */
  forwarderUnusable?: boolean;
  /** the image has no `mina` on its PATH */
  noMina?: boolean;
}

export interface ProbeOptions {
  /** each container's time limit */
  timeoutMs: number;
  /** host path of the forwarder executable bind-mounted into a foreign image */
  forwarderPath?: string;
  /** host path of the run's runtime config, given to compile-time-constants as MINA_CONFIG_FILE */
  runtimeConfigPath?: string;
}

/** Label of the probe's containers (its value: the image), so that `cleanup` can find one a killed executive left behind. */
export const PROBE_LABEL = "mina-local.probe";

export interface ProbeAnswer {
  ok: boolean;
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** Docker's own refusal to start the command (e.g. executable not found) */
  startError?: string;
}

/** Docker's multiplexed log stream (no TTY): 8-byte headers, stream 1 stdout, 2 stderr. */
export function demuxDockerLogs(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? err : out).push(payload);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

async function runOnce(docker: Docker, image: string, entrypoint: string, args: string[], options: { timeoutMs: number; binds: string[]; env: string[] }): Promise<ProbeAnswer> {
  const what = `running \`${entrypoint} ${args.join(" ")}\` in the image ${image}`;
  let container: Docker.Container;
  try {
    container = await dockerCall(
      `creating a container to probe the image ${image}`,
      docker.createContainer({
        Image: image,
        Entrypoint: [entrypoint],
        Cmd: args,
        Env: options.env,
        Labels: { [PROBE_LABEL]: image },
        HostConfig: { NetworkMode: "none", Binds: options.binds },
      }),
    );
  } catch (error) {
    // e.g. an image that is not on this machine (never pulled): an answer, not a throw
    return { ok: false, stdout: "", stderr: "", startError: error instanceof Error ? error.message : String(error) };
  }
  try {
    try {
      await dockerCall(what, container.start());
    } catch (error) {
      return { ok: false, stdout: "", stderr: "", startError: error instanceof Error ? error.message : String(error) };
    }
    let exitCode: number | undefined;
    try {
      const waited = (await dockerCall(what, container.wait(), options.timeoutMs)) as { StatusCode?: number };
      exitCode = waited.StatusCode;
    } catch (error) {
      return { ok: false, stdout: "", stderr: "", startError: error instanceof Error ? error.message : String(error) };
    }
    const logs = (await dockerCall(`reading the output of ${what}`, container.logs({ stdout: true, stderr: true, follow: false }))) as unknown as Buffer;
    const { stdout, stderr } = demuxDockerLogs(Buffer.isBuffer(logs) ? logs : Buffer.from(String(logs)));
    return { ok: exitCode === 0, ...(exitCode !== undefined && { exitCode }), stdout, stderr };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** The loader a glibc-linked executable of this machine's architecture asks for (its ELF interpreter). */
export function glibcLoader(arch: string = process.arch): string {
  return arch === "arm64" ? "/lib/ld-linux-aarch64.so.1" : "/lib64/ld-linux-x86-64.so.2";
}

/** What the forwarder's failure to start says is missing, in words a user can act on. */
export function forwarderProblem(image: string, answer: ProbeAnswer): string | undefined {
  // the forwarder ran: with no arguments it prints its usage and exits 2
  if (answer.exitCode === 2 && /usage: forwarder/.test(answer.stderr)) return undefined;
  const library = /error while loading shared libraries: ([^:\s]+)/.exec(answer.stderr)?.[1];
  if (library) return `the log-forwarder cannot run in the image ${image}: it lacks ${library} (the forwarder is a Node executable that needs glibc, libstdc++ and libgcc_s from the image)`;
  // Docker cannot exec it (its interpreter is missing): said at start, or by the runtime as the container's output
  const said = `${answer.startError ?? ""}\n${answer.stderr}\n${answer.stdout}`;
  if (/exec \S*: no such file or directory/i.test(said) || (answer.startError && /no such file or directory/i.test(answer.startError))) {
    return `the log-forwarder cannot run in the image ${image}: it has no glibc (the dynamic loader ${glibcLoader()} is missing; musl/Alpine and scratch images cannot run it)`;
  }
  return `the log-forwarder cannot run in the image ${image}: ${answer.startError ?? `exit code ${answer.exitCode ?? "unknown"}: ${(answer.stderr || answer.stdout).trim().slice(0, 500)}`}`;
}

function minaProblem(image: string, command: string, answer: ProbeAnswer): { problem: string; noMina: boolean } {
  if (answer.startError && /executable file not found|no such file or directory/i.test(answer.startError)) {
    return { problem: `the image ${image} has no \`mina\` on its PATH (a Mina daemon image has /usr/local/bin/mina): ${answer.startError}`, noMina: true };
  }
  const detail = answer.startError ?? `exit code ${answer.exitCode ?? "unknown"}${(answer.stderr || answer.stdout).trim() ? `: ${(answer.stderr || answer.stdout).trim().slice(0, 500)}` : ""}`;
  return { problem: `\`${command}\` failed in the image ${image}: ${detail}`, noMina: false };
}

export async function probeMinaImage(docker: Docker, image: string, options: ProbeOptions): Promise<MinaImageProbe> {
  const binds = options.runtimeConfigPath ? [`${options.runtimeConfigPath}:${CONTAINER_PATHS.runtimeConfig}:ro`] : [];
  const env = options.runtimeConfigPath ? [`MINA_CONFIG_FILE=${CONTAINER_PATHS.runtimeConfig}`] : [];
  const run = (entrypoint: string, args: string[], extra: { binds?: string[]; env?: string[] } = {}) =>
    runOnce(docker, image, entrypoint, args, { timeoutMs: options.timeoutMs, binds: extra.binds ?? [], env: extra.env ?? [] });
  const [version, dump, constants, forwarder] = await Promise.all([
    run("mina", ["version"]),
    run("mina", ["internal", "dump-structured-events"]),
    run("mina", ["advanced", "compile-time-constants"], { binds, env }),
    options.forwarderPath ? run(CONTAINER_PATHS.forwarder, [], { binds: [`${options.forwarderPath}:${CONTAINER_PATHS.forwarder}:ro`] }) : Promise.resolve(undefined),
  ]);
  const probe: MinaImageProbe = { problems: [] };
  if (forwarder) {
    const problem = forwarderProblem(image, forwarder);
    if (problem) {
      probe.problems.push(problem);
      probe.forwarderUnusable = true;
    }
  }
  if (version.ok) probe.version = version.stdout;
  else {
    const { problem, noMina } = minaProblem(image, "mina version", version);
    probe.problems.push(problem);
    if (noMina) probe.noMina = true;
  }
  // older daemons have no such command: they print the usage of `mina internal` and fail
  if (dump.ok && dump.stdout.trim() !== "") probe.structuredEvents = dump.stdout;
  else if (!probe.noMina)
    probe.problems.push(
      dump.ok
        ? `\`mina internal dump-structured-events\` printed nothing in the image ${image}`
        : `the image ${image} has no \`mina internal dump-structured-events\` (${minaProblem(image, "mina internal dump-structured-events", dump).problem})`,
    );
  if (constants.ok) probe.compileTimeConstants = constants.stdout;
  else if (!probe.noMina) probe.problems.push(minaProblem(image, "mina advanced compile-time-constants", constants).problem);
  return probe;
}

/**
 * Removes probe containers older than `olderThanMs` (a probe lives for seconds: an older one
 * was left by an executive killed mid-probe). Returns their names.
 */
export async function removeStaleProbes(docker: Docker, options: { olderThanMs: number; timeoutMs?: number }): Promise<string[]> {
  const containers = await dockerCall("listing probe containers", docker.listContainers({ all: true, filters: JSON.stringify({ label: [PROBE_LABEL] }) }), options.timeoutMs);
  const cutoff = Date.now() / 1000 - options.olderThanMs / 1000;
  const stale = containers.filter((c) => c.Created < cutoff);
  for (const c of stale) await dockerCall(`removing probe container ${c.Id.slice(0, 12)}`, docker.getContainer(c.Id).remove({ force: true }), options.timeoutMs);
  return stale.map((c) => c.Names[0]?.replace(/^\//, "") ?? c.Id.slice(0, 12));
}
