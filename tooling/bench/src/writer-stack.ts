import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LABELS, RUN_NETWORK, runPaths } from "@mina-local/compose-generator";
import type { ComposeFile, ComposeService } from "@mina-local/compose-generator";
import { currentOwner } from "@mina-local/swarm-manager";
import type { SwarmManager } from "@mina-local/swarm-manager";

export interface WriterStackOptions {
  runId: string;
  runDir: string;
  image: string;
  nodes: string[];
  /**
   * "forwarder": the forwarder is PID 1 and runs the writer as its daemon (mina-local's
   * path); "direct": the writer is PID 1 and writes to stdout, i.e. to Docker's log
   * driver (the path a user reads with `docker service logs`)
   */
  mode: "forwarder" | "direct";
  writerArgs: (node: string) => string[];
}

/** Where the writers look for the go file, inside the container. */
export const CONTAINER_GO_FILE = "/mina-local/run/go";
export const WRITER_ROLE = "node";

/** The writers' compose file: one service per writer, labelled like a run's nodes. Pure. */
export function writerCompose(options: WriterStackOptions): ComposeFile {
  const paths = runPaths(options.runDir);
  const owner = currentOwner();
  const ownerLabels = { [LABELS.ownerPid]: String(owner.pid), [LABELS.ownerStart]: owner.start };
  const service = (node: string): ComposeService => {
    const labels = { [LABELS.run]: options.runId, [LABELS.role]: WRITER_ROLE, [LABELS.node]: node, ...ownerLabels };
    const viaForwarder = options.mode === "forwarder";
    return {
      image: options.image,
      hostname: node,
      entrypoint: viaForwarder
        ? ["/mina-local/forwarder", "--node", node, "--role", WRITER_ROLE, "--fifo", "/mina-local/run/logs.fifo", "--socket", `/mina-local/run/sockets/${node}.sock`, "--graphql-port", "3085", "--"]
        : ["/usr/local/bin/mina"],
      command: viaForwarder ? ["mina", "daemon", ...options.writerArgs(node)] : options.writerArgs(node),
      environment: {},
      volumes: [{ type: "bind", source: paths.shared, target: "/mina-local/run" }],
      networks: [RUN_NETWORK],
      labels,
      init: true,
      stop_grace_period: "8s",
      stop_signal: "SIGTERM",
      // the direct writers keep every line (no rotation) so `docker logs` can be asked for all of them
      logging: { driver: "local", options: viaForwarder ? { "max-size": "10m", "max-file": "3" } : { "max-size": "4g", "max-file": "2" } },
      deploy: { replicas: 1, restart_policy: { condition: "none" }, labels },
    };
  };
  return {
    services: Object.fromEntries(options.nodes.map((node) => [node, service(node)])),
    networks: { [RUN_NETWORK]: { driver: "overlay", attachable: false, labels: { [LABELS.run]: options.runId, ...ownerLabels } } },
  };
}

/** Writes the compose file, deploys it, and waits until every task runs (and every forwarder answers). */
export async function deployWriters(swarm: SwarmManager, options: WriterStackOptions): Promise<void> {
  const paths = runPaths(options.runDir);
  mkdirSync(paths.socketsDir, { recursive: true, mode: 0o777 });
  const composeFile = join(options.runDir, "docker-compose.json");
  writeFileSync(composeFile, JSON.stringify(writerCompose(options), null, 2));
  await swarm.deployStack(options.runId, composeFile);
  await swarm.waitForTasks(options.runId, {
    timeoutMs: 180_000,
    ...(options.mode === "forwarder" && { socketsDir: paths.socketsDir }),
  });
}
