import Docker from "dockerode";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { MinaLocalError } from "@mina-local/engine";
import { requireDocker, requireSwarmManager, startDockerApiProxy, type DockerApiProxy, type SwarmView } from "@mina-local/test-support";
import { ensureSwarm } from "./index.js";

/**
 * ensureSwarm against the swarm states a user's engine can be in. The states are shown
 * through a proxy of the real engine (leaving the real swarm would remove every stack on
 * the machine); everything else is the real Docker API.
 */
let proxy: DockerApiProxy | undefined;

beforeAll(async () => {
  await requireSwarmManager(await requireDocker());
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function ensureSwarmSeeing(view: SwarmView) {
  proxy = await startDockerApiProxy(view);
  const docker = new Docker({ socketPath: proxy.host.replace("unix://", "") });
  try {
    return { result: await ensureSwarm(docker, 10_000), requests: proxy.requests };
  } catch (error) {
    return { error: error as MinaLocalError, requests: proxy.requests };
  }
}

const initRequests = (requests: DockerApiProxy["requests"]) => requests.filter((r) => r.method === "POST" && r.path === "/swarm/init");

describe("ensureSwarm", () => {
  it("makes a one-node swarm on loopback when the engine is in none", async () => {
    const { result, requests } = await ensureSwarmSeeing({ info: { LocalNodeState: "inactive", ControlAvailable: false }, init: { status: 200, message: "new-node-id" } });
    expect(result).toBe("initialized");
    const inits = initRequests(requests);
    expect(inits).toHaveLength(1);
    expect(JSON.parse(inits[0]?.body ?? "{}")).toMatchObject({ ListenAddr: "127.0.0.1:2377", AdvertiseAddr: "127.0.0.1" });
  });

  it("leaves a swarm it manages alone", async () => {
    const { result, requests } = await ensureSwarmSeeing({ info: { LocalNodeState: "active", ControlAvailable: true }, init: { status: 500, message: "must not be called" } });
    expect(result).toBe("already-active");
    expect(initRequests(requests)).toHaveLength(0);
  });

  it("refuses a worker node, saying stacks need a manager and what to do", async () => {
    const { error, requests } = await ensureSwarmSeeing({ info: { LocalNodeState: "active", ControlAvailable: false }, init: { status: 500, message: "must not be called" } });
    expect(error).toBeInstanceOf(MinaLocalError);
    expect(error?.kind).toBe("swarm");
    expect(error?.message).toMatch(/swarm worker/);
    expect(error?.hint).toMatch(/docker swarm leave/);
    expect(initRequests(requests)).toHaveLength(0);
  });

  it("reports a failed swarm init with Docker's reason and the command to run by hand", async () => {
    const reason = "could not choose an IP address to advertise since this system has multiple addresses on interface eth0";
    const { error } = await ensureSwarmSeeing({ info: { LocalNodeState: "inactive", ControlAvailable: false }, init: { status: 503, message: reason } });
    expect(error?.kind).toBe("swarm");
    expect(error?.message).toContain("in no swarm, and making a one-node swarm failed");
    expect(error?.message).toContain(reason);
    expect(error?.hint).toContain("docker swarm init --advertise-addr 127.0.0.1");
  });

  it("reports a swarm in a broken state with Docker's error", async () => {
    const { error } = await ensureSwarmSeeing({ info: { LocalNodeState: "error", ControlAvailable: false, Error: "raft: lost quorum" }, init: { status: 500, message: "must not be called" } });
    expect(error?.kind).toBe("swarm");
    expect(error?.message).toBe('the swarm is in state "error" (raft: lost quorum)');
    expect(error?.hint).toContain("docker swarm leave --force");
  });
});
