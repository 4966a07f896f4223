import net from "node:net";
import { newBusCredentials, type BusCredentials } from "@mina-local/bus";
import { MinaLocalError, withTimeout, type NetworkConfig } from "@mina-local/engine";
import { HOST_LABEL } from "@mina-local/host-relay";
import { dockerForEndpoint, swarmNodes, type SwarmHost, type SwarmManager, type SwarmNodeInfo } from "@mina-local/swarm-manager";

/** What a multi-host run adds to the local engine's `Network_config.t`. */
export interface MultiHostConfig {
  hosts: SwarmHost[];
  /** node -> host for the pinned nodes */
  placement: Readonly<Record<string, string>>;
  busAddress: string;
  /** the bus's port on `busAddress`, picked free at expand so the compose file can name it */
  busPort: number;
  credentials: BusCredentials;
}

/**
 * The swarm's own view must match `--swarm-hosts`: each named host a ready, active node of
 * the swarm DOCKER_HOST manages, carrying the label the placement uses, and no other node
 * that could take a task (its engine would lack the images). Pure.
 */
export function swarmHostProblems(nodes: readonly SwarmNodeInfo[], hosts: readonly string[]): string[] {
  const problems: string[] = [];
  for (const host of hosts) {
    const node = nodes.find((n) => n.hostname === host);
    if (!node) problems.push(`host ${host} (--swarm-hosts) is not a node of the swarm (its nodes: ${nodes.map((n) => n.hostname).join(", ")})`);
    else if (node.state !== "ready" || node.availability !== "active") problems.push(`host ${host} is ${node.state}, availability ${node.availability}: it cannot take tasks`);
    else if (node.labels[HOST_LABEL] !== host) problems.push(`host ${host} lacks the node label ${HOST_LABEL}=${host} (add it: docker node update --label-add ${HOST_LABEL}=${host} ${node.id})`);
  }
  for (const node of nodes) {
    if (!hosts.includes(node.hostname) && node.state === "ready" && node.availability === "active") {
      problems.push(`the swarm's node ${node.hostname} is not in --swarm-hosts: a task placed there would lack the images (name it, or drain it: docker node update --availability drain ${node.id})`);
    }
  }
  return problems;
}

/** Nodes pinned by --place must exist; archive nodes are not run across hosts yet. Pure. */
export function placementProblems(network: NetworkConfig, placement: Readonly<Record<string, string>>): string[] {
  const names = new Set(network.nodes.map((n) => n.name));
  const problems = Object.keys(placement)
    .filter((node) => !names.has(node))
    .map((node) => `--place: the network has no node named ${node} (nodes: ${[...names].join(", ")})`);
  if (network.archives.length > 0) problems.push("a multi-host run cannot have archive nodes yet: their PostgreSQL and dumps are reached through the local engine's Docker exec");
  return problems;
}

/** A free port on the bus's address: proves the address is this machine's before anything is deployed. */
async function freePortOn(address: string): Promise<number> {
  const server = net.createServer();
  await withTimeout(
    `finding a free port on ${address} for the bus`,
    5_000,
    new Promise<void>((resolve, reject) => {
      server.once("error", (error) =>
        reject(
          new MinaLocalError("invalid-arguments", `--bus-address ${address}: cannot listen there (${error.message})`, {
            hint: "give an address of this machine the swarm's hosts can reach (`ip -br addr`)",
          }),
        ),
      );
      server.listen(0, address, resolve);
    }),
    "port",
  );
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The multi-host part of expand: the hosts checked against the swarm, the placement against the network, the bus's address and credentials. */
export async function expandMultiHost(input: {
  manager: SwarmManager;
  hosts: ReadonlyArray<{ name: string; endpoint: string }>;
  placement: Readonly<Record<string, string>>;
  busAddress: string;
  network: NetworkConfig;
}): Promise<MultiHostConfig> {
  const placed = placementProblems(input.network, input.placement);
  if (placed.length > 0) throw new MinaLocalError("invalid-arguments", placed.join("\n"));
  const info = (await withTimeout("reading the swarm state of DOCKER_HOST", 10_000, input.manager.docker.info(), "docker")) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== "active" || !info.Swarm.ControlAvailable) {
    throw new MinaLocalError("swarm", `DOCKER_HOST (${process.env["DOCKER_HOST"] ?? "/var/run/docker.sock"}) is not a manager of a swarm, and a multi-host run deploys through one`, {
      hint: "set DOCKER_HOST to a manager of the swarm whose hosts --swarm-hosts names",
    });
  }
  const problems = swarmHostProblems(
    await swarmNodes(input.manager.docker),
    input.hosts.map((h) => h.name),
  );
  if (problems.length > 0) throw new MinaLocalError("swarm", problems.join("\n"), { hint: "see `docker node ls` on the manager" });
  const hosts = input.hosts.map((h) => ({ name: h.name, endpoint: h.endpoint, docker: dockerForEndpoint(h.endpoint) }));
  await Promise.all(
    hosts.map((h) =>
      withTimeout(`pinging the Docker engine of ${h.name} at ${h.endpoint}`, 5_000, h.docker.ping(), "docker").catch((cause: unknown) => {
        throw new MinaLocalError("docker", `the Docker engine of ${h.name} is not reachable at ${h.endpoint}: ${cause instanceof Error ? cause.message : String(cause)}`, { where: h.name, cause });
      }),
    ),
  );
  return { hosts, placement: input.placement, busAddress: input.busAddress, busPort: await freePortOn(input.busAddress), credentials: newBusCredentials() };
}
