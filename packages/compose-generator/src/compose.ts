import { CONTAINER_PATHS, MINA_PORTS, MinaLocalError, type LogLevel, type NetworkConfig, type NodeSpec } from "@mina-local/engine";
import { postgresService } from "./archive-compose.js";
import { MINA_DEFAULT_CLIENT_TRUSTLIST, daemonCommand, forwarderEntrypoint, nodeEnvironment } from "./commands.js";
import type { ComposeBindMount, ComposeFile, ComposeService } from "./compose-types.js";
import { LABELS, RUN_NETWORK } from "./labels.js";
import { runPaths } from "./run-paths.js";

export interface ComposeOptions {
  runId: string;
  /** absolute host path of `<output-dir>/<run-id>` */
  runDir: string;
  /** host path of the forwarder executable, bind-mounted when the image lacks it (a real Mina image) */
  forwarderPath?: string;
  /** `--docker-log-max-size`; default "10m" */
  dockerLogMaxSize?: string;
  /** logproc expression every forwarder applies (`--filter`) */
  logFilter?: string;
  /** Mina level of the lines every forwarder passes on (`--log-level`; structured events always pass) */
  logLevel?: string;
  /** opt-in only: publish each node's GraphQL port on the loopback, basePort + node index */
  publishGraphqlPorts?: { hostIp: "127.0.0.1"; basePort: number };
  /** nodes for which it returns false start with their daemon stopped (`--no-autostart`); default: all start */
  autostart?: (node: NodeSpec) => boolean;
  /** the deploying process, so that a sweeper never removes a live run's objects */
  owner?: { pid: number; start: string };
  /** default "8s": the forwarder handles SIGTERM (daemon SIGTERM, SIGKILL after 5 s, drain), so a short grace is enough */
  stopGracePeriod?: string;
  /**
   * the event ids the executive waits on: every daemon gets `--start-filtered-logs <id>` once
   * per id (Mina's local engine passes the ids of its event table); default none
   */
  startFilteredLogs?: readonly string[];
  /** the daemons' `-log-level` (their stdout); default Trace, so Trace-level events reach the forwarder */
  daemonLogLevel?: LogLevel;
  /**
   * the run network's subnet (IPv4 CIDR, e.g. "10.231.7.0/24"): the overlay network gets it
   * and the snark coordinator's MINA_CLIENT_TRUSTLIST is set to it; without it the network's
   * subnet is Docker's choice and the trustlist Mina's private ranges
   */
  subnet?: string;
  /** a node stop's SIGTERM-to-SIGKILL time (`--node-stop-timeout`); default 10 minutes */
  nodeStopTimeoutMs?: number;
}

export const DEFAULT_DOCKER_LOG_MAX_SIZE = "10m";
const DOCKER_SIZE_PATTERN = /^\d+[kmg]?$/;

function checkOptions(options: ComposeOptions): void {
  const fail = (field: string, message: string) => {
    throw new MinaLocalError("invalid-arguments", message, { where: `compose options: ${field}` });
  };
  if (!options.runDir.startsWith("/")) fail("runDir", `"${options.runDir}" must be an absolute path (Docker bind mounts need one)`);
  if (options.forwarderPath !== undefined && !options.forwarderPath.startsWith("/")) fail("forwarderPath", `"${options.forwarderPath}" must be an absolute path`);
  const size = options.dockerLogMaxSize ?? DEFAULT_DOCKER_LOG_MAX_SIZE;
  if (!DOCKER_SIZE_PATTERN.test(size)) fail("dockerLogMaxSize", `"${size}" is not a Docker size such as "10m", "500k" or "1g"`);
  if (options.subnet !== undefined && !/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/.test(options.subnet))
    fail("subnet", `"${options.subnet}" is not an IPv4 CIDR such as "10.231.7.0/24"`);
  if (options.nodeStopTimeoutMs !== undefined && (!Number.isInteger(options.nodeStopTimeoutMs) || options.nodeStopTimeoutMs < 0 || options.nodeStopTimeoutMs > 3_600_000)) {
    fail("nodeStopTimeoutMs", `${options.nodeStopTimeoutMs} is not a number of milliseconds from 0 to 3600000`);
  }
  for (const id of options.startFilteredLogs ?? []) if (!/^[0-9a-f]{32}$/.test(id)) fail("startFilteredLogs", `"${id}" is not an event id (32 lowercase hex digits)`);
  const ports = options.publishGraphqlPorts;
  if (ports && (ports.hostIp !== "127.0.0.1" || !Number.isInteger(ports.basePort) || ports.basePort < 1 || ports.basePort > 65535)) {
    fail("publishGraphqlPorts", "ports are published on 127.0.0.1 only, from an integer base port in 1-65535");
  }
}

