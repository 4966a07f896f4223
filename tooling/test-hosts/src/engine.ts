import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { dockerdArgs } from "./plan.js";
import type { TestHostPlan } from "./plan.js";
import { alive, childrenOf, mountsUnder, processesMentioning, sleep, terminate } from "./processes.js";
import { run, tryRun } from "./shell.js";

export function dockerOf(host: TestHostPlan): Docker {
  return new Docker({ socketPath: host.socket });
}

function logTail(host: TestHostPlan): string {
  try {
    return fs.readFileSync(host.log, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Starts the host's dockerd inside its network namespace (only the network: it shares the
 * machine's mounts and cgroups, as a second engine on one machine does) and a UTS namespace
 * of its own, so `docker node ls` shows host-1, host-2, ... Its containerd is its own,
 * under the exec-root.
 */
export async function startEngine(host: TestHostPlan, timeoutMs = 60_000): Promise<Docker> {
  fs.mkdirSync(host.dataRoot, { recursive: true });
  fs.mkdirSync(host.execRoot, { recursive: true });
  const log = fs.openSync(host.log, "a");
  const child = spawn("nsenter", [`--net=/run/netns/${host.netns}`, "unshare", "--uts", "--", "/bin/sh", "-c", 'hostname "$0" && exec "$@"', host.host, "dockerd", ...dockerdArgs(host)], {
    detached: true,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  child.unref();
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = signal ?? String(code)));
  child.once("error", (error) => (exited = error.message));
  const docker = dockerOf(host);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) {
      throw new MinaLocalError("docker", `the Docker engine of ${host.host} exited while starting (${exited}):\n${logTail(host)}`, { where: host.log });
    }
    try {
      await withTimeout(`pinging ${host.host}'s engine`, 2_000, docker.ping(), "docker");
      return docker;
    } catch {
      if (Date.now() > deadline) {
        throw new MinaLocalError("docker", `the Docker engine of ${host.host} did not answer on ${host.socket} within ${timeoutMs} ms:\n${logTail(host)}`, { where: host.log });
      }
      await sleep(250);
    }
  }
}

/**
 * Removes the host's containers, stops its dockerd (SIGTERM, then SIGKILL), then anything
 * of it still running (containerd, shims and their container processes), unmounts what it
 * left mounted and removes its directories. Each step runs even when one before failed;
 * returns the failures.
 */
export async function stopEngine(host: TestHostPlan): Promise<string[]> {
  const failures: string[] = [];
  const docker = dockerOf(host);
  if (fs.existsSync(host.socket)) {
    try {
      const containers = await withTimeout(`listing ${host.host}'s containers`, 10_000, docker.listContainers({ all: true }), "teardown");
      await Promise.all(
        containers.map((c) => withTimeout(`removing container ${c.Id.slice(0, 12)} on ${host.host}`, 20_000, docker.getContainer(c.Id).remove({ force: true }), "teardown").catch(() => undefined)),
      );
    } catch {
      // an engine that does not answer is stopped below all the same
    }
  }
  const pid = readPid(host.pidfile);
  if (pid !== undefined) await terminate(pid, 15_000);
  // containerd-shim outlives containerd by design: kill shims and what they run
  for (const straggler of processesMentioning([host.execRoot, host.dataRoot])) {
    const victims = [...childrenOf(straggler.pid), straggler.pid];
    for (const victim of victims) if (alive(victim)) await terminate(victim, 2_000);
  }
  for (const point of mountsUnder([host.execRoot, host.dataRoot])) {
    const failure = await tryRun("umount", ["-l", point]);
    if (failure) failures.push(failure);
  }
  for (const dir of [host.execRoot, path.dirname(host.dataRoot)]) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      failures.push(`removing ${dir}: ${(error as Error).message}`);
    }
  }
  const left = processesMentioning([host.execRoot, host.dataRoot]);
  if (left.length > 0) failures.push(`${host.host}: still running after teardown: ${left.map((p) => `${p.pid} ${p.cmdline}`).join("; ")}`);
  return failures;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The commands a host's engine needs; each missing one is named with its Debian package. */
export async function checkPrerequisites(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new MinaLocalError("setup", "test hosts need root (network namespaces, a second dockerd)", { hint: "run as root, e.g. in CI or with sudo" });
  }
  const needs: Array<[string, string[], string]> = [
    ["ip", ["-V"], "iproute2"],
    ["nsenter", ["--version"], "util-linux"],
    ["unshare", ["--version"], "util-linux"],
    ["dockerd", ["--version"], "docker.io"],
  ];
  for (const [command, args, pkg] of needs) {
    try {
      await run(command, args, { timeoutMs: 10_000 });
    } catch (cause) {
      throw new MinaLocalError("setup", `test hosts need \`${command}\` and it does not run`, { hint: `install it with \`apt-get install ${pkg}\``, cause });
    }
  }
}
