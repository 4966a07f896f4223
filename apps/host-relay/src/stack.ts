import { HOST_FIFO_PATH } from "./config.js";

/** The swarm node label a multi-host run places nodes by (the test hosts set it too). */
export const HOST_LABEL = "mina-local.host";

/** A node pinned to a host: its service's placement constraint. */
export function placementConstraint(host: string): string {
  return `node.labels.${HOST_LABEL}==${host}`;
}

export interface HostRelayStackOptions {
  runId: string;
  /** `buildHostRelayImage().tag`, loaded on every host */
  image: string;
  /** `EmbeddedNats.networkUrl` */
  busUrl: string;
  user: string;
  /** the run directory's file (0600) holding the run's bus password; becomes a swarm secret */
  passwordFile: string;
  /** the run's labels (owner, run id), on the service, the volume and the secret */
  labels: Record<string, string>;
  /** how long a relay may take to drain at teardown (default 60 s) */
  drainTimeoutMs?: number;
}

/** The names a run's relay pieces have in its stack. */
export function hostRelayNames(runId: string): { service: string; volume: string; secret: string } {
  return { service: "host-relay", volume: `mina-local-${runId}-host`, secret: `mina-local-${runId}-bus-password` };
}

/**
 * The compose parts of a multi-host run's relays, for the executive's compose file: one
 * relay task on every host (global mode), the per-host volume every node container of
 * that host mounts at the FIFO's directory (a swarm creates a local volume on each host
 * the first time a task there uses it), and the password as a swarm secret (an
 * environment variable would show in `docker service inspect`). Pure.
 */
export function hostRelayStackParts(options: HostRelayStackOptions) {
  const names = hostRelayNames(options.runId);
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  const service = {
    image: options.image,
    environment: {
      MINA_LOCAL_RUN_ID: options.runId,
      // swarm's template: the test hosts' hostnames are their names (host-1, ...)
      MINA_LOCAL_HOST: "{{.Node.Hostname}}",
      MINA_LOCAL_BUS_URL: options.busUrl,
      MINA_LOCAL_BUS_USER: options.user,
      MINA_LOCAL_BUS_PASSWORD_FILE: `/run/secrets/${names.secret}`,
      MINA_LOCAL_FIFO: HOST_FIFO_PATH,
      MINA_LOCAL_DRAIN_TIMEOUT_MS: String(drainTimeoutMs),
    },
    volumes: [{ type: "volume" as const, source: names.volume, target: HOST_FIFO_PATH.slice(0, HOST_FIFO_PATH.lastIndexOf("/")) }],
    secrets: [{ source: names.secret, target: names.secret, mode: 0o400 }],
    labels: options.labels,
    // the final drain must finish before docker's SIGKILL
    stop_grace_period: `${Math.ceil(drainTimeoutMs / 1000) + 10}s`,
    deploy: { mode: "global" as const, restart_policy: { condition: "none" as const }, labels: options.labels },
  };
  return {
    service: { [names.service]: service },
    volumes: { [names.volume]: { labels: options.labels } },
    secrets: { [names.secret]: { file: options.passwordFile, labels: options.labels } },
    /** what every node container's service adds to its `volumes` */
    nodeMount: service.volumes[0],
  };
}
