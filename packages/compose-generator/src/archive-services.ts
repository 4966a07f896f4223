import { readFileSync } from "node:fs";
import { ARCHIVE_SERVER_PORT, CONTAINER_PATHS, MinaLocalError, type ArchiveSpec, type NodeSpec } from "@mina-local/engine";

/**
 * The archive part of a run, in Mina's layout (MinaProtocol/mina
 * src/lib/testing/integration_test_local_engine/docker_node_config.ml at cb4d317d90:
 * `Archive_node_config.create_cmd` and `Postgres_config`).
 */

/** Where the PostgreSQL service sees Mina's schema files (both in one directory: `\ir zkapp_tables.sql`). */
export const POSTGRES_SCHEMA_DIR = "/mina-local/archive-schema";
/** The official postgres image's init directory, which our locally built image honours too. */
export const POSTGRES_INIT_SCRIPT = "/docker-entrypoint-initdb.d/mina-archive-schema.sql";

/** Mina's archive schema, kept in this package (reference/archive/SOURCE.md names the Mina commit). */
export const ARCHIVE_SCHEMA_FILES = ["create_schema.sql", "zkapp_tables.sql"] as const;

export function archiveSchemaFile(name: (typeof ARCHIVE_SCHEMA_FILES)[number]): string {
  return readFileSync(new URL(`../reference/archive/${name}`, import.meta.url), "utf8");
}

/**
 * The init script: the official postgres image runs every `*.sql` of /docker-entrypoint-initdb.d
 * with `psql -v ON_ERROR_STOP=1 --dbname $POSTGRES_DB` once, on an empty data directory, before
 * it accepts TCP connections. Mina's engine mounts a `.sh` running the same psql; a `.sql` file
 * needs no shell, so the FROM scratch image can run it too.
 */
export const POSTGRES_INIT_SQL = `-- written by mina-local: loads Mina's archive schema (see ${POSTGRES_SCHEMA_DIR})\n\\i ${POSTGRES_SCHEMA_DIR}/create_schema.sql\n`;

/**
 * `mina-archive run -postgres-uri <uri> -server-port 3086 -config-file <runtime config>`, as
 * Mina's engine runs it, plus `-log-json` so that its lines reach the bus as structured lines
 * (Mina's engine leaves the archive's logs in plain text, which it never reads).
 */
export function archiveCommand(node: NodeSpec): string[] {
  if (node.postgresUri === undefined) {
    throw new MinaLocalError("invalid-config", "an archive node without a PostgreSQL URI: the network config is inconsistent", {
      where: `node "${node.name}" (${node.role})`,
      hint: "build the network config with expandNetworkConfig from a validated test config",
    });
  }
  return ["mina-archive", "run", "-postgres-uri", node.postgresUri, "-server-port", String(ARCHIVE_SERVER_PORT), "-config-file", CONTAINER_PATHS.runtimeConfig, "-log-json"];
}

/** The environment Mina's engine gives its PostgreSQL (`Postgres_config.postgres_default_envs`). */
export function postgresEnvironment(archive: ArchiveSpec): Record<string, string> {
  const pg = archive.postgres;
  return {
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: pg.password,
    POSTGRES_DB: pg.database,
    PGPASSWORD: pg.password,
    POSTGRESQL_PORT_NUMBER: String(pg.port),
  };
}

/**
 * Healthy once PostgreSQL accepts TCP connections on its database: the official image (and ours)
 * runs the init scripts on a server without TCP first, so healthy means the schema is loaded.
 * A task stays "starting" until then, and swarm kills one that never gets there (after about 2 minutes).
 */
export function postgresHealthcheck(archive: ArchiveSpec) {
  const pg = archive.postgres;
  return {
    test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", String(pg.port), "-U", pg.user, "-d", pg.database],
    interval: "1s",
    timeout: "5s",
    retries: 120,
    start_period: "2s",
  };
}
