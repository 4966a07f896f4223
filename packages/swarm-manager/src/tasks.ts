import type Docker from "dockerode";
import { HOST_RELAY_ROLE, LABELS, POSTGRES_ROLE } from "@mina-local/compose-generator";
import { MinaLocalError } from "@mina-local/engine";
import { dockerCall } from "./docker-call.js";
import { forwarderStatus } from "./forwarder-socket.js";
import { swarmNodes } from "./hosts.js";

export interface TaskProgress {
  node: string;
  /** Docker's task state: new, pending, assigned, accepted, preparing, starting, running, failed, rejected, ... */
  state: string;
  message: string;
}

export interface NodeTask extends TaskProgress {
  error?: string;
  containerId?: string;
  /** the swarm node (host) the task was given to */
  swarmNodeId?: string;
}

/** States from which a task never reaches "running" (restart policy is none). */
const DEAD_STATES = new Set(["failed", "rejected", "complete", "shutdown", "orphaned", "remove"]);

interface TaskLike {
  ServiceID?: string;
  NodeID?: string;
  CreatedAt?: string;
  Status?: { State?: string; Message?: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
}

/** The newest task of each node's service, reduced to what a user reads. Pure. */
export function latestTaskPerNode(tasks: TaskLike[], nodeOfService: Map<string, string>): Map<string, NodeTask> {
  const newest = new Map<string, TaskLike>();
  for (const task of tasks) {
    const node = nodeOfService.get(task.ServiceID ?? "");
    if (node === undefined) continue;
    const known = newest.get(node);
    if (!known || (task.CreatedAt ?? "") > (known.CreatedAt ?? "")) newest.set(node, task);
  }
  const out = new Map<string, NodeTask>();
  for (const [node, task] of newest) {
    const status = task.Status ?? {};
    out.set(node, {
      node,
      state: status.State ?? "unknown",
      message: status.Message ?? "",
      ...(status.Err && { error: status.Err }),
      ...(status.ContainerStatus?.ContainerID && { containerId: status.ContainerStatus.ContainerID }),
      ...(task.NodeID && { swarmNodeId: task.NodeID }),
    });
  }
  return out;
}

export interface WaitForTasksOptions {
  timeoutMs: number;
  onProgress?: (progress: TaskProgress) => void;
  pollMs?: number;
  callTimeoutMs?: number;
  /**
   * host path of the run's sockets dir (`<runDir>/shared/sockets`): when given, also wait
   * until every node's forwarder answers on its socket (a running task is not yet a
   * listening forwarder), reported as state "ready"
   */
  socketsDir?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The run's services, as service id -> node name, and the services without a forwarder (PostgreSQL). */
async function servicesOfRun(docker: Docker, runId: string, callTimeoutMs?: number): Promise<{ nodeOfService: Map<string, string>; withoutForwarder: Set<string> }> {
  const all = await dockerCall(`listing the services of run ${runId}`, docker.listServices({ filters: { label: [`${LABELS.run}=${runId}`] } }), callTimeoutMs);
  // a multi-host run's relays (a global service) are awaited by the executive itself, not as nodes
  const services = all.filter((s) => s.Spec?.Labels?.[LABELS.role] !== HOST_RELAY_ROLE);
  const nameOf = (s: (typeof services)[number]) => s.Spec?.Labels?.[LABELS.node] ?? s.Spec?.Name ?? "?";
  return {
    nodeOfService: new Map(services.map((s) => [s.ID ?? "", nameOf(s)])),
    withoutForwarder: new Set(services.filter((s) => s.Spec?.Labels?.[LABELS.role] === POSTGRES_ROLE).map(nameOf)),
  };
}

/** The host a task was given to, by its swarm node's hostname, when the swarm has several (on one host there is nothing to name); undefined if unknown. */
async function hostOfTask(docker: Docker, task: NodeTask, callTimeoutMs?: number): Promise<string | undefined> {
  if (task.swarmNodeId === undefined) return undefined;
  const nodes = await swarmNodes(docker, callTimeoutMs).catch(() => []);
  if (nodes.length < 2) return undefined;
  return nodes.find((n) => n.id === task.swarmNodeId)?.hostname || undefined;
}

/** What to do about a task that will never run. */
function deadTaskHint(runId: string, task: NodeTask, postgres: boolean, host: string | undefined): string {
  if (task.error?.includes("No such image")) {
    return host === undefined
      ? "build or load the image first (no registry is used)"
      : `every host of the swarm needs the image, and ${host} lacks it (no registry is used): load it there (\`docker save <image> | docker load\` against ${host}'s engine), or run again, which copies it to every --swarm-hosts host`;
  }
  if (postgres) {
    return `PostgreSQL did not come up (it must accept connections on 5432 with its schema loaded; its health check gives up after about 2 minutes): see \`docker service logs ${runId}_${task.node}\`; --postgres-image must follow the official postgres image's contract (docker-entrypoint.sh, POSTGRES_* variables, /docker-entrypoint-initdb.d)`;
  }
  return `see \`docker service ps --no-trunc ${runId}_${task.node}\``;
}

/**
 * Polls the run's tasks until every node's task runs. A task that fails or is rejected is
 * an error naming the node and Docker's reason (e.g. "No such image").
 */
export async function waitForTasks(docker: Docker, runId: string, options: WaitForTasksOptions): Promise<Map<string, NodeTask>> {
  const deadline = Date.now() + options.timeoutMs;
  const reported = new Map<string, string>();
  let nodeOfService = new Map<string, string>();
  let withoutForwarder = new Set<string>();
  let latest = new Map<string, NodeTask>();
  for (;;) {
    if (nodeOfService.size === 0) ({ nodeOfService, withoutForwarder } = await servicesOfRun(docker, runId, options.callTimeoutMs));
    if (nodeOfService.size === 0) {
      throw new MinaLocalError("docker", `run ${runId} has no service to wait for`, { hint: "deploy the stack first (deployStack)" });
    }
    const tasks = await dockerCall(`listing the tasks of run ${runId}`, docker.listTasks({ filters: { label: [`${LABELS.run}=${runId}`] } }), options.callTimeoutMs);
    latest = latestTaskPerNode(tasks as TaskLike[], nodeOfService);
    for (const task of latest.values()) {
      const key = `${task.state}\u0000${task.message}`;
      if (reported.get(task.node) !== key) {
        reported.set(task.node, key);
        options.onProgress?.({ node: task.node, state: task.state, message: task.message });
      }
      if (DEAD_STATES.has(task.state)) {
        // the engine answered: a service that cannot run is a setup failure, not an unreachable Docker
        const host = await hostOfTask(docker, task, options.callTimeoutMs);
        throw new MinaLocalError(task.error?.includes("No such image") ? "image" : "setup", `the task of node ${task.node} is ${task.state}: ${task.error ?? task.message}`, {
          where: `run ${runId}, node ${task.node}${host === undefined ? "" : ` on host ${host}`}`,
          hint: deadTaskHint(runId, task, withoutForwarder.has(task.node), host),
        });
      }
    }
    const nodes = [...new Set(nodeOfService.values())];
    const waiting = nodes.filter((node) => latest.get(node)?.state !== "running");
    if (waiting.length === 0) {
      if (options.socketsDir === undefined) return latest;
      await waitForForwarders(
        runId,
        nodes.filter((node) => !withoutForwarder.has(node)),
        options.socketsDir,
        deadline,
        options,
      );
      return latest;
    }
    if (Date.now() >= deadline) {
      const states = waiting.map((node) => `${node}: ${latest.get(node)?.state ?? "no task yet"}`).join(", ");
      throw new MinaLocalError("docker", `timed out after ${options.timeoutMs} ms waiting for the tasks of run ${runId} to run (${states})`, {
        hint: "see `docker stack ps --no-trunc " + runId + "`",
      });
    }
    await sleep(options.pollMs ?? 250);
  }
}

/** A node whose container preparation failed (e.g. `mina accounts import`): a setup error naming the node, the command and its message. */
function setupFailed(runId: string, node: string, failure: { step: string; command?: string[] | undefined; message: string }): MinaLocalError {
  return new MinaLocalError("setup", `node ${node}: the container preparation failed at step ${failure.step}: ${failure.message}`, {
    where: `run ${runId}, node ${node}${failure.command ? `, command \`${failure.command.join(" ")}\`` : ""}`,
    hint:
      failure.step === "import-key"
        ? "the image's `mina accounts import` could not import the node's key; its message is above (the key files are the run's keys/<node>/, password MINA_PRIVKEY_PASS)"
        : `see the node's log (${runId}/logs/${node}.log) for every preparation step`,
  });
}

async function waitForForwarders(runId: string, nodes: string[], socketsDir: string, deadline: number, options: WaitForTasksOptions): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      const socket = `${socketsDir}/${node}.sock`;
      let lastError: unknown;
      while (Date.now() < deadline) {
        let status;
        try {
          status = await forwarderStatus(socket, Math.max(1, Math.min(2_000, deadline - Date.now())));
        } catch (error) {
          lastError = error;
        }
        if (status?.setup_error) throw setupFailed(runId, node, status.setup_error);
        if (status && status.preparation !== "running") {
          options.onProgress?.({ node, state: "ready", message: `forwarder answers on ${socket} (daemon ${status.running ? "running" : "stopped"})` });
          return;
        }
        if (status) lastError = new Error("the container preparation is still running");
        await sleep(options.pollMs ?? 250);
      }
      throw new MinaLocalError("docker", `timed out after ${options.timeoutMs} ms waiting for the forwarder of node ${node} in run ${runId} to answer on ${socket}`, {
        where: `run ${runId}, node ${node}`,
        hint: `its container runs but the forwarder does not listen (${lastError instanceof Error ? lastError.message : String(lastError)}); see \`docker service logs ${runId}_${node}\``,
      });
    }),
  );
}
