/**
 * Labels on every Docker object of a run: cleanup finds a run's objects by `run`, and a
 * sweeper tells a live run from a dead one by `ownerPid` + `ownerStart`.
 */
export const LABELS = {
  run: "mina-local.run",
  role: "mina-local.role",
  node: "mina-local.node",
  /** pid of the process that deployed the run (test_executive) */
  ownerPid: "mina-local.owner-pid",
  /** that process's start time, so a reused pid does not pass for the owner */
  ownerStart: "mina-local.owner-start",
} as const;

/**
 * The `mina-local.role` of a PostgreSQL service of an archive node. It is a service of the
 * run (labelled, watched, removed with it) but not a Mina node: it has no forwarder.
 */
export const POSTGRES_ROLE = "postgres";

/**
 * The `mina-local.role` of a multi-host run's log relay service (one task on every host):
 * a service of the run (labelled and removed with it) but not a Mina node.
 */
export const HOST_RELAY_ROLE = "host-relay";

/** The name of the run's overlay network inside the compose file (Docker prefixes the stack name). */
export const RUN_NETWORK = "mina-local";
