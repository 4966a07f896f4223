import type { ArchiveSpec } from "@mina-local/engine";
import { POSTGRES_INIT_SCRIPT, POSTGRES_SCHEMA_DIR, postgresEnvironment, postgresHealthcheck } from "./archive-services.js";
import type { ComposeService } from "./compose-types.js";
import { LABELS, POSTGRES_ROLE, RUN_NETWORK } from "./labels.js";
import type { RunPaths } from "./run-paths.js";

/**
 * The PostgreSQL service of an archive node: the image's own entrypoint (the official
 * postgres image's contract: `docker-entrypoint.sh postgres`, POSTGRES_* variables, init
 * scripts in /docker-entrypoint-initdb.d), Mina's schema mounted read-only, no forwarder.
 * Its data directory lives in the container and goes with it, as in Mina's engine.
 */
export function postgresService(archive: ArchiveSpec, context: { runId: string; paths: RunPaths; ownerLabels: Record<string, string>; logging: ComposeService["logging"] }): ComposeService {
  const name = archive.postgres.service;
  const labels = { [LABELS.run]: context.runId, [LABELS.role]: POSTGRES_ROLE, [LABELS.node]: name, ...context.ownerLabels };
  return {
    image: archive.postgres.image,
    hostname: name,
    entrypoint: ["docker-entrypoint.sh"],
    command: ["postgres"],
    environment: postgresEnvironment(archive),
    volumes: [
      { type: "bind", source: context.paths.archiveSchemaDir, target: POSTGRES_SCHEMA_DIR, read_only: true },
      { type: "bind", source: context.paths.postgresInitScript, target: POSTGRES_INIT_SCRIPT, read_only: true },
    ],
    networks: [RUN_NETWORK],
    labels,
    init: true,
    stop_grace_period: "8s",
    // the official image's STOPSIGNAL: a fast shutdown, which does not wait for the archive to disconnect
    stop_signal: "SIGINT",
    logging: context.logging,
    deploy: { replicas: 1, restart_policy: { condition: "none" }, labels },
    healthcheck: postgresHealthcheck(archive),
  };
}
