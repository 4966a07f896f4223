import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { drainHostRelays, type HostDrain } from "@mina-local/bus";
import { LABELS, HOST_RELAY_ROLE } from "@mina-local/compose-generator";
import { MinaLocalError } from "@mina-local/engine";
import { hostRelayNames } from "@mina-local/host-relay";
import { dockerCli, swarmNodes, type SwarmManager } from "@mina-local/swarm-manager";
import type { NatsConnection } from "@nats-io/transport-node";
import type { LocalRun } from "../run-context.js";
import type { MultiHostComposeFile } from "./compose.js";
import { relaysOnlyCompose } from "./compose.js";
import type { HostLogs } from "./host-logs.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One task of the run's services as the manager lists it, with its host's name. */
export interface HostTask {
  service: string;
  node: string | undefined;
  role: string | undefined;
  host: string;
  state: string;
  desired: string;
  error: string | undefined;
}

/** Every task of the run's services on every host (the manager sees them all), newest first. */
export async function runTasks(swarm: SwarmManager, runId: string): Promise<HostTask[]> {
  const [tasks, services, nodes] = await Promise.all([
    swarm.docker.listTasks({ filters: { label: [`${LABELS.run}=${runId}`] } }) as Promise<
      Array<{ ServiceID?: string; NodeID?: string; CreatedAt?: string; DesiredState?: string; Status?: { State?: string; Err?: string; Message?: string } }>
    >,
    swarm.docker.listServices({ filters: { label: [`${LABELS.run}=${runId}`] } }),
    swarmNodes(swarm.docker),
  ]);
  const serviceOf = new Map(services.map((s) => [s.ID ?? "", s]));
  const hostOf = new Map(nodes.map((n) => [n.id, n.hostname]));
  return tasks
    .sort((a, b) => (b.CreatedAt ?? "").localeCompare(a.CreatedAt ?? ""))
    .map((t) => {
      const service = serviceOf.get(t.ServiceID ?? "");
      const labels = service?.Spec?.Labels ?? {};
      return {
        service: service?.Spec?.Name ?? t.ServiceID ?? "?",
        node: labels[LABELS.node],
        role: labels[LABELS.role],
        host: hostOf.get(t.NodeID ?? "") ?? "(no host yet)",
        state: t.Status?.State ?? "unknown",
        desired: t.DesiredState ?? "unknown",
        error: t.Status?.Err,
      };
    });
}

