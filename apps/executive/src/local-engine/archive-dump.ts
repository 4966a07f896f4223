import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { runPaths } from "@mina-local/compose-generator";
import { MinaLocalError, type ArchiveDump, type NetworkConfig } from "@mina-local/engine";
import type { SwarmManager } from "@mina-local/swarm-manager";
import type { ModuleLogger } from "../logger.js";

/**
 * Mina's `dump_archive_data` (integration_test_local_engine/docker_network.ml at a297e7e628):
 * `pg_dump --create --no-owner <postgres uri>`. Mina runs it in the archive container, whose
 * image has PostgreSQL's client; ours runs it in the archive node's PostgreSQL container,
 * which has it whatever the archive image, against the same database.
 */
export async function dumpArchiveData(context: {
  runId: string;
  runDir: string;
  config: NetworkConfig;
  swarm: SwarmManager;
  log: ModuleLogger;
  node: string;
  dataFile?: string;
}): Promise<ArchiveDump> {
  const { runId, runDir, config, swarm, log, node } = context;
  const archive = config.archives.find((a) => a.archiveNode === node);
  if (!archive) throw new MinaLocalError("invalid-arguments", `dumpArchiveData: ${node} is not an archive node (archive nodes: ${config.archives.map((a) => a.archiveNode).join(", ") || "none"})`);
  const pg = archive.postgres;
  const file = context.dataFile ?? runPaths(runDir).archiveDumpOf(node);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const command = ["pg_dump", "--create", "--no-owner", `postgres://${pg.user}:${pg.password}@127.0.0.1:${pg.port}/${pg.database}`];
  log.info({ node, postgres: pg.service }, "Dumping archive data from (node: $node, container: $postgres)");
  const result = await swarm.execInNode(runId, pg.service, command, { stdoutFile: file, timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    throw new MinaLocalError(
      "docker",
      `dumping the archive data of ${node}: \`${command.slice(0, 3).join(" ")} <uri>\` in ${pg.service} exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 1000)}`,
    );
  }
  log.info({ node, file }, "Dumping archive data to file $file");
  return { file, sql: await readFile(file, "utf8") };
}
