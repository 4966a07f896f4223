import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIMULATOR_IMAGE_REPOSITORY } from "@mina-local/daemon-sim";
import { dockerForEndpoint } from "@mina-local/swarm-manager";
import { leftovers as testHostLeftovers, planTestHosts, startTestHosts, teardownTestHosts, type TestHosts } from "@mina-local/test-hosts";
import { EXIT_CODES } from "./report/model.js";
import { NOTHING_LEFT, leftovers, onlyRunDir, readReport, requireRunPrerequisites, runCli, type CliResult } from "./testing/cli-run.js";

/*
 * Issue 20's multi-host run on this one machine: three Docker engines of the project's own
 * test hosts (tooling/test-hosts: each in its own network namespace, data root and
 * containerd, one swarm of their own, host-1 its manager), the executive deploying through
 * host-1 (DOCKER_HOST) with its bus on the machine's address of the hosts' network.
 * Own test-host name and subnet (mlm, 198.18.23.0/24): CI's mlt/mlr tests may run at the same time.
 * Run under `flock /tmp/mina-local-docker.lock`; about 8 minutes.
 */
const plan = planTestHosts({ name: "mlm", count: 3, subnet: 23 });
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-multi-host-"));
let hosts: TestHosts | undefined;
const hostDockers = new Map<string, Docker>();

beforeAll(async () => {
  await requireRunPrerequisites();
  // what an earlier run that died left of these hosts
  await teardownTestHosts(plan);
  hosts = await startTestHosts({ name: plan.name, count: 3, subnet: plan.subnet });
  for (const h of hosts.hosts) hostDockers.set(h.host, dockerForEndpoint(`unix://${h.socket}`));
}, 240_000);

afterAll(async () => {
  await teardownTestHosts(plan);
  expect(await testHostLeftovers(plan)).toEqual([]);
  rmSync(outputRoot, { recursive: true, force: true });
}, 240_000);

function multiHostArgs(place: string): string[] {
  if (!hosts) throw new Error("no test hosts");
  return [
    "--swarm-hosts",
    hosts.hosts.map((h) => `${h.host}=unix://${h.socket}`).join(","),
    "--bus-address",
    plan.machineAddress,
    ...(place ? ["--place", place] : []),
    "--executive-log-level",
    "info",
  ];
}

async function run(
  test: string,
  place: string,
  options: { dir?: string; args?: string[]; whenReady?: Parameters<typeof runCli>[1]["whenReady"] } = {},
): Promise<{ result: CliResult; runDir: string }> {
  const outputDir = join(outputRoot, options.dir ?? test);
  const result = await runCli(["local", test, "--output-dir", outputDir, ...multiHostArgs(place), ...(options.args ?? [])], {
    timeoutMs: 420_000,
    env: { DOCKER_HOST: hosts?.dockerHost },
    ...(options.whenReady && { whenReady: options.whenReady }),
  });
  return { result, runDir: onlyRunDir(outputDir) };
}

/**
 * Nothing of the run on any host: containers, networks and its per-host volume on each (a
 * worker's engine lists no services or secrets: those are the manager's), services and the
 * secret on the manager, no process, no plumbing in the run directory.
 */
async function expectNothingLeft(runId: string, runDir: string): Promise<void> {
  const label = JSON.stringify({ label: [`mina-local.run=${runId}`] });
  const manager = hostDockers.get("host-1") as Docker;
  expect(await leftovers(manager, runId, runDir), "host-1 (manager)").toEqual(NOTHING_LEFT);
  expect(await manager.listSecrets({ filters: label }), "secrets").toEqual([]);
  for (const [host, docker] of hostDockers) {
    const [containers, networks, volumes] = await Promise.all([docker.listContainers({ all: true, filters: label }), docker.listNetworks({ filters: label }), docker.listVolumes()]);
    expect(
      { containers: containers.map((c) => c.Names), networks: networks.map((n) => n.Name), volumes: (volumes.Volumes ?? []).map((v) => v.Name).filter((name) => name.includes(runId)) },
      host,
    ).toEqual({ containers: [], networks: [], volumes: [] });
  }
  expect(existsSync(join(runDir, "bus-password")), "bus-password").toBe(false);
}

