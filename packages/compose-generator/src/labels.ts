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

/** The name of the run's overlay network inside the compose file (Docker prefixes the stack name). */
export const RUN_NETWORK = "mina-local";
