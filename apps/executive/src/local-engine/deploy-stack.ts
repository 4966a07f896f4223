import { nodeStatusSubject } from "@mina-local/bus";
import type { NetworkConfig } from "@mina-local/engine";
import type { SwarmManager } from "@mina-local/swarm-manager";
import type { NatsConnection } from "@nats-io/transport-node";
import type { LocalRun } from "./run-context.js";

/**
 * The stack on the swarm: deployed from the run's compose file, awaited until every node's
 * container and forwarder is up, then watched for a container that dies. Its teardown
 * removes the stack (every daemon is being stopped from there: its shutdown lines are not
 * its errors).
 */
export async function deployStack(
  run: LocalRun,
  input: {
    network: NetworkConfig;
    swarm: SwarmManager;
    nc: NatsConnection;
    /** a multi-host run: the node services go and the hosts' relays drain before the stack is removed */
    beforeRemove?: () => Promise<void>;
    /** false for a multi-host run, whose hosts' watch sees the containers of every host */
    watchDeaths?: boolean;
  },
): Promise<void> {
  const { runId, paths, teardown, log, progress, step } = run;
  const { network, swarm, nc } = input;
  teardown.add(
    "removing the stack",
    async () => {
      run.stops.allStopRequested(network.nodes.map((n) => n.name));
      // whatever failed there (reported), the stack must still go
      await input.beforeRemove?.().catch((error: unknown) => log.error({ error: error instanceof Error ? error.message : String(error) }, "Before removing the stack: $error"));
      const removed = await swarm.removeStack(runId, { timeoutMs: 60_000 });
      log.info({ run_id: runId, duration_ms: removed.durationMs }, "Stack $run_id removed");
    },
    { removes: true },
  );
  await step(`deploying ${network.nodes.length} nodes`, () => swarm.deployStack(runId, paths.composeFile));
  await step("waiting for every node's container and forwarder", () =>
    swarm.waitForTasks(runId, {
      timeoutMs: 180_000,
      socketsDir: paths.socketsDir,
      onProgress: (p) => {
        progress.update(`${p.node}: ${p.state}`);
        nc.publish(nodeStatusSubject(runId, p.node), JSON.stringify(p));
      },
    }),
  );

  if (input.watchDeaths === false) return;
  const stopWatch = await swarm.watchContainerDeaths(runId, (death) => {
    run.deaths.push(death);
    const last = run.lines.recent(death.node, 10).map((l) => l.text);
    log.error({ node: death.node, action: death.action, exit_code: death.exitCode, last_lines: last }, "The container of node $node died ($action, exit code $exit_code)");
    run.abort(`the container of node ${death.node} died (${death.action}, exit code ${death.exitCode ?? "unknown"})`);
  });
  teardown.add("stopping the container watch", async () => stopWatch());
}
