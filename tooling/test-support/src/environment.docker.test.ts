import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type Docker from "dockerode";
import { connect } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { buildScratchImage } from "@mina-local/image-builder";
import { newRunId } from "@mina-local/engine";
import { freeLoopbackPort, requireDocker, requireNatsServer, requireSwarmManager } from "./prerequisites.js";

/**
 * The ground later work stands on: an image built FROM scratch with no registry, run as
 * a one-service swarm stack deployed from a generated compose JSON file and removed
 * without a trace; and an embedded nats-server that carries a message.
 */
const run = promisify(execFile);
const IMAGE = "mina-local/env-smoke:1";
const runId = newRunId(undefined, "smoke");
const workDir = mkdtempSync(join(tmpdir(), "mina-local-smoke-"));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function leftovers(docker: Docker) {
  const filters = JSON.stringify({ label: [`mina-local.run=${runId}`] });
  return Promise.all([docker.listServices({ filters }), docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]).then(([services, containers, networks]) => ({
    services: services.length,
    containers: containers.length,
    networks: networks.length,
  }));
}

afterAll(async () => {
  await run("docker", ["stack", "rm", runId]).catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
});

describe("environment: Docker swarm", () => {
  it("runs a FROM scratch image as a one-service stack and removes it completely", async () => {
    const docker = await requireDocker();
    await requireSwarmManager(docker);

    // PID 1 exits on SIGTERM at once, so removal does not wait for the stop grace period.
    const script = "#!/usr/bin/node\nprocess.on('SIGTERM', () => process.exit(0));\nconsole.log('up');\nsetInterval(() => {}, 1 << 30);\n";
    await buildScratchImage({ tag: IMAGE, files: [{ path: "/app/idle", content: script, mode: 0o755 }], entrypoint: ["/app/idle"] });

    const labels = { "mina-local.run": runId };
    const compose = {
      services: {
        idle: {
          image: IMAGE,
          labels,
          networks: ["net"],
          deploy: { replicas: 1, restart_policy: { condition: "none" }, labels },
          stop_grace_period: "2s",
        },
      },
      networks: { net: { driver: "overlay", labels } },
    };
    const composePath = join(workDir, "docker-compose.json");
    writeFileSync(composePath, JSON.stringify(compose, null, 2));
    await run("docker", ["stack", "deploy", "-c", composePath, runId], { timeout: 60_000 });

    const state = await until("the stack's task to run", 60_000, async () => {
      const tasks = await docker.listTasks({ filters: JSON.stringify({ label: [`com.docker.stack.namespace=${runId}`] }) });
      const status = (tasks[0] as { Status?: { State?: string; Err?: string } } | undefined)?.Status;
      if (status?.Err) throw new Error(`the task failed: ${status.Err}`);
      return status?.State === "running" ? status.State : undefined;
    });
    expect(state).toBe("running");

    await run("docker", ["stack", "rm", runId], { timeout: 60_000 });
    const left = await until("the stack to be gone", 60_000, async () => {
      const counts = await leftovers(docker);
      return counts.services + counts.containers + counts.networks === 0 ? counts : undefined;
    });
    expect(left).toEqual({ services: 0, containers: 0, networks: 0 });
  }, 180_000);
});

describe("environment: nats-server", () => {
  it("starts on a free loopback port and carries a message", async () => {
    const binary = await requireNatsServer();
    const port = await freeLoopbackPort();
    const server = spawn(binary, ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    try {
      const nc = await until("nats-server to accept a connection", 10_000, async () => connect({ servers: `127.0.0.1:${port}`, timeout: 1_000 }).catch(() => undefined));
      const subscription = nc.subscribe("mina.smoke.hello", { max: 1 });
      nc.publish("mina.smoke.hello", "block produced");
      for await (const message of subscription) expect(message.string()).toBe("block produced");
      await nc.close();
    } finally {
      server.kill("SIGTERM");
    }
  }, 30_000);
});
