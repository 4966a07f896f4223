import { existsSync, readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LABELS } from "@mina-local/compose-generator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SwarmManager, forwarderStatus, type TaskProgress } from "./index.js";
import { listLabelled } from "./runs.js";
import { buildTestImage, disposeRun, prepareRun, withHint, type TestRun } from "./testing/run.js";

const IMAGE = "mina-local/swarm-manager-test:1";
let swarm: SwarmManager;
let runA: TestRun | undefined;
let runB: TestRun | undefined;
const progressA: TaskProgress[] = [];

async function labelledObjects(runId: string) {
  const [services, containers, networks] = await listLabelled(swarm.docker, runId);
  return { services: services!.map((s) => s.name), containers: containers!.map((c) => c.name), networks: networks!.map((n) => n.name) };
}

/** A host process's state letter and parent, from /proc (container processes are visible from the host). */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state ?? "?", ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}
const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};
const childrenOf = (parent: number) =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => procStat(pid)?.ppid === parent);

beforeAll(async () => {
  try {
    swarm = await SwarmManager.connect();
    await swarm.ensureSwarm();
  } catch (error) {
    throw withHint(error);
  }
  await buildTestImage(IMAGE);
  runA = await prepareRun(IMAGE, ["bp-one", "bp-two"]);
  runB = await prepareRun(IMAGE, ["other"]);
  await swarm.deployStack(runA.runId, runA.files.composeFile);
  await swarm.deployStack(runB.runId, runB.files.composeFile);
}, 240_000);

afterAll(async () => {
  for (const run of [runA, runB]) {
    if (!run) continue;
    await swarm?.removeStack(run.runId, { timeoutMs: 30_000 }).catch((error: unknown) => console.error(error));
    await disposeRun(run);
  }
  await swarm?.docker
    .getImage(IMAGE)
    .remove({ force: true })
    .catch(() => undefined);
}, 120_000);

