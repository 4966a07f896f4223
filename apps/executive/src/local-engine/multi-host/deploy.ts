import { rmSync, writeFileSync } from "node:fs";
import { bridgeNodeSockets } from "@mina-local/bus";
import { HOST_RELAY_ROLE, LABELS } from "@mina-local/compose-generator";
import { withTimeout, type NetworkConfig } from "@mina-local/engine";
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
  run.teardown.add("removing what the run left on each host (its volume; a departed host's containers)", () => removeRunLeftoversOnHosts(run.runId, multiHost), { removes: true });
  await deployHostRelays(run, { swarm, compose: multiHost.compose, hosts, nc, hostLogs });
  const bridge = await run.step("serving each node's socket over the bus", () =>
    bridgeNodeSockets({ nc, runId: run.runId, nodes: input.network.nodes.map((n) => n.name), socketOf: run.paths.socketOf, signal: run.signal }),
  );
  run.teardown.add("closing the nodes' sockets", () => bridge.close());
}

/**
 * What the run left on each host's own engine after the stack went: its per-host volume
 * (`docker stack rm` leaves volumes), and on a host that left the swarm mid-run the
 * containers and network of its tasks, which the manager no longer reaches. A volume or
 * network still in use (a container being removed) is tried again for 30 s.
 */
async function removeRunLeftoversOnHosts(runId: string, multiHost: LocalMultiHost): Promise<void> {
  // the stack's namespace prefixes the compose file's volume name
  const volume = `${runId}_${hostRelayNames(runId).volume}`;
  const label = JSON.stringify({ label: [`${LABELS.run}=${runId}`] });
  const failures: string[] = [];
  await Promise.all(
    multiHost.hosts.map(async (host) => {
      // a host that is gone for good must not hold teardown up: every call to its engine is bounded
      const bounded = <T>(what: string, work: Promise<T>) => withTimeout(`${what} on ${host.name}`, 15_000, work, "docker");
      const containers = await bounded("listing the run's containers", host.docker.listContainers({ all: true, filters: label })).catch(() => []);
      await Promise.all(containers.map((c) => bounded(`removing container ${c.Id.slice(0, 12)}`, host.docker.getContainer(c.Id).remove({ force: true })).catch(() => undefined)));
      // a swarm member's copy of the run's overlay network is the manager's to remove, and goes with the stack
      const info = (await bounded("reading the swarm state", host.docker.info()).catch(() => ({}))) as { Swarm?: { LocalNodeState?: string } };
      const departed = info.Swarm?.LocalNodeState !== undefined && info.Swarm.LocalNodeState !== "active";
      const networks = departed ? await bounded("listing the run's networks", host.docker.listNetworks({ filters: label })).catch(() => []) : [];
      const removals = [
        ...networks.map((n) => ({ what: `network ${n.Name} on ${host.name}`, remove: () => bounded(`removing network ${n.Name}`, host.docker.getNetwork(n.Id).remove()) })),
        { what: `volume ${volume} on ${host.name}`, remove: () => bounded(`removing volume ${volume}`, host.docker.getVolume(volume).remove({ force: true })) },
      ];
      for (const removal of removals) {
        const deadline = Date.now() + 30_000;
        for (;;) {
          try {
            await removal.remove();
            break;
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 404) break;
            if (Date.now() > deadline) {
              failures.push(`${removal.what}: ${error instanceof Error ? error.message : String(error)}`);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      }
    }),
  );
  if (failures.length > 0) throw new Error(`could not remove ${failures.join("; ")} (remove it with \`docker volume rm\` or \`docker network rm\` on that host)`);
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
