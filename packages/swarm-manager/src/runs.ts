import type Docker from "dockerode";
import { LABELS } from "@mina-local/compose-generator";
import { dockerCall } from "./docker-call.js";

export interface RunObject {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface RunObjects {
  runId: string;
  services: RunObject[];
  containers: RunObject[];
  networks: RunObject[];
  /** owner labels of the run, from whichever of its objects carries them */
  labels: Record<string, string>;
}

const runFilter = (runId?: string) => ({ label: [runId === undefined ? LABELS.run : `${LABELS.run}=${runId}`] });

/** Every service, container (running or not) and network labelled by a run (or by the given one). */
export async function listLabelled(docker: Docker, runId?: string, timeoutMs?: number): Promise<RunObject[][]> {
  const scope = runId === undefined ? "every run" : `run ${runId}`;
  const filters = runFilter(runId);
  const [services, containers, networks] = await Promise.all([
    dockerCall(`listing the services of ${scope}`, docker.listServices({ filters }), timeoutMs),
    dockerCall(`listing the containers of ${scope}`, docker.listContainers({ all: true, filters }), timeoutMs),
    dockerCall(`listing the networks of ${scope}`, docker.listNetworks({ filters }), timeoutMs),
  ]);
  return [
    services.map((s) => ({ id: s.ID ?? "", name: s.Spec?.Name ?? "", labels: s.Spec?.Labels ?? {} })),
    containers.map((c) => ({ id: c.Id, name: (c.Names[0] ?? "").replace(/^\//, ""), labels: c.Labels ?? {} })),
    networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
  ];
}

/** Docker objects grouped by the run that labelled them. */
export function groupByRun(services: RunObject[], containers: RunObject[], networks: RunObject[]): RunObjects[] {
  const runs = new Map<string, RunObjects>();
  const runOf = (object: RunObject) => {
    const runId = object.labels[LABELS.run] ?? "";
    let run = runs.get(runId);
    if (!run) runs.set(runId, (run = { runId, services: [], containers: [], networks: [], labels: {} }));
    for (const key of [LABELS.ownerPid, LABELS.ownerStart]) {
      const value = object.labels[key];
      if (value !== undefined && run.labels[key] === undefined) run.labels[key] = value;
    }
    return run;
  };
  for (const s of services) runOf(s).services.push(s);
  for (const c of containers) runOf(c).containers.push(c);
  for (const n of networks) runOf(n).networks.push(n);
  return [...runs.values()].sort((a, b) => a.runId.localeCompare(b.runId));
}