const tail = (result: CliResult) => `exit ${result.code}\n${result.stderr.slice(-4000)}`;

describe("a network across three swarm hosts (root, Docker, nats-server)", () => {
  it("send-payment passes with a node on every host, every line counted, nothing left on any host", async () => {
    const { result, runDir } = await run("send-payment", "seed=host-1,bp1=host-2,bp2=host-3");
    const report = readReport(runDir);
    expect(report.outcome, tail(result)).toBe("passed");
    expect(result.code).toBe(0);
    expect(report.nodeHosts).toEqual({ seed: "host-1", bp1: "host-2", bp2: "host-3" });
    expect(result.stderr).toContain("hosts: host-1: seed; host-2: bp1; host-3: bp2");
    const p = report.pipeline;
    expect(p?.linesReceived).toBeGreaterThan(100);
    expect(p?.linesLost).toBe(0);
    expect(p?.linesRelayed).toBe((p?.linesReceived ?? 0) + (p?.linesLost ?? 0));
    // every node's lines came through its host's relay into its log file
    const logLines = ["seed", "bp1", "bp2"].map((node) => readFileSync(join(runDir, "logs", `${node}.log`), "utf8").split("\n").length - 1);
    expect(
      logLines.every((n) => n > 10),
      String(logLines),
    ).toBe(true);
    expect(logLines.reduce((a, b) => a + b, 0)).toBe(p?.linesReceived);
    await expectNothingLeft(report.runId, runDir);
  }, 480_000);

  it("peers-reliability passes with its nodes spread over the hosts (stops and starts carried over the bus)", async () => {
    const { result, runDir } = await run("peers-reliability", "node-a=host-1,node-b=host-2,node-c=host-3");
    const report = readReport(runDir);
    expect(report.outcome, tail(result)).toBe("passed");
    expect(report.sections.every((s) => s.status === "passed")).toBe(true);
    expect(new Set(Object.values(report.nodeHosts ?? {}))).toEqual(new Set(["host-1", "host-2", "host-3"]));
    expect(report.pipeline?.linesLost).toBe(0);
    expect(report.pipeline?.linesRelayed).toBe(report.pipeline?.linesReceived);
    await expectNothingLeft(report.runId, runDir);
  }, 480_000);

  it("a host's relay killed mid-run is a pipeline fault naming the host, and every host is still cleaned up", async () => {
    const killed: string[] = [];
    const { result, runDir } = await run("send-payment", "seed=host-1,bp1=host-2,bp2=host-3", {
      dir: "relay-killed",
      whenReady: {
        pattern: /Nodes by host/,
        action: async () => {
          const docker = hostDockers.get("host-2") as Docker;
          const relays = await docker.listContainers({ filters: JSON.stringify({ label: ["mina-local.role=host-relay"] }) });
          for (const c of relays) {
            killed.push(c.Id);
            void docker
              .getContainer(c.Id)
              .kill()
              .catch(() => undefined);
          }
        },
      },
    });
    expect(killed.length, tail(result)).toBe(1);
    const report = readReport(runDir);
    expect(report.outcome, tail(result)).not.toBe("passed");
    // the fault is a pipeline error of the test, or the failure of the step it aborted
    const text = [report.failure ?? "", ...report.errors.filter((e) => e.section === "(log pipeline)").map((e) => e.message)].join("\n");
    expect(text, tail(result)).toMatch(/the log relay of host-2 stopped mid-run .*bp1/);
    expect(text).not.toMatch(/the log relay of host-(1|3)/);
    await expectNothingLeft(report.runId, runDir);
  }, 480_000);

  it("lines reaching the executive later than --max-log-lag fail a multi-host run too, and none is lost", async () => {
    // a stopped executive reads the hosts' lines from the stream as late as it was stopped;
    // stopped once the test body only waits (stopped earlier, its requests to the nodes would fail instead)
    const { result, runDir } = await run("test-fixtures/slow-test.ts", "", {
      dir: "lag",
      args: ["--max-log-lag", "3"],
      whenReady: {
        pattern: /Initialized; waiting to be interrupted/,
        action: (pid) => {
          process.kill(pid, "SIGSTOP");
          setTimeout(() => process.kill(pid, "SIGCONT"), 8_000);
        },
      },
    });
    const report = readReport(runDir);
    expect(result.code, tail(result)).toBe(EXIT_CODES["hard-errors"]);
    const fault = report.errors.find((e) => /log pipeline fell behind/.test(e.message));
    expect(fault?.message, tail(result)).toMatch(/a line of node \S+ reached the executive through its host's relay \d+\.\d s after the node wrote it \(the limit is 3\.0 s\)/);
    expect(report.pipeline?.maxLagMs).toBeGreaterThan(3_000);
    expect(report.pipeline?.linesLost).toBe(0);
    expect(report.pipeline?.linesRelayed).toBe(report.pipeline?.linesReceived);
    await expectNothingLeft(report.runId, runDir);
  }, 480_000);

  it("an image missing on a host is an error naming the host and its node, and every host is cleaned up", async () => {
    // the copy step has put the image on every host; it vanishes from host-3 while the relays start
    const removed: string[] = [];
    const { result, runDir } = await run("send-payment", "seed=host-1,bp1=host-2,bp2=host-3", {
      dir: "image-missing",
      whenReady: {
        pattern: /starting a log relay on each of 3 hosts/,
        action: async () => {
          const docker = hostDockers.get("host-3") as Docker;
          for (const image of await docker.listImages())
            for (const tag of image.RepoTags ?? []) {
              if (!tag.startsWith(`${SIMULATOR_IMAGE_REPOSITORY}:`)) continue;
              await docker.getImage(tag).remove({ force: true });
              removed.push(tag);
            }
        },
      },
    });
    expect(removed, tail(result)).not.toEqual([]);
    const report = readReport(runDir);
    expect(report.outcome, tail(result)).not.toBe("passed");
    expect(report.failure, tail(result)).toMatch(/node bp2 on host host-3: the task of node bp2 is \w+: No such image/);
    expect(result.stderr).toMatch(/host-3 lacks it/);
    expect(report.sections).toEqual([]);
    await expectNothingLeft(report.runId, runDir);
  }, 480_000);

  it("relays that cannot reach the bus are an error naming each host, before any node is deployed, and nothing is left", async () => {
    // 127.0.0.1 is this machine's, so the executive listens there, but each host's 127.0.0.1 is its own
    const outputDir = join(outputRoot, "bus-unreachable");
    const args = multiHostArgs("").map((a) => (a === plan.machineAddress ? "127.0.0.1" : a));
    const result = await runCli(["local", "send-payment", "--output-dir", outputDir, ...args], { timeoutMs: 300_000, env: { DOCKER_HOST: hosts?.dockerHost } });
    const runDir = onlyRunDir(outputDir);
    const report = readReport(runDir);
    expect(report.outcome, tail(result)).not.toBe("passed");
    for (const host of ["host-1", "host-2", "host-3"]) expect(report.failure, tail(result)).toMatch(new RegExp(`the log relay of ${host} did not come up`));
    expect(report.failure).toMatch(/cannot reach the bus at nats:\/\/127\.0\.0\.1/);
    expect(report.sections).toEqual([]);
    await expectNothingLeft(report.runId, runDir);
  }, 360_000);

  // last: host-3 is out of the swarm afterwards
  it("a host that leaves the swarm mid-run is an error naming it and its node, and every host is cleaned up, the departed one too", async () => {
    // it leaves once the test body only waits: left earlier, a request to its node fails first (an error naming the node and the host too, but not this one)
    const { result, runDir } = await run("test-fixtures/slow-test.ts", "bp=host-3", {
      dir: "host-left",
      whenReady: { pattern: /Initialized; waiting to be interrupted/, action: async () => void (await (hostDockers.get("host-3") as Docker).swarmLeave({ force: true })) },
    });
    const report = readReport(runDir);
    expect(report.outcome, tail(result)).not.toBe("passed");
    const text = [report.failure ?? "", ...report.errors.map((e) => e.message)].join("\n");
    expect(text, tail(result)).toMatch(/host host-3 left the swarm \(\w+\) mid-run; its nodes bp are unreachable/);
    expect(text).not.toMatch(/host host-(1|2) left/);
    await expectNothingLeft(report.runId, runDir);
  }, 480_000);
});