/** The last lines a host's relay wrote (why it stopped), from the manager's `docker service logs`. */
async function relayLogTail(runId: string): Promise<string> {
  const service = `${runId}_${hostRelayNames(runId).service}`;
  try {
    const { stdout, stderr } = await dockerCli(["service", "logs", "--no-trunc", "--tail", "20", service], `reading the logs of ${service}`, 10_000);
    return `${stdout}${stderr}`.trim();
  } catch (error) {
    return `(its logs could not be read: ${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Why a host's relay did not answer: its task's state on that host and its last words. */
async function relayProblem(swarm: SwarmManager, runId: string, host: string): Promise<string> {
  const tasks = (await runTasks(swarm, runId).catch(() => [])).filter((t) => t.role === HOST_RELAY_ROLE && t.host === host);
  const task = tasks[0];
  const state = task ? `its task is ${task.state}${task.error ? ` (${task.error})` : ""}` : "it has no task there";
  const words = (await relayLogTail(runId))
    .split("\n")
    .filter((l) => l.includes(host) || /refused|cannot reach|error/i.test(l))
    .slice(-3)
    .join(" | ");
  return `the log relay of ${host} did not come up: ${state}${words ? `; it said: ${words}` : ""}`;
}

/**
 * Step: a log relay on every host before any node, so every host's FIFO has its reader and
 * every node's socket its carrier. Deploys the relays alone (the run's network, per-host
 * volume and password secret with them), then waits until every host's relay answers a
 * drain request on the bus; a host whose relay does not is an error naming the host and
 * what its task and its log say (wrong credentials, the bus unreachable, no image).
 */
export async function deployHostRelays(run: LocalRun, input: { swarm: SwarmManager; compose: MultiHostComposeFile; hosts: readonly string[]; nc: NatsConnection; hostLogs: HostLogs }): Promise<void> {
  const { runId, runDir, step } = run;
  const file = join(runDir, "docker-compose.relays.json");
  writeFileSync(file, `${JSON.stringify(relaysOnlyCompose(input.compose, runId), null, 2)}\n`);
  // if a later step fails before the whole stack is deployed, the relays still go (after it, a no-op)
  run.teardown.add(
    "removing the relays",
    async () => {
      await input.swarm.removeStack(runId, { timeoutMs: 60_000 });
    },
    { removes: true },
  );
  await step(`starting a log relay on each of ${input.hosts.length} hosts`, async () => {
    await input.swarm.deployStack(runId, file);
    const deadline = Date.now() + 60_000;
    let waiting = [...input.hosts];
    let last: HostDrain[] = [];
    while (waiting.length > 0 && Date.now() < deadline) {
      last = await drainHostRelays(input.nc, runId, waiting, 2_000);
      for (const answer of last) if (answer.ok) input.hostLogs.record(answer.host, answer.stats);
      waiting = last.filter((a) => !a.ok).map((a) => a.host);
      // a relay that exited will not come back (restart policy none): no use waiting for it
      const tasks = await runTasks(input.swarm, runId).catch(() => []);
      if (waiting.some((host) => tasks.some((t) => t.role === HOST_RELAY_ROLE && t.host === host && ["failed", "rejected", "complete"].includes(t.state)))) break;
      if (waiting.length > 0) await sleep(500);
    }
    if (waiting.length > 0) {
      const problems = await Promise.all(waiting.map((host) => relayProblem(input.swarm, runId, host)));
      throw new MinaLocalError("setup", problems.join("\n"), {
        where: waiting.join(", "),
        hint: "the relays reach the bus at --bus-address with the run's credentials: is the address routable from those hosts, and the relay image on them?",
      });
    }
  });
}

/**
 * The first part of removing a multi-host stack: the node services go first and every
 * host's relay drains once their tasks are gone (every forwarder has flushed its last
 * line into its host's FIFO), so the counters are final before the relays are stopped.
 * What is left (the relays, the network, the volume, the secret) goes with the stack.
 */
export async function removeNodesThenDrainRelays(run: LocalRun, input: { swarm: SwarmManager; hosts: readonly string[]; nc: NatsConnection; hostLogs: HostLogs }): Promise<void> {
  const { runId, log } = run;
  const { swarm } = input;
  const services = (await swarm.docker.listServices({ filters: { label: [`${LABELS.run}=${runId}`] } })).filter((s) => s.Spec?.Labels?.[LABELS.role] !== HOST_RELAY_ROLE);
  await Promise.all(
    services.map((s) =>
      swarm.docker
        .getService(s.ID ?? "")
        .remove()
        .catch(() => undefined),
    ),
  );
  // a host that left the swarm mid-run (reported then) answers nothing: its tasks are not waited for, its relay not asked
  const readyHosts = async () => new Set((await swarmNodes(swarm.docker).catch(() => [])).filter((n) => n.state === "ready").map((n) => n.hostname));
  let ready = await readyHosts();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const left = (await runTasks(swarm, runId)).filter(
      (t) => t.role !== HOST_RELAY_ROLE && ready.has(t.host) && !["shutdown", "complete", "failed", "rejected", "orphaned", "remove"].includes(t.state),
    );
    if (left.length === 0) break;
    if (Date.now() > deadline) {
      log.warn({ tasks: left.map((t) => `${t.node ?? t.service} on ${t.host}: ${t.state}`) }, "Node tasks still up after 60 s: $tasks");
      break;
    }
    await sleep(250);
  }
  if (input.nc.isClosed()) return;
  // a relay known to have stopped cannot answer: its fault is already reported, no use waiting a minute for it
  const relays = (await runTasks(swarm, runId)).filter((t) => t.role === HOST_RELAY_ROLE);
  ready = await readyHosts();
  const up = input.hosts.filter((host) => ready.has(host) && relays.find((t) => t.host === host)?.state === "running");
  for (const host of input.hosts.filter((h) => !up.includes(h))) {
    const why = ready.has(host) ? "was not running at teardown" : "could not be drained at teardown: its host left the swarm";
    const fault = `the log relay of ${host} ${why}: the lines of its nodes since its last counters are not counted`;
    run.busFaults.push(fault);
    log.error({ host, fault }, "$fault");
  }
  for (const answer of await drainHostRelays(input.nc, runId, up, 60_000)) {
    if (answer.ok) input.hostLogs.record(answer.host, answer.stats);
    else {
      run.busFaults.push(answer.fault);
      log.error({ host: answer.host, fault: answer.fault }, "$fault");
    }
  }
}