describe("swarm-manager against Docker", () => {
  it("finds the test image it built", async () => {
    expect(await swarm.imageExists(IMAGE)).toBe(true);
    expect(await swarm.imageExists("mina-local/no-such-image:0")).toBe(false);
  });

  it("has Docker accept the generated compose file (docker stack config)", async () => {
    const validation = await swarm.validateWithDocker(runA!.files.composeFile);
    expect(validation.validatedBy).toBe("docker stack config");
    for (const node of runA!.network.nodes) expect(validation.output).toContain(`/mina-local/run/sockets/${node.name}.sock`);
  });

  it("deploys a 3-node stack and waits until every task runs, reporting progress per node", async () => {
    const tasks = await swarm.waitForTasks(runA!.runId, { timeoutMs: 90_000, socketsDir: runA!.files.socketsDir, onProgress: (p) => progressA.push(p) });
    expect([...tasks.keys()].sort()).toEqual(["bp-one", "bp-two", "seed"]);
    for (const task of tasks.values()) expect(task.state).toBe("running");
    expect(
      progressA
        .filter((p) => p.state === "running")
        .map((p) => p.node)
        .sort(),
    ).toEqual(["bp-one", "bp-two", "seed"]);
    expect(
      progressA
        .filter((p) => p.state === "ready")
        .map((p) => p.node)
        .sort(),
    ).toEqual(["bp-one", "bp-two", "seed"]);
    for (const node of ["seed", "bp-one", "bp-two"]) {
      const status = await forwarderStatus(runA!.files.nodes[node]!.socket);
      expect(status).toMatchObject({ node, running: true });
    }
  }, 120_000);

  it("reaps what a daemon leaves behind: its orphaned helper goes to docker-init (PID 1) and leaves no zombie", async () => {
    const { runId } = runA!;
    const container = await swarm.containerOf(runId, "bp-two");
    const init = (await swarm.docker.getContainer(container).inspect()).State.Pid;
    expect(commandLine(init)).toMatch(/docker-init -- \/mina-local\/forwarder /);
    // a fresh daemon start orphans a fresh helper (it lives 6 s)
    await swarm.stopNode(runId, "bp-two");
    await swarm.startNode(runId, "bp-two");
    let helper: number | undefined;
    for (let i = 0; i < 100 && helper === undefined; i++) {
      helper = childrenOf(init).find((pid) => commandLine(pid).includes("orphaned-helper"));
      if (helper === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(helper, "the daemon's orphaned helper, re-parented to the container's PID 1").toBeDefined();
    for (let i = 0; i < 200 && procStat(helper!) !== undefined && procStat(helper!)?.state !== "Z"; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(procStat(helper!), "the helper exited and was reaped").toBeUndefined();
    expect(childrenOf(init).filter((pid) => procStat(pid)?.state === "Z")).toEqual([]);
  }, 60_000);

  it("keeps two runs apart: neither sees the other's nodes", async () => {
    const progressB: TaskProgress[] = [];
    const tasksB = await swarm.waitForTasks(runB!.runId, { timeoutMs: 90_000, socketsDir: runB!.files.socketsDir, onProgress: (p) => progressB.push(p) });
    expect([...tasksB.keys()].sort()).toEqual(["other", "seed"]);
    expect(new Set(progressA.map((p) => p.node))).toEqual(new Set(["seed", "bp-one", "bp-two"]));
    expect(new Set(progressB.map((p) => p.node))).toEqual(new Set(["seed", "other"]));

    const runs = await swarm.listRuns();
    const a = runs.find((r) => r.runId === runA!.runId);
    const b = runs.find((r) => r.runId === runB!.runId);
    expect(a?.services.map((s) => s.name).sort()).toEqual([`${runA!.runId}_bp-one`, `${runA!.runId}_bp-two`, `${runA!.runId}_seed`]);
    expect(b?.services.map((s) => s.name).sort()).toEqual([`${runB!.runId}_other`, `${runB!.runId}_seed`]);
    for (const object of [...a!.services, ...a!.containers, ...a!.networks]) expect(object.labels[LABELS.run]).toBe(runA!.runId);
    expect(await swarm.containerOf(runA!.runId, "seed")).not.toBe(await swarm.containerOf(runB!.runId, "seed"));
  }, 120_000);

  it("stops a node's daemon while its container lives, and starts it again with its state kept", async () => {
    const { runId, files } = runA!;
    const container = await swarm.containerOf(runId, "bp-one");
    const stopped = await swarm.stopNode(runId, "bp-one");
    expect(stopped.running).toBe(false);
    expect((await forwarderStatus(files.nodes["bp-one"]!.socket)).running).toBe(false);
    const inspected = await swarm.docker.getContainer(container).inspect();
    expect(inspected.State.Running).toBe(true);
    expect(await swarm.containerOf(runId, "bp-one")).toBe(container);
    expect((await forwarderStatus(files.nodes["bp-two"]!.socket)).running).toBe(true);

    const marker = join(files.nodes["bp-one"]!.stateDir, "chain-marker");
    await writeFile(marker, "kept");
    const started = await swarm.startNode(runId, "bp-one");
    expect(started).toMatchObject({ running: true, starts: stopped.starts + 1 });
    expect(existsSync(marker)).toBe(true);
    expect(await swarm.containerOf(runId, "bp-one")).toBe(container);
  }, 90_000);

  it("starts a node with a fresh state: its chain state is gone", async () => {
    const { runId, files } = runA!;
    const marker = join(files.nodes["bp-one"]!.stateDir, "chain-marker");
    expect(existsSync(marker)).toBe(true);
    const before = await forwarderStatus(files.nodes["bp-one"]!.socket);
    const started = await swarm.startNode(runId, "bp-one", { freshState: true });
    expect(started.running).toBe(true);
    expect(started.starts).toBe(before.starts + 1);
    expect(existsSync(marker)).toBe(false);
  }, 90_000);

  it("fails waiting for a run whose image is missing, naming the node and Docker's reason", async () => {
    const broken = await prepareRun("mina-local/no-such-image:0", ["lonely"]);
    try {
      await swarm.deployStack(broken.runId, broken.files.composeFile);
      await expect(swarm.waitForTasks(broken.runId, { timeoutMs: 60_000 })).rejects.toThrow(/node (seed|lonely).*No such image/);
    } finally {
      await swarm.removeStack(broken.runId, { timeoutMs: 30_000 });
      await disposeRun(broken);
    }
    expect(await labelledObjects(broken.runId)).toEqual({ services: [], containers: [], networks: [] });
  }, 120_000);

  it("removes a stack until nothing labelled with its run is left, leaving the other run alone", async () => {
    const result = await swarm.removeStack(runA!.runId, { timeoutMs: 60_000 });
    expect(result.removed.services).toHaveLength(3);
    expect(result.removed.networks).toEqual([`${runA!.runId}_mina-local`]);
    expect(await labelledObjects(runA!.runId)).toEqual({ services: [], containers: [], networks: [] });
    expect((await labelledObjects(runB!.runId)).services).toHaveLength(2);
    expect((await forwarderStatus(runB!.files.nodes["other"]!.socket)).running).toBe(true);
  }, 90_000);

  it("cleanup leaves a run whose owner is alive, and removes it once the owner is gone", async () => {
    const runId = runB!.runId;
    const spared = await swarm.cleanup({ runId, isOwnerAlive: () => true });
    expect(spared.skipped.map((s) => s.runId)).toEqual([runId]);
    expect(spared.skipped[0]?.labels[LABELS.ownerPid]).toBe(String(process.pid));
    expect((await labelledObjects(runId)).services).toHaveLength(2);

    const swept = await swarm.cleanup({ runId, isOwnerAlive: () => false });
    expect(swept.removed.map((r) => r.runId)).toEqual([runId]);
    expect(await labelledObjects(runId)).toEqual({ services: [], containers: [], networks: [] });
  }, 90_000);
});
