import { rmSync, writeFileSync } from "node:fs";
import { bridgeNodeSockets } from "@mina-local/bus";
import { HOST_RELAY_ROLE } from "@mina-local/compose-generator";
import type { NetworkConfig } from "@mina-local/engine";
import { hostRelayNames } from "@mina-local/host-relay";
import { copyImageToHosts, type SwarmManager } from "@mina-local/swarm-manager";
import type { NatsConnection } from "@nats-io/transport-node";
import type { LocalRun } from "../run-context.js";
import type { LocalMultiHost } from "./config.js";
import type { HostLogs } from "./host-logs.js";
import { deployHostRelays, runTasks } from "./relays.js";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Step: every image the run's services use, on every host that lacks it (saved from the manager's engine and loaded, no registry). */
export async function copyImagesToHosts(run: LocalRun, input: { swarm: SwarmManager; multiHost: LocalMultiHost; images: readonly string[] }): Promise<void> {
  const { hosts } = input.multiHost;
  for (const image of new Set(input.images)) {
    await run.step(`making ${image} available on ${hosts.map((h) => h.name).join(", ")}`, async () => {
      const { copiedTo } = await copyImageToHosts(input.swarm.docker, image, hosts, {
        onProgress: (p) => run.progress.update(`${image} -> ${p.host}: ${mb(p.bytes)} of about ${mb(p.totalBytes)}`),
      });
      if (copiedTo.length > 0) run.log.info({ image, hosts: copiedTo }, "Loaded $image onto $hosts");
    });
  }
}

/**
 * The multi-host steps between the bus and the nodes: the images on every host, the bus
 * password as the secret's file, a relay on every host answering on the bus, and the
 * executive's socket per node that carries its requests to the node's host.
 */
export async function prepareHosts(
  run: LocalRun,
  input: { swarm: SwarmManager; multiHost: LocalMultiHost; network: NetworkConfig; images: readonly string[]; nc: NatsConnection; hostLogs: HostLogs },
): Promise<void> {
  const { multiHost, swarm, nc, hostLogs } = input;
  const hosts = multiHost.hosts.map((h) => h.name);
  await copyImagesToHosts(run, { swarm, multiHost, images: [...input.images, multiHost.relayImage] });
  // read by `docker stack deploy` into the run's secret; never in the compose file or the environment
  writeFileSync(multiHost.passwordFile, multiHost.credentials.password, { mode: 0o600 });
  run.teardown.add("removing the bus password file", async () => rmSync(multiHost.passwordFile, { force: true }));
  // runs after the stack is gone (last-in first-out): `docker stack rm` leaves volumes on every host
  run.teardown.add("removing the run's volume on every host", () => removeRunVolumes(run.runId, multiHost), { removes: true });
  await deployHostRelays(run, { swarm, compose: multiHost.compose, hosts, nc, hostLogs });
  const bridge = await run.step("serving each node's socket over the bus", () =>
    bridgeNodeSockets({ nc, runId: run.runId, nodes: input.network.nodes.map((n) => n.name), socketOf: run.paths.socketOf, signal: run.signal }),
  );
  run.teardown.add("closing the nodes' sockets", () => bridge.close());
}

/** The run's per-host volume on every host that has it; a volume still in use (a container being removed) is tried again for 30 s. */
async function removeRunVolumes(runId: string, multiHost: LocalMultiHost): Promise<void> {
  // the stack's namespace prefixes the compose file's volume name
  const name = `${runId}_${hostRelayNames(runId).volume}`;
  const failures: string[] = [];
  await Promise.all(
    multiHost.hosts.map(async (host) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          await host.docker.getVolume(name).remove({ force: true });
          return;
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          if (status === 404) return;
          if (Date.now() > deadline) {
            failures.push(`volume ${name} on ${host.name}: ${error instanceof Error ? error.message : String(error)}`);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }),
  );
  if (failures.length > 0) throw new Error(`could not remove ${failures.join("; ")} (remove it with \`docker volume rm\` on that host)`);
}

/** Which host each node's task runs on, once the stack is up (the report says it). */
export async function nodePlacement(swarm: SwarmManager, runId: string): Promise<Map<string, string>> {
  const placed = new Map<string, string>();
  for (const task of await runTasks(swarm, runId)) {
    if (task.role === HOST_RELAY_ROLE || task.node === undefined || placed.has(task.node)) continue;
    if (task.state === "running") placed.set(task.node, task.host);
  }
  return placed;
}
