/**
 * Archive nodes in Mina's layout (MinaProtocol/mina
 * src/lib/testing/integration_test_local_engine/mina_docker.ml and docker_node_config.ml at
 * 47163c8c71 / cb4d317d90): per archive node a PostgreSQL service `postgres-<n>`, an archive
 * service `archive-<n>` running `mina-archive run`, and a seed `seed-<n>` started with
 * `-archive-address archive-<n>:3086`. Mina appends a random 4-letter suffix to each name
 * because its stacks share one namespace; ours are per run, so the names stay readable.
 */

/** Port the archive process listens on for its daemon's blocks (Mina's `mina_internal_server_port`). */
export const ARCHIVE_SERVER_PORT = 3086;
export const POSTGRES_PORT = 5432;
/** The image Mina's engine runs (`Postgres_config.postgres_image`); ours defaults to `postgres:16` when present. */
export const MINA_ENGINE_POSTGRES_IMAGE = "postgres:16.2-bullseye";
export const DEFAULT_POSTGRES_IMAGE = "postgres:16";

export interface PostgresSpec {
  /** service and host name */
  service: string;
  image: string;
  /** Mina's engine: postgres / password / archive */
  user: string;
  password: string;
  database: string;
  port: number;
}

export interface ArchiveSpec {
  /** 1-based, as Mina numbers them */
  index: number;
  /** the archive node (role "archive"): runs `mina-archive run` */
  archiveNode: string;
  /** the seed that sends its blocks to the archive node */
  seedNode: string;
  postgres: PostgresSpec;
}

export const archiveNodeName = (index: number) => `archive-${index}`;
export const archiveSeedName = (index: number) => `seed-${index}`;
export const postgresServiceName = (index: number) => `postgres-${index}`;

/** Names the generated archive layout claims; a test's node may not use them. */
export const RESERVED_NODE_NAME = /^(seed|seed-\d+|archive-\d+|postgres-\d+)$/;

export function postgresSpec(index: number, image: string): PostgresSpec {
  return { service: postgresServiceName(index), image, user: "postgres", password: "password", database: "archive", port: POSTGRES_PORT };
}

/** `postgres://postgres:password@postgres-1:5432/archive`, as Mina's `Postgres_config.to_connection_uri`. */
export function postgresUri(spec: PostgresSpec): string {
  return `postgres://${spec.user}:${spec.password}@${spec.service}:${spec.port}/${spec.database}`;
}

export const archiveAddress = (archive: Pick<ArchiveSpec, "archiveNode">) => `${archive.archiveNode}:${ARCHIVE_SERVER_PORT}`;
