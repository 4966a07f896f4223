import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { LABELS } from "@mina-local/compose-generator";
import { MinaLocalError } from "@mina-local/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker, currentOwner, forwarderStatus, groupByRun, isOtherOwnerAlive, latestTaskPerNode } from "./index.js";

describe("latestTaskPerNode", () => {
  const services = new Map([
    ["svc-a", "seed"],
    ["svc-b", "bp"],
  ]);

  it("keeps the newest task of each node's service and Docker's reason for a failure", () => {
    const tasks = latestTaskPerNode(
      [
        { ServiceID: "svc-a", CreatedAt: "2026-01-01T00:00:01Z", Status: { State: "failed", Message: "started", Err: "exit 1" } },
        { ServiceID: "svc-a", CreatedAt: "2026-01-01T00:00:05Z", Status: { State: "running", Message: "started", ContainerStatus: { ContainerID: "c1" } } },
        { ServiceID: "svc-b", NodeID: "node-3", CreatedAt: "2026-01-01T00:00:02Z", Status: { State: "rejected", Message: "preparing", Err: "No such image: img:latest" } },
        { ServiceID: "svc-of-another-run", CreatedAt: "2026-01-01T00:00:09Z", Status: { State: "running" } },
      ],
      services,
    );
    expect([...tasks.keys()].sort()).toEqual(["bp", "seed"]);
    expect(tasks.get("seed")).toEqual({ node: "seed", state: "running", message: "started", containerId: "c1" });
    // the swarm node it was given to: a multi-host run names that host
    expect(tasks.get("bp")).toEqual({ node: "bp", state: "rejected", message: "preparing", error: "No such image: img:latest", swarmNodeId: "node-3" });
  });
});

describe("groupByRun", () => {
  it("groups objects by their run label and collects the owner labels", () => {
    const owner = { [LABELS.ownerPid]: "7", [LABELS.ownerStart]: "99" };
    const runs = groupByRun(
      [{ id: "s1", name: "runa_seed", labels: { [LABELS.run]: "runa", ...owner } }],
      [
        { id: "c1", name: "runa_seed.1.x", labels: { [LABELS.run]: "runa" } },
        { id: "c2", name: "runb_seed.1.y", labels: { [LABELS.run]: "runb" } },
      ],
      [{ id: "n1", name: "runb_mina-local", labels: { [LABELS.run]: "runb" } }],
    );
    expect(runs.map((r) => r.runId)).toEqual(["runa", "runb"]);
    expect(runs[0]).toMatchObject({ services: [{ id: "s1" }], containers: [{ id: "c1" }], networks: [], labels: owner });
    expect(runs[1]).toMatchObject({ services: [], containers: [{ id: "c2" }], networks: [{ id: "n1" }], labels: {} });
  });
});

describe("run owners", () => {
  it("records this process with its start time, and never counts it as another live owner", () => {
    const me = currentOwner();
    expect(me.pid).toBe(process.pid);
    expect(me.start).toMatch(/^\d+$/);
    expect(isOtherOwnerAlive({ [LABELS.ownerPid]: String(me.pid), [LABELS.ownerStart]: me.start })).toBe(false);
  });

  it("sees a live other process only when its start time matches (a reused pid is not the owner)", () => {
    const parent = process.ppid;
    const start = (pid: number) => {
      // the same field currentOwner reads, for another process
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    };
    expect(isOtherOwnerAlive({ [LABELS.ownerPid]: String(parent), [LABELS.ownerStart]: start(parent)! })).toBe(true);
    expect(isOtherOwnerAlive({ [LABELS.ownerPid]: String(parent), [LABELS.ownerStart]: "1" })).toBe(false);
    expect(isOtherOwnerAlive({ [LABELS.ownerPid]: "999999999", [LABELS.ownerStart]: "1" })).toBe(false);
    expect(isOtherOwnerAlive({})).toBe(false);
  });
});

describe("connectDocker", () => {
  it("says how to start and install Docker when the engine is unreachable", async () => {
    const error = await connectDocker({ docker: new Docker({ socketPath: "/nonexistent/docker.sock" }), timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MinaLocalError);
    expect((error as MinaLocalError).kind).toBe("docker");
    expect((error as MinaLocalError).message).toMatch(/not reachable/);
    expect((error as MinaLocalError).hint).toMatch(/systemctl start docker/);
    expect((error as MinaLocalError).hint).toMatch(/apt-get install docker\.io/);
  });
});

describe("forwarderStatus", () => {
  let dir: string;
  let server: Server;
  let answer = '{"node":"seed","running":false,"pid":null,"starts":1}';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "swarm-manager-socket-"));
    server = createServer((req, res) => {
      if (req.url === "/mina-local/status") res.end(answer);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(join(dir, "seed.sock"), resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the forwarder's status from its unix socket", async () => {
    expect(await forwarderStatus(join(dir, "seed.sock"))).toEqual({ node: "seed", running: false, pid: null, starts: 1 });
  });

  it("rejects an answer of the wrong shape, and a missing socket, naming the socket", async () => {
    answer = '{"node":"seed","running":"yes"}';
    await expect(forwarderStatus(join(dir, "seed.sock"))).rejects.toThrow(/seed\.sock.*unexpected answer/);
    await expect(forwarderStatus(join(dir, "nope.sock"))).rejects.toThrow(/nope\.sock.*ENOENT/);
  });
});
