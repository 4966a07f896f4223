import fs from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { MinaLocalError } from "@mina-local/engine";
import { checkPrerequisites, dockerOf, startEngine, stopEngine } from "./engine.js";
import { copyImageToHosts, type ImageCopyProgress } from "@mina-local/swarm-manager";
import { createHostNetwork, createSwitch, deleteNetworks, linkExists, netnsExists } from "./network.js";
import { managerOf, planTestHosts } from "./plan.js";
import type { PlanOptions, TestHostPlan, TestHostsPlan } from "./plan.js";
import { mountsUnder, processesMentioning } from "./processes.js";
import { formSwarm, labelNodes, leaveSwarm } from "./swarm.js";

export interface TestHost extends TestHostPlan {
  docker: Docker;
  /** its swarm node id */
  nodeId: string;
}

export interface TestHosts {
  plan: TestHostsPlan;
  hosts: TestHost[];
  manager: TestHost;
  /** `DOCKER_HOST` for the swarm's manager (e.g. for `docker stack deploy`) */
  dockerHost: string;
  /** puts an image of the machine's engine on every host (docker save | docker load) */
  loadImage(source: Docker, image: string, onProgress?: (p: ImageCopyProgress) => void): Promise<void>;
  /** tears everything down; idempotent; throws the failures together after trying every step */
  teardown(): Promise<void>;
}

export interface StartTestHostsOptions extends PlanOptions {
  onProgress?: (line: string) => void;
}

/**
 * Brings up the hosts: network, engines, swarm, labels. A failure part way tears down what
 * was made before it is thrown, so nothing is left either way.
 */
export async function startTestHosts(options: StartTestHostsOptions = {}): Promise<TestHosts> {
  const plan = planTestHosts(options);
  const say = options.onProgress ?? (() => undefined);
  await checkPrerequisites();
  const left = await leftovers(plan);
  if (left.length > 0) {
    throw new MinaLocalError("setup", `test hosts "${plan.name}" are already up or left behind: ${left.join("; ")}`, {
      hint: `tear them down with \`test-hosts down --name ${plan.name}\`, or choose another --name and --subnet`,
    });
  }
  try {
    say(`network: switch ${plan.switchNetns}, the machine at ${plan.machineAddress} on ${plan.machineLink}`);
    await createSwitch(plan);
    for (const host of plan.hosts) {
      await createHostNetwork(plan, host);
      say(`${host.host}: namespace ${host.netns}, ${host.address}`);
    }
    const engines = await Promise.all(
      plan.hosts.map(async (host) => {
        const docker = await startEngine(host);
        say(`${host.host}: engine up on ${host.socket}`);
        return { host, docker };
      }),
    );
    const [manager, ...workers] = engines;
    if (!manager) throw new MinaLocalError("internal", "no hosts planned");
    const ids = await formSwarm(manager, workers);
    await labelNodes(manager.docker, ids);
    say(`swarm: ${plan.hosts.map((h) => h.host).join(", ")} ready, manager ${manager.host.host}`);
    const hosts = engines.map(({ host, docker }) => ({ ...host, docker, nodeId: ids.get(host.host) as string }));
    const managerHost = hosts.find((h) => h.manager) as TestHost;
    return {
      plan,
      hosts,
      manager: managerHost,
      dockerHost: `unix://${managerHost.socket}`,
      loadImage: async (source, image, onProgress) => {
        // the executive's own copy (docker save | docker load), so the test hosts exercise it
        await copyImageToHosts(
          source,
          image,
          hosts.map((h) => ({ name: h.host, endpoint: `unix://${h.socket}`, docker: h.docker })),
          // test-hosts' own bound before it shared the copy (swarm-manager's default is 600 s)
          { timeoutMs: 300_000, ...(onProgress && { onProgress }) },
        );
      },
      teardown: () => teardownTestHosts(plan, say),
    };
  } catch (error) {
    const failures = await teardownSteps(plan, say);
    if (failures.length > 0 && error instanceof Error) error.message += `\n(and tearing down after it: ${failures.join("; ")})`;
    throw error;
  }
}

async function teardownSteps(plan: TestHostsPlan, say: (line: string) => void): Promise<string[]> {
  const failures: string[] = [];
  // workers leave first, so the manager does not wait on nodes that are already gone
  const order = [...plan.hosts.filter((h) => !h.manager), managerOf(plan)];
  for (const host of order) {
    if (!fs.existsSync(host.socket)) continue;
    const failure = await leaveSwarm(dockerOf(host), host);
    if (failure) failures.push(failure);
  }
  for (const host of order) {
    failures.push(...(await stopEngine(host)));
    say(`${host.host}: engine stopped, data root removed`);
  }
  failures.push(...(await deleteNetworks(plan)));
  for (const dir of [plan.baseDir, plan.runDir]) {
    fs.rmSync(dir, { recursive: true, force: true });
    // the parent too, unless another set of test hosts is in it
    try {
      fs.rmdirSync(path.dirname(dir));
    } catch {
      // not empty, or already gone
    }
  }
  const left = await leftovers(plan);
  if (left.length > 0) failures.push(`left behind: ${left.join("; ")}`);
  else say(`test hosts "${plan.name}" torn down: nothing left`);
  return failures;
}

/** Tears down everything of `plan` that exists, whatever state a crash left it in. */
export async function teardownTestHosts(plan: TestHostsPlan, say: (line: string) => void = () => undefined): Promise<void> {
  const failures = await teardownSteps(plan, say);
  if (failures.length > 0) throw new MinaLocalError("teardown", `tearing down test hosts "${plan.name}": ${failures.join("; ")}`);
}

/** What of `plan` exists: namespaces, links, processes, mounts, directories. Empty when nothing is left. */
export async function leftovers(plan: TestHostsPlan): Promise<string[]> {
  const found: string[] = [];
  for (const ns of [plan.switchNetns, ...plan.hosts.map((h) => h.netns)]) if (netnsExists(ns)) found.push(`network namespace ${ns}`);
  if (await linkExists(plan.machineLink)) found.push(`link ${plan.machineLink}`);
  const roots = [plan.baseDir, plan.runDir];
  for (const p of processesMentioning(roots)) found.push(`process ${p.pid} (${p.cmdline.slice(0, 120)})`);
  for (const m of mountsUnder(roots)) found.push(`mount ${m}`);
  for (const dir of roots) if (fs.existsSync(dir)) found.push(`directory ${dir}`);
  return found;
}
