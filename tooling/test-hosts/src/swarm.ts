import type Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { HOST_LABEL } from "./plan.js";
import type { TestHostPlan } from "./plan.js";
import { sleep } from "./processes.js";

interface SwarmInfo {
  Swarm?: { NodeID?: string; LocalNodeState?: string };
}

async function nodeIdOf(docker: Docker, host: TestHostPlan): Promise<string> {
  const info = (await withTimeout(`reading ${host.host}'s swarm state`, 10_000, docker.info(), "swarm")) as SwarmInfo;
  const id = info.Swarm?.NodeID;
  if (!id) throw new MinaLocalError("swarm", `${host.host} is not in a swarm (state ${info.Swarm?.LocalNodeState ?? "unknown"})`, { where: host.host });
  return id;
}

/**
 * host-1 initialises a new swarm on its own address; the others join it as workers. The
 * machine's own swarm advertises 127.0.0.1, an address no other namespace can reach, so
 * the test hosts' swarm is a swarm of its own and the machine's is never touched.
 */
export async function formSwarm(manager: { host: TestHostPlan; docker: Docker }, workers: Array<{ host: TestHostPlan; docker: Docker }>): Promise<Map<string, string>> {
  const m = manager.host;
  await withTimeout(`initialising the swarm on ${m.host}`, 30_000, manager.docker.swarmInit({ ListenAddr: `${m.address}:2377`, AdvertiseAddr: m.address }), "swarm");
  const swarm = (await withTimeout(`reading ${m.host}'s join tokens`, 10_000, manager.docker.swarmInspect(), "swarm")) as { JoinTokens: { Worker: string } };
  const ids = new Map<string, string>([[m.host, await nodeIdOf(manager.docker, m)]]);
  for (const { host, docker } of workers) {
    await withTimeout(
      `joining ${host.host} to the swarm of ${m.host} (${m.address}:2377)`,
      60_000,
      docker.swarmJoin({ ListenAddr: `${host.address}:2377`, AdvertiseAddr: host.address, RemoteAddrs: [`${m.address}:2377`], JoinToken: swarm.JoinTokens.Worker }),
      "swarm",
    );
    ids.set(host.host, await nodeIdOf(docker, host));
  }
  return ids;
}

interface SwarmNode {
  ID: string;
  Version: { Index: number };
  Spec: { Role: string; Availability: string; Labels?: Record<string, string> };
  Status: { State: string };
}

/** Sets `mina-local.host=<host>` on every node and waits until all are ready. */
export async function labelNodes(manager: Docker, ids: Map<string, string>, timeoutMs = 60_000): Promise<void> {
  for (const [host, id] of ids) {
    const node = (await withTimeout(`inspecting node ${host}`, 10_000, manager.getNode(id).inspect(), "swarm")) as SwarmNode;
    await withTimeout(`labelling node ${host}`, 10_000, manager.getNode(id).update({ version: node.Version.Index, ...node.Spec, Labels: { ...node.Spec.Labels, [HOST_LABEL]: host } }), "swarm");
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = (await withTimeout("listing the swarm's nodes", 10_000, manager.listNodes(), "swarm")) as SwarmNode[];
    const notReady = [...ids].filter(([, id]) => nodes.find((n) => n.ID === id)?.Status.State !== "ready").map(([host]) => host);
    if (notReady.length === 0) return;
    if (Date.now() > deadline) throw new MinaLocalError("swarm", `test hosts not ready in the swarm after ${timeoutMs} ms: ${notReady.join(", ")}`);
    await sleep(250);
  }
}

/** Leaves the swarm (forced: the last manager leaving ends it); a failure is returned. */
export async function leaveSwarm(docker: Docker, host: TestHostPlan): Promise<string | undefined> {
  try {
    const info = (await withTimeout(`reading ${host.host}'s swarm state`, 5_000, docker.info(), "teardown")) as SwarmInfo;
    if (info.Swarm?.LocalNodeState === "inactive") return undefined;
    await withTimeout(`${host.host} leaving the swarm`, 30_000, docker.swarmLeave({ force: true }), "teardown");
    return undefined;
  } catch (error) {
    return `${host.host}: leaving the swarm: ${(error as Error).message}`;
  }
}
