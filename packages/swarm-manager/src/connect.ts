import Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { DOCKER_HINT } from "./docker-call.js";

/** A Docker client that answered a ping (DOCKER_HOST or /var/run/docker.sock). */
export async function connectDocker(options: { docker?: Docker; timeoutMs?: number } = {}): Promise<Docker> {
  const docker = options.docker ?? new Docker();
  const where = process.env["DOCKER_HOST"] ?? "/var/run/docker.sock";
  try {
    await withTimeout(`pinging the Docker engine at ${where}`, options.timeoutMs ?? 5_000, docker.ping(), "docker");
    return docker;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new MinaLocalError("docker", `the Docker engine is not reachable at ${where} (${detail})`, { hint: DOCKER_HINT, cause });
  }
}
