import type Docker from "dockerode";
import { MinaLocalError } from "@mina-local/engine";
import { dockerCall, dockerCli, statusCodeOf } from "./docker-call.js";
import { groupByRun, listLabelled, type RunObjects } from "./runs.js";

export interface RemoveResult {
  runId: string;
  /** what was there when removal started */
  removed: { services: string[]; containers: string[]; networks: string[] };
  /** what was still there at the end of the bound and was force-removed */
  forced: { services: string[]; containers: string[]; networks: string[] };
  durationMs: number;
  /** non-fatal problems, e.g. `docker stack rm` failing while the label sweep succeeded */
  warnings: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const names = (objects: { name: string }[]) => objects.map((o) => o.name).sort();
const gone = (error: unknown) => statusCodeOf(error) === 404;

async function snapshot(docker: Docker, runId: string, callTimeoutMs?: number): Promise<RunObjects> {
  const [services, containers, networks] = await listLabelled(docker, runId, callTimeoutMs);
  return groupByRun(services!, containers!, networks!)[0] ?? { runId, services: [], containers: [], networks: [], labels: {} };
}

const isEmpty = (run: RunObjects) => run.services.length + run.containers.length + run.networks.length === 0;

async function forceRemove(docker: Docker, run: RunObjects, warnings: string[], callTimeoutMs?: number): Promise<void> {
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await dockerCall(what, work(), callTimeoutMs);
    } catch (error) {
      if (!gone((error as { cause?: unknown }).cause ?? error)) warnings.push(error instanceof Error ? error.message : String(error));
    }
  };
  for (const s of run.services) await attempt(`removing service ${s.name} of run ${run.runId}`, () => docker.getService(s.id).remove());
  for (const c of run.containers) await attempt(`force-removing container ${c.name} of run ${run.runId}`, () => docker.getContainer(c.id).remove({ force: true, v: true }));
  for (const n of run.networks) await attempt(`removing network ${n.name} of run ${run.runId}`, () => docker.getNetwork(n.id).remove());
}

/**
 * `docker stack rm`, then waits (bounded) until no service, container or network labelled
 * with the run is left: `docker stack rm` returns long before that. At the end of the
 * bound, leftovers are force-removed; an error if even that leaves something.
 */
export async function removeStack(docker: Docker, runId: string, options: { timeoutMs?: number; callTimeoutMs?: number } = {}): Promise<RemoveResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const warnings: string[] = [];
  const before = await snapshot(docker, runId, options.callTimeoutMs);
  const removed = { services: names(before.services), containers: names(before.containers), networks: names(before.networks) };
  const forced = { services: [] as string[], containers: [] as string[], networks: [] as string[] };
  if (!isEmpty(before)) {
    try {
      await dockerCli(["stack", "rm", runId], `removing stack ${runId}`, Math.min(timeoutMs, 60_000));
    } catch (error) {
      warnings.push(error instanceof Error ? error.message : String(error));
    }
  }
  let left = await snapshot(docker, runId, options.callTimeoutMs);
  while (!isEmpty(left) && Date.now() - started < timeoutMs) {
    // a network goes only once its containers are gone; remove it ourselves then, as the CLI would have tried too early
    if (left.services.length === 0 && left.containers.length === 0) await forceRemove(docker, left, warnings, options.callTimeoutMs);
    else await sleep(250);
    left = await snapshot(docker, runId, options.callTimeoutMs);
  }
  if (!isEmpty(left)) {
    forced.services = names(left.services);
    forced.containers = names(left.containers);
    forced.networks = names(left.networks);
    await forceRemove(docker, { ...left, networks: [] }, warnings, options.callTimeoutMs);
    // containers must be gone before their network can go
    const networks = (await snapshot(docker, runId, options.callTimeoutMs)).networks;
    await forceRemove(docker, { ...left, services: [], containers: [], networks }, warnings, options.callTimeoutMs);
    left = await snapshot(docker, runId, options.callTimeoutMs);
    if (!isEmpty(left)) {
      throw new MinaLocalError("teardown", `run ${runId} still has ${[...names(left.services), ...names(left.containers), ...names(left.networks)].join(", ")} after ${Date.now() - started} ms`, {
        hint: `remove them with \`docker service rm\`, \`docker rm -f\`, \`docker network rm\` (filter: label=mina-local.run=${runId}); details: ${warnings.join("; ")}`,
      });
    }
  }
  return { runId, removed, forced, durationMs: Date.now() - started, warnings };
}
