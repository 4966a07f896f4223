import { CONTAINER_PATHS } from "@mina-local/engine";
import { HOST_RELAY_ROLE, LABELS, RUN_NETWORK, type ComposeFile } from "@mina-local/compose-generator";
import { hostRelayNames, hostRelayStackParts, placementConstraint } from "@mina-local/host-relay";

export interface MultiHostComposeOptions {
  runId: string;
  relayImage: string;
  /** the bus on this machine's address the hosts reach (`nats://<address>:<port>`) */
  busUrl: string;
  user: string;
  /** the run directory's file holding the bus password (a swarm secret at deploy) */
  passwordFile: string;
  /** the owner's labels (pid and start time) */
  ownerLabels: Record<string, string>;
  /** node -> host (the swarm node label `mina-local.host`); unpinned nodes are the swarm's choice */
  placement: Readonly<Record<string, string>>;
}

/** A multi-host run's compose file: the single-host one with the relays' service, volume and secret. */
export type MultiHostComposeFile = ComposeFile & { volumes: Record<string, unknown>; secrets: Record<string, unknown> };

/**
 * The single-host compose file made multi-host (pure): a log relay on every host (global
 * mode), and each node's `/mina-local/run` (its FIFO and its forwarder's socket) in the
 * run's per-host volume instead of the executive's run directory, which no other host
 * sees; a pinned node gets its host's placement constraint. The run's other bind mounts
 * (runtime config, keys, chain state) stay: see docs/architecture.md for what that asks
 * of the hosts.
 */
export function multiHostCompose(compose: ComposeFile, options: MultiHostComposeOptions): MultiHostComposeFile {
  const labels = { [LABELS.run]: options.runId, [LABELS.role]: HOST_RELAY_ROLE, ...options.ownerLabels };
  const parts = hostRelayStackParts({ runId: options.runId, image: options.relayImage, busUrl: options.busUrl, user: options.user, passwordFile: options.passwordFile, labels });
  const nodeVolume = { type: "volume" as const, source: hostRelayNames(options.runId).volume, target: CONTAINER_PATHS.runDir };
  const services = Object.fromEntries(
    Object.entries(compose.services).map(([name, service]) => {
      const host = options.placement[service.labels[LABELS.node] ?? name];
      return [
        name,
        {
          ...service,
          volumes: service.volumes.map((v) => (v.target === CONTAINER_PATHS.runDir ? nodeVolume : v)),
          deploy: { ...service.deploy, ...(host !== undefined && { placement: { constraints: [placementConstraint(host)] } }) },
        },
      ];
    }),
  );
  const relays = Object.fromEntries(Object.entries(parts.service).map(([name, relay]) => [name, { ...relay, networks: [RUN_NETWORK] }]));
  return {
    ...compose,
    services: { ...services, ...relays } as ComposeFile["services"],
    volumes: parts.volumes,
    secrets: parts.secrets,
  };
}

/** Only the relays of a multi-host compose file (with its network, volume and secret): deployed first, so every host's FIFO has its reader before a node writes. */
export function relaysOnlyCompose(compose: MultiHostComposeFile, runId: string): MultiHostComposeFile {
  const relay = hostRelayNames(runId).service;
  return { ...compose, services: { [relay]: compose.services[relay] } as ComposeFile["services"] };
}
