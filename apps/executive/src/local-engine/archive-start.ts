import { MinaLocalError, type ArchiveSpec, type NetworkConfig, type NodeSpec } from "@mina-local/engine";
import type { SwarmManager } from "@mina-local/swarm-manager";
import type { LineTail } from "../dsl/line-tail.js";

/** The line Mina's archive logs once it listens (src/app/archive/lib/processor.ml `setup_server`). */
const ARCHIVE_READY = /Archive process ready\. Clients can now connect/;
const ARCHIVE_READY_TIMEOUT_MS = 180_000;

/**
 * Archive nodes and the seeds that feed them are deployed stopped (`--no-autostart`), and
 * started here in order once every PostgreSQL is healthy (the deploy waited for that): the
 * archive process, then, once it logs that it is ready, its seed, so that no block reaches
 * an archive that is not listening. Mina's engine starts all at once and makes the archive
 * sleep 15 s instead.
 */
export function deferredByArchives(network: NetworkConfig): Set<string> {
  return new Set(network.archives.flatMap((a) => [a.archiveNode, a.seedNode]));
}

export async function startArchives(context: { runId: string; network: NetworkConfig; swarm: SwarmManager; lines: LineTail; signal: AbortSignal; onProgress: (line: string) => void }): Promise<void> {
  await Promise.all(context.network.archives.map((archive) => startArchive(archive, context)));
}

async function startArchive(archive: ArchiveSpec, context: Parameters<typeof startArchives>[0]): Promise<void> {
  const { runId, swarm, lines, signal, onProgress } = context;
  const ready = waitForLine(lines, archive.archiveNode, ARCHIVE_READY, ARCHIVE_READY_TIMEOUT_MS, signal);
  try {
    onProgress(`${archive.archiveNode}: starting mina-archive (PostgreSQL ${archive.postgres.service} is up)`);
    await swarm.startNode(runId, archive.archiveNode);
    await ready.promise;
  } catch (cause) {
    ready.cancel();
    const last = lines.recent(archive.archiveNode, 5).map((l) => l.text.slice(0, 300));
    throw new MinaLocalError("setup", `archive node ${archive.archiveNode} did not start: ${cause instanceof Error ? cause.message : String(cause)}`, {
      where: `run ${runId}, node ${archive.archiveNode} (mina-archive run -postgres-uri ... ${archive.postgres.service})`,
      hint: last.length > 0 ? `its last lines:\n    ${last.join("\n    ")}` : `it logged nothing; see \`docker service logs ${runId}_${archive.archiveNode}\``,
      cause,
    });
  }
  onProgress(`${archive.archiveNode}: ready; starting ${archive.seedNode}`);
  await swarm.startNode(runId, archive.seedNode);
}

function waitForLine(lines: LineTail, node: string, pattern: RegExp, timeoutMs: number, signal: AbortSignal): { promise: Promise<void>; cancel: () => void } {
  let cancel = () => undefined as void;
  const promise = new Promise<void>((resolve, reject) => {
    if (lines.recent(node, 1000).some((l) => pattern.test(l.text))) return resolve();
    const timer = setTimeout(() => done(new Error(`it did not log "${pattern.source.replaceAll("\\", "")}" within ${timeoutMs / 1000} s`)), timeoutMs);
    const onAbort = () => done(new Error(`interrupted (${String(signal.reason)})`));
    const unsubscribe = lines.subscribe((line) => {
      if (line.node === node && pattern.test(line.text)) done();
    });
    signal.addEventListener("abort", onAbort, { once: true });
    function done(error?: Error) {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve();
    }
    cancel = () => done();
  });
  return { promise, cancel };
}

/** The archive image must have `mina-archive`: the simulator image does; a real Mina daemon image does not. */
export function archiveImageProblem(network: NetworkConfig, imageCarriesArchive: (image: string) => boolean): string | undefined {
  const archives: NodeSpec[] = network.nodes.filter((n) => n.role === "archive");
  const bad = archives.find((n) => !imageCarriesArchive(n.image) && network.images.archive === undefined);
  return bad
    ? `the test has ${archives.length} archive node(s) and the Mina image ${bad.image} has no archive process: pass --archive-image (e.g. minaprotocol/mina-archive) loaded on this machine`
    : undefined;
}
