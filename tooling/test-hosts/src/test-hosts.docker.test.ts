import fs from "node:fs";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildScratchImageOnce } from "@mina-local/image-builder";
import { leftovers, planTestHosts, startTestHosts, teardownTestHosts } from "./index.js";
import type { TestHosts } from "./index.js";
import { processesMentioning, sleep } from "./processes.js";

// Run under `flock /tmp/mina-local-docker.lock`: three more engines on a shared machine.
const PROBE_IMAGE = "mina-local/test-hosts-probe:1";
const plan = planTestHosts({ name: "mlt", count: 3, subnet: 21 });
const machine = new Docker();
let hosts: TestHosts | undefined;
let machineNodesBefore: string[] = [];

const nodeList = async (docker: Docker) =>
  ((await docker.listNodes()) as Array<{ ID: string; Spec: { Role: string }; Status: { State: string } }>).map((n) => `${n.ID} ${n.Spec.Role} ${n.Status.State}`).sort();

beforeAll(async () => {
  machineNodesBefore = await nodeList(machine);
  await buildScratchImageOnce({
    tag: PROBE_IMAGE,
    files: [{ path: "/app/idle.js", content: "setInterval(() => {}, 1 << 30); process.on('SIGTERM', () => process.exit(0));\n" }],
    entrypoint: ["/usr/bin/node", "/app/idle.js"],
  });
  hosts = await startTestHosts({ name: plan.name, count: 3, subnet: plan.subnet });
}, 120_000);

// runs even when beforeAll or a test failed: nothing may be left
afterAll(async () => {
  await teardownTestHosts(plan);
}, 60_000);

describe("test hosts", () => {
  it("are three engines of one swarm, each labelled with its host", async () => {
    const h = hosts as TestHosts;
    const nodes = (await h.manager.docker.listNodes()) as Array<{ ID: string; Description: { Hostname: string }; Spec: { Labels: Record<string, string> }; Status: { State: string; Addr: string } }>;
    expect(nodes.map((n) => [n.Spec.Labels["mina-local.host"], n.Description.Hostname, n.Status.State, n.Status.Addr]).sort()).toEqual([
      ["host-1", "host-1", "ready", "198.18.21.11"],
      ["host-2", "host-2", "ready", "198.18.21.12"],
      ["host-3", "host-3", "ready", "198.18.21.13"],
    ]);
    // three engines, not one answering thrice
    expect(new Set(h.hosts.map((x) => x.nodeId)).size).toBe(3);
  });

  it("get an image by docker save | docker load, with progress, and run a global service's task on each host", async () => {
    const h = hosts as TestHosts;
    for (const host of h.hosts) await expect(host.docker.getImage(PROBE_IMAGE).inspect()).rejects.toThrow();
    const progress: number[] = [];
    await h.loadImage(machine, PROBE_IMAGE, (p) => progress.push(p.bytes));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBeGreaterThan(50 * 1024 * 1024);
    for (const host of h.hosts) expect((await host.docker.getImage(PROBE_IMAGE).inspect()).Id).toBe((await machine.getImage(PROBE_IMAGE).inspect()).Id);

    await h.manager.docker.createService({ Name: "probe", TaskTemplate: { ContainerSpec: { Image: PROBE_IMAGE } }, Mode: { Global: {} } });
    await h.manager.docker.createService({
      Name: "pinned",
      TaskTemplate: { ContainerSpec: { Image: PROBE_IMAGE }, Placement: { Constraints: ["node.labels.mina-local.host==host-2"] } },
      Mode: { Replicated: { Replicas: 1 } },
    });
    const running = async (service: string) =>
      ((await h.manager.docker.listTasks({ filters: JSON.stringify({ service: [service], "desired-state": ["running"] }) })) as Array<{ NodeID: string; Status: { State: string } }>)
        .filter((t) => t.Status.State === "running")
        .map((t) => h.hosts.find((x) => x.nodeId === t.NodeID)?.host)
        .sort();
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && ((await running("probe")).length < 3 || (await running("pinned")).length < 1)) await sleep(500);
    expect(await running("probe")).toEqual(["host-1", "host-2", "host-3"]);
    expect(await running("pinned")).toEqual(["host-2"]);
  }, 90_000);

  it("tear down to nothing, and leave the machine's own swarm as it was", async () => {
    await teardownTestHosts(plan);
    expect(await leftovers(plan)).toEqual([]);
    for (const parent of ["/var/lib/mina-local-test-hosts", "/run/mina-local-test-hosts"]) expect(fs.existsSync(parent) ? fs.readdirSync(parent) : []).toEqual([]);
    expect(processesMentioning(["dockerd --data-root /var/lib/mina-local-test-hosts", "/run/mina-local-test-hosts"])).toEqual([]);
    expect(await nodeList(machine)).toEqual(machineNodesBefore);
    const info = (await machine.info()) as { Swarm: { LocalNodeState: string; ControlAvailable: boolean } };
    expect([info.Swarm.LocalNodeState, info.Swarm.ControlAvailable]).toEqual(["active", true]);
  }, 60_000);
});
