import { HOST_RELAY_ROLE } from "@mina-local/compose-generator";
import { swarmNodes, type SwarmManager } from "@mina-local/swarm-manager";
import type { LocalRun } from "../run-context.js";
import { runTasks, type HostTask } from "./relays.js";

const ENDED = new Set(["failed", "complete", "shutdown", "rejected", "orphaned", "remove"]);

/** What went wrong on the hosts since the run came up: a relay not running, a host out of the swarm, a node's task ended. Pure. */
export function hostFaults(
  tasks: readonly HostTask[],
  nodeStates: ReadonlyMap<string, string>,
  hosts: readonly string[],
  placedOn: ReadonlyMap<string, string>,
): { pipeline: string[]; hosts: string[]; nodes: HostTask[] } {
  const nodesOn = (host: string) => [...placedOn].filter(([, h]) => h === host).map(([n]) => n);
  const pipeline: string[] = [];
  const gone: string[] = [];
  for (const host of hosts) {
    const state = nodeStates.get(host) ?? "missing";
    if (state !== "ready") {
      gone.push(`host ${host} left the swarm (${state}) mid-run; its nodes ${nodesOn(host).join(", ") || "(none)"} are unreachable and their lines since its relay's last counters are not counted`);
      continue;
    }
    const relay = tasks.find((t) => t.role === HOST_RELAY_ROLE && t.host === host);
    if (!relay || relay.state !== "running") {
      pipeline.push(
        `the log relay of ${host} stopped mid-run (${relay ? `task ${relay.state}${relay.error ? `: ${relay.error}` : ""}` : "no task"}); the lines of ${nodesOn(host).join(", ") || "its nodes"} written since its last counters are lost`,
      );
    }
  }
  const newest = new Map<string, HostTask>();
  for (const t of tasks) if (t.node !== undefined && t.role !== HOST_RELAY_ROLE && !newest.has(t.node)) newest.set(t.node, t);
  const nodes = [...newest.values()].filter((t) => ENDED.has(t.state) && t.desired === "running");
  return { pipeline, hosts: gone, nodes };
}

/**
 * Watches the run's hosts through the manager every 2 s, since the local engine's
 * container-event watch sees only the manager's own engine: a host's relay that stops
 * is a pipeline fault naming the host, a host that leaves the swarm a fault naming the
 * host and its nodes, a node whose task ended a death naming its host. Each aborts the run.
 */
export function watchHosts(run: LocalRun, input: { swarm: SwarmManager; hosts: readonly string[]; placedOn: ReadonlyMap<string, string> }): () => void {
  const reported = new Set<string>();
  let stopped = false;
  const tick = async () => {
    const [tasks, nodes] = await Promise.all([runTasks(input.swarm, run.runId), swarmNodes(input.swarm.docker)]);
    if (stopped) return;
    const faults = hostFaults(tasks, new Map(nodes.map((n) => [n.hostname, n.state])), input.hosts, input.placedOn);
    for (const fault of [...faults.pipeline, ...faults.hosts]) {
      if (reported.has(fault)) continue;
      reported.add(fault);
      run.busFaults.push(fault);
      run.log.error({ fault }, "$fault");
      run.abort(fault);
    }
    for (const task of faults.nodes) {
      const node = task.node as string;
      if (reported.has(`node ${node}`)) continue;
      reported.add(`node ${node}`);
      run.deaths.push({ node, containerId: "", exitCode: undefined, action: `task ${task.state} on ${task.host}${task.error ? `: ${task.error}` : ""}` });
      run.log.error({ node, host: task.host, state: task.state, error: task.error }, "The task of node $node on $host ended ($state)");
      run.abort(`the task of node ${node} on ${task.host} ended (${task.state})`);
    }
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => run.log.warn({ error: error instanceof Error ? error.message : String(error) }, "Watching the hosts failed once: $error"));
  }, 2_000);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
