/** The roles a Mina node can have in a test network; also the `mina-local.role` label and the subject token. */
export const NODE_ROLES = ["seed", "block-producer", "snark-coordinator", "snark-worker", "archive", "node"] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** Ports inside every node's container (each container has its own address on the run's overlay network). */
export const MINA_PORTS = {
  client: 8301,
  external: 8302,
  graphql: 3085,
  metrics: 10001,
} as const;

/** Paths inside every node's container; the compose file bind-mounts the run directory's parts there. */
export const CONTAINER_PATHS = {
  /** the forwarder executable, PID 1 of every node container */
  forwarder: "/mina-local/forwarder",
  /** the run's shared directory: logs.fifo and the sockets folder */
  runDir: "/mina-local/run",
  fifo: "/mina-local/run/logs.fifo",
  socketsDir: "/mina-local/run/sockets",
  runtimeConfig: "/mina-local/config/runtime-config.json",
  keysDir: "/mina-local/keys",
  /** the daemon's -config-directory: chain state that survives a stop unless a fresh state is asked */
  stateDir: "/root/.mina-config",
} as const;

/** Node names become Docker service names, DNS names and NATS subject tokens: keep them to that alphabet. */
export const NODE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/;
