import type Docker from "dockerode";
import { cleanup, listRuns, type CleanupOptions, type CleanupResult } from "./cleanup.js";
import { connectDocker } from "./connect.js";
import { DEFAULT_CALL_TIMEOUT_MS } from "./docker-call.js";
import type { ForwarderStatus } from "./forwarder-socket.js";
import { execInNode, type ExecOptions, type ExecResult } from "./exec.js";
import { nodeContainer, startNode, stopNode, type NodeControlOptions, type StartNodeOptions } from "./nodes.js";
import type { RunObjects } from "./runs.js";
import { deployStack, ensureSwarm, imageExists, validateWithDocker, type DockerValidation } from "./swarm.js";
import { waitForTasks, type NodeTask, type WaitForTasksOptions } from "./tasks.js";
import { freeRunSubnet } from "./subnet.js";
import { probeMinaImage, type MinaImageProbe, type ProbeOptions } from "./image-probe.js";
import { removeStack, type RemoveResult } from "./teardown.js";
import { watchContainerDeaths, type ContainerDeath } from "./watch.js";

export interface SwarmManagerOptions {
  /** bound of every single Docker API call; default 30 s */
  callTimeoutMs?: number;
}

/** Everything mina-local does with Docker, bound to one Docker client. */
export class SwarmManager {
  readonly docker: Docker;
  private readonly callTimeoutMs: number;

  constructor(docker: Docker, options: SwarmManagerOptions = {}) {
    this.docker = docker;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /** Connects (ping with a timeout); an unreachable engine is a "docker" error saying how to start it. */
  static async connect(options: SwarmManagerOptions & { docker?: Docker } = {}): Promise<SwarmManager> {
    return new SwarmManager(await connectDocker(options.docker ? { docker: options.docker } : {}), options);
  }

  ensureSwarm(): Promise<"already-active" | "initialized"> {
    return ensureSwarm(this.docker, this.callTimeoutMs);
  }

  validateWithDocker(composePath: string): Promise<DockerValidation> {
    return validateWithDocker(composePath);
  }

  deployStack(runId: string, composePath: string, options: { timeoutMs?: number } = {}): Promise<string> {
    return deployStack(runId, composePath, options.timeoutMs);
  }

  waitForTasks(runId: string, options: WaitForTasksOptions): Promise<Map<string, NodeTask>> {
    return waitForTasks(this.docker, runId, { callTimeoutMs: this.callTimeoutMs, ...options });
  }

  /** The id of the node's running container. */
  async containerOf(runId: string, node: string): Promise<string> {
    return (await nodeContainer(this.docker, runId, node, this.callTimeoutMs)).id;
  }

  stopNode(runId: string, node: string, options: NodeControlOptions = {}): Promise<ForwarderStatus> {
    return stopNode(this.docker, runId, node, { callTimeoutMs: this.callTimeoutMs, ...options });
  }

  startNode(runId: string, node: string, options: StartNodeOptions = {}): Promise<ForwarderStatus> {
    return startNode(this.docker, runId, node, { callTimeoutMs: this.callTimeoutMs, ...options });
  }

  removeStack(runId: string, options: { timeoutMs?: number } = {}): Promise<RemoveResult> {
    return removeStack(this.docker, runId, { callTimeoutMs: this.callTimeoutMs, ...options });
  }

  listRuns(): Promise<RunObjects[]> {
    return listRuns(this.docker, this.callTimeoutMs);
  }

  cleanup(options: CleanupOptions = {}): Promise<CleanupResult> {
    return cleanup(this.docker, { callTimeoutMs: this.callTimeoutMs, ...options });
  }

  watchContainerDeaths(runId: string, onDeath: (death: ContainerDeath) => void): Promise<() => void> {
    return watchContainerDeaths(this.docker, runId, onDeath, this.callTimeoutMs);
  }

  /** `docker exec` in the running container of a service of the run (a node, or an archive node's PostgreSQL) */
  execInNode(runId: string, node: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execInNode(this.docker, runId, node, cmd, { callTimeoutMs: this.callTimeoutMs, ...options });
  }

  /** A free /24 for the run network (the snark coordinator's trustlist names it). */
  freeRunSubnet(): Promise<string> {
    return freeRunSubnet(this.docker, this.callTimeoutMs);
  }

  probeMinaImage(image: string, options: ProbeOptions): Promise<MinaImageProbe> {
    return probeMinaImage(this.docker, image, options);
  }

  imageExists(tag: string): Promise<boolean> {
    return imageExists(this.docker, tag, this.callTimeoutMs);
  }
}
