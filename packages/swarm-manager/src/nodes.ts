import { join } from "node:path";
import type Docker from "dockerode";
import { LABELS } from "@mina-local/compose-generator";
import { CONTAINER_PATHS, MinaLocalError } from "@mina-local/engine";
import { dockerCall } from "./docker-call.js";
import { forwarderPost, forwarderStatus, type ForwarderStatus } from "./forwarder-socket.js";

export interface NodeContainer {
  id: string;
  /** host path bind-mounted at /mina-local/run (the run's shared dir) */
  sharedDir?: string;
  /** host path bind-mounted at /root/.mina-config (the node's chain state) */
  stateDir?: string;
}

/** The running container of a node of a run, with the host paths of its mounts. */
export async function nodeContainer(docker: Docker, runId: string, node: string, callTimeoutMs?: number): Promise<NodeContainer> {
  const containers = await dockerCall(
    `finding the container of node ${node} in run ${runId}`,
    docker.listContainers({ filters: { label: [`${LABELS.run}=${runId}`, `${LABELS.node}=${node}`], status: ["running"] } }),
    callTimeoutMs,
  );
  const container = containers[0];
  if (!container) {
    throw new MinaLocalError("docker", `node ${node} of run ${runId} has no running container`, {
      hint: `see \`docker service ps --no-trunc ${runId}_${node}\``,
    });
  }
  const mountAt = (target: string) => container.Mounts.find((m) => m.Destination === target)?.Source;
  const sharedDir = mountAt(CONTAINER_PATHS.runDir);
  const stateDir = mountAt(CONTAINER_PATHS.stateDir);
  return { id: container.Id, ...(sharedDir && { sharedDir }), ...(stateDir && { stateDir }) };
}

export interface NodeControlOptions {
  /** how long to wait for the forwarder to report the daemon stopped / started; default 30 s */
  timeoutMs?: number;
  callTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function socketOf(container: NodeContainer, runId: string, node: string): string {
  if (!container.sharedDir) {
    throw new MinaLocalError("docker", `the container of node ${node} in run ${runId} has no mount at ${CONTAINER_PATHS.runDir}`, {
      hint: "deploy the stack from a compose file made by @mina-local/compose-generator",
    });
  }
  return join(container.sharedDir, "sockets", `${node}.sock`);
}

/** Polls the node's forwarder until the daemon's state is the wanted one. */
async function awaitDaemon(socket: string, node: string, running: boolean, timeoutMs: number): Promise<ForwarderStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: ForwarderStatus | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await forwarderStatus(socket, Math.min(5_000, Math.max(1, deadline - Date.now())));
      if (last.running === running) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  const seen = last ? `it reports running=${String(last.running)}` : `no status (${lastError instanceof Error ? lastError.message : String(lastError)})`;
  throw new MinaLocalError("docker", `timed out after ${timeoutMs} ms waiting for the daemon of node ${node} to ${running ? "start" : "stop"}: ${seen}`);
}

async function signal(docker: Docker, container: NodeContainer, signalName: "SIGUSR1" | "SIGUSR2", what: string, callTimeoutMs?: number): Promise<void> {
  await dockerCall(what, docker.getContainer(container.id).kill({ signal: signalName }), callTimeoutMs);
}

/** Stops the node's daemon (SIGUSR1 to its forwarder); the container stays. Resolves once it is stopped. */
export async function stopNode(docker: Docker, runId: string, node: string, options: NodeControlOptions = {}): Promise<ForwarderStatus> {
  const container = await nodeContainer(docker, runId, node, options.callTimeoutMs);
  const socket = socketOf(container, runId, node);
  await signal(docker, container, "SIGUSR1", `stopping the daemon of node ${node} in run ${runId}`, options.callTimeoutMs);
  return awaitDaemon(socket, node, false, options.timeoutMs ?? 30_000);
}

export interface StartNodeOptions extends NodeControlOptions {
  /** empty the node's chain state before starting (Mina's `start ~fresh_state:true`) */
  freshState?: boolean;
  /** unused since the forwarder empties the state dir itself (kept for callers that pass it) */
  stateDir?: string;
}

/**
 * Starts the node's daemon (SIGUSR2 to its forwarder). With a fresh state the daemon is
 * stopped first (if it runs) and the forwarder empties its state dir and imports its keys
 * again before starting it. Resolves once it runs.
 */
export async function startNode(docker: Docker, runId: string, node: string, options: StartNodeOptions = {}): Promise<ForwarderStatus> {
  const container = await nodeContainer(docker, runId, node, options.callTimeoutMs);
  const socket = socketOf(container, runId, node);
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (options.freshState) {
    const status = await forwarderStatus(socket);
    if (status.running) {
      await signal(docker, container, "SIGUSR1", `stopping the daemon of node ${node} in run ${runId} before a fresh start`, options.callTimeoutMs);
      await awaitDaemon(socket, node, false, timeoutMs);
    }
    // the forwarder (root in the container) empties the state dir and imports the node's keys
    // again (the wallets lived there), as Mina's puppeteer does before a fresh start
    await forwarderPost(socket, "/mina-local/start?fresh=1", timeoutMs);
    return awaitDaemon(socket, node, true, timeoutMs);
  }
  await signal(docker, container, "SIGUSR2", `starting the daemon of node ${node} in run ${runId}`, options.callTimeoutMs);
  return awaitDaemon(socket, node, true, timeoutMs);
}