/** Network config -> the run's compose file (a plain object, written as JSON). Pure. */
export function composeFromNetwork(network: NetworkConfig, options: ComposeOptions): ComposeFile {
  checkOptions(options);
  const paths = runPaths(options.runDir);
  const ownerLabels: Record<string, string> = options.owner ? { [LABELS.ownerPid]: String(options.owner.pid), [LABELS.ownerStart]: options.owner.start } : {};

  const service = (node: NodeSpec, index: number): ComposeService => {
    const labels = { [LABELS.run]: options.runId, [LABELS.role]: node.role, [LABELS.node]: node.name, ...ownerLabels };
    const volumes: ComposeBindMount[] = [
      { type: "bind", source: paths.shared, target: CONTAINER_PATHS.runDir },
      { type: "bind", source: paths.runtimeConfig, target: CONTAINER_PATHS.runtimeConfig, read_only: true },
      { type: "bind", source: paths.keysDirOf(node.name), target: CONTAINER_PATHS.keysDir, read_only: true },
      { type: "bind", source: paths.stateDirOf(node.name), target: CONTAINER_PATHS.stateDir },
    ];
    if (options.forwarderPath !== undefined) {
      volumes.push({ type: "bind", source: options.forwarderPath, target: CONTAINER_PATHS.forwarder, read_only: true });
    }
    const ports = options.publishGraphqlPorts;
    return {
      image: node.image,
      hostname: node.name,
      entrypoint: forwarderEntrypoint(node, {
        autostart: options.autostart?.(node) ?? true,
        ...(options.logFilter !== undefined && { logFilter: options.logFilter }),
        ...(options.logLevel !== undefined && { logLevel: options.logLevel }),
        ...(options.nodeStopTimeoutMs !== undefined && { nodeStopTimeoutMs: options.nodeStopTimeoutMs }),
      }),
      command: daemonCommand(node, network, {
        ...(options.startFilteredLogs && { startFilteredLogs: options.startFilteredLogs }),
        ...(options.daemonLogLevel && { logLevel: options.daemonLogLevel }),
      }),
      environment: {
        ...nodeEnvironment(node, network, options.subnet ?? MINA_DEFAULT_CLIENT_TRUSTLIST),
        MINA_LOCAL_RUN: options.runId,
        MINA_LOCAL_NODE: node.name,
      },
      volumes,
      networks: [RUN_NETWORK],
      labels,
      // Node (the forwarder) cannot waitpid() processes it did not spawn: docker-init reaps them
      init: true,
      // the forwarder gives the daemon 5 s between SIGTERM and SIGKILL, then drains: leave it room
      stop_grace_period: options.stopGracePeriod ?? "8s",
      stop_signal: "SIGTERM",
      logging: { driver: "local", options: { "max-size": options.dockerLogMaxSize ?? DEFAULT_DOCKER_LOG_MAX_SIZE, "max-file": "3" } },
      deploy: { replicas: 1, restart_policy: { condition: "none" }, labels },
      ...(ports && {
        ports: [{ target: MINA_PORTS.graphql, published: ports.basePort + index, host_ip: ports.hostIp, protocol: "tcp" as const, mode: "host" as const }],
      }),
    };
  };

  const logging = { driver: "local" as const, options: { "max-size": options.dockerLogMaxSize ?? DEFAULT_DOCKER_LOG_MAX_SIZE, "max-file": "3" } };
  return {
    services: Object.fromEntries([
      ...network.nodes.map((node, index) => [node.name, service(node, index)] as const),
      ...network.archives.map((archive) => [archive.postgres.service, postgresService(archive, { runId: options.runId, paths, ownerLabels, logging })] as const),
    ]),
    networks: {
      [RUN_NETWORK]: {
        driver: "overlay",
        attachable: false,
        labels: { [LABELS.run]: options.runId, ...ownerLabels },
        ...(options.subnet !== undefined && { ipam: { config: [{ subnet: options.subnet }] } }),
      },
    },
  };
}
