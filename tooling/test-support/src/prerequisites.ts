import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";

const run = promisify(execFile);

/**
 * Tests that need Docker or nats-server call these first: when a prerequisite is
 * missing they fail with the way to install it, never skip.
 */
export async function requireDocker(): Promise<Docker> {
  const docker = new Docker();
  try {
    await withTimeout("pinging the Docker engine", 5_000, docker.ping(), "docker");
  } catch (cause) {
    throw new MinaLocalError("docker", "this test needs a running Docker engine and none answers", {
      hint: "install it with `apt-get install docker.io`, start it with `dockerd &`, then `docker swarm init --advertise-addr 127.0.0.1`",
      cause,
    });
  }
  return docker;
}

export async function requireSwarmManager(docker: Docker): Promise<void> {
  const info = (await withTimeout("reading Docker's swarm state", 10_000, docker.info(), "docker")) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== "active" || !info.Swarm.ControlAvailable) {
    throw new MinaLocalError("docker", `this test needs a swarm manager, but the node's swarm state is "${info.Swarm?.LocalNodeState ?? "unknown"}"`, {
      hint: "run `docker swarm init --advertise-addr 127.0.0.1`",
    });
  }
}

export async function requireNatsServer(): Promise<string> {
  const binary = process.env.MINA_LOCAL_NATS_SERVER ?? "nats-server";
  try {
    await run(binary, ["--version"], { timeout: 5_000 });
    return binary;
  } catch (cause) {
    throw new MinaLocalError("setup", `this test needs nats-server and "${binary}" does not run`, {
      hint: "install it with `apt-get install nats-server`, or set MINA_LOCAL_NATS_SERVER to its path",
      cause,
    });
  }
}

/** A TCP port free on loopback right now (bind 0, read, close). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
