import { posix } from "node:path";

/** Where each part of a run lives on the host, under `<output-dir>/<run-id>`. */
export function runPaths(runDir: string) {
  const shared = posix.join(runDir, "shared");
  return {
    runDir,
    composeFile: posix.join(runDir, "docker-compose.json"),
    runtimeConfig: posix.join(runDir, "config", "runtime-config.json"),
    /** bind-mounted at /mina-local/run in every container */
    shared,
    /** created by the bus (mkfifo), not by the writer */
    fifo: posix.join(shared, "logs.fifo"),
    socketsDir: posix.join(shared, "sockets"),
    socketOf: (node: string) => posix.join(shared, "sockets", `${node}.sock`),
    keysDirOf: (node: string) => posix.join(runDir, "keys", node),
    /** the node's chain state (/root/.mina-config in its container) */
    stateDirOf: (node: string) => posix.join(runDir, "nodes", node, "state"),
    /** Mina's archive schema (create_schema.sql, zkapp_tables.sql), mounted read-only in every PostgreSQL */
    archiveSchemaDir: posix.join(runDir, "archive", "schema"),
    /** the PostgreSQL init script that loads the schema (/docker-entrypoint-initdb.d/) */
    postgresInitScript: posix.join(runDir, "archive", "init", "mina-archive-schema.sql"),
    /** `dumpArchiveData()` writes `<archive node>.sql` here */
    archiveDumpOf: (node: string) => posix.join(runDir, "archive", "dumps", `${node}.sql`),
  };
}

export type RunPaths = ReturnType<typeof runPaths>;

/** sun_path holds 108 bytes on Linux, its terminating NUL included */
export const UNIX_SOCKET_PATH_MAX_BYTES = 107;

/** The nodes whose forwarder socket path under `paths` is longer than a Unix socket may be (the host could not connect to it). */
export function overlongSocketPaths(paths: RunPaths, nodeNames: readonly string[]): { node: string; path: string; bytes: number }[] {
  return nodeNames.map((node) => ({ node, path: paths.socketOf(node), bytes: Buffer.byteLength(paths.socketOf(node)) })).filter((s) => s.bytes > UNIX_SOCKET_PATH_MAX_BYTES);
}
