import type Docker from "dockerode";
import { MinaLocalError } from "@mina-local/engine";
import { dockerCall, dockerCli, statusCodeOf } from "./docker-call.js";

/** Makes this engine a swarm manager (`docker swarm init --advertise-addr 127.0.0.1`) unless it already is one. */
export async function ensureSwarm(docker: Docker, callTimeoutMs?: number): Promise<"already-active" | "initialized"> {
  const info = (await dockerCall("reading the Docker engine's swarm state", docker.info(), callTimeoutMs)) as {
    Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; Error?: string };
  };
  const swarm = info.Swarm ?? {};
  switch (swarm.LocalNodeState) {
    case "active":
      if (swarm.ControlAvailable) return "already-active";
      throw new MinaLocalError("swarm", "this Docker engine is a swarm worker, and stacks are deployed from a manager", {
        hint: "run on a manager node, or leave the swarm (`docker swarm leave`) so that a local one-node swarm can be made",
      });
    case "inactive":
    case undefined:
    case "":
      try {
        await dockerCall("initializing a one-node swarm on 127.0.0.1", docker.swarmInit({ ListenAddr: "127.0.0.1:2377", AdvertiseAddr: "127.0.0.1" }), callTimeoutMs);
      } catch (error) {
        throw new MinaLocalError("swarm", `this Docker engine is in no swarm, and making a one-node swarm failed: ${error instanceof Error ? error.message : String(error)}`, {
          hint: "make one yourself with `docker swarm init --advertise-addr 127.0.0.1` (see `docker info` for why it failed), then run the test again",
          cause: error,
        });
      }
      return "initialized";
    default:
      throw new MinaLocalError("swarm", `the swarm is in state "${swarm.LocalNodeState}"${swarm.Error ? ` (${swarm.Error})` : ""}`, {
        hint: "check `docker info`; `docker swarm leave --force` resets a broken one-node swarm",
      });
  }
}

export interface DockerValidation {
  /** which Docker command checked the file */
  validatedBy: string;
  /** the file as Docker understood it */
  output: string;
  /** said when this Docker lacks `docker stack config` and another check was used */
  note?: string;
}

const missingCommand = (error: unknown) => /unknown (shorthand )?(flag|command)|is not a docker command|Usage:/i.test(error instanceof Error ? error.message : "");

/** `docker stack config -c <file>`: Docker's own reading of the compose file, as `docker stack deploy` does it. */
export async function validateWithDocker(composePath: string, timeoutMs = 30_000): Promise<DockerValidation> {
  try {
    const { stdout } = await dockerCli(["stack", "config", "-c", composePath], `validating ${composePath} with docker stack config`, timeoutMs);
    return { validatedBy: "docker stack config", output: stdout };
  } catch (error) {
    if (!missingCommand(error)) throw error;
  }
  // `docker stack config` came with Docker 20.10; older CLIs may have the compose plugin
  const { stdout } = await dockerCli(["compose", "-f", composePath, "config"], `validating ${composePath} with docker compose config`, timeoutMs);
  return {
    validatedBy: "docker compose config",
    output: stdout,
    note: "this Docker CLI has no `docker stack config`; checked with `docker compose config`, which does not know every swarm restriction",
  };
}

/** `docker stack deploy`; the stack name is the run id, so Docker names the services `<runId>_<node>`. */
export async function deployStack(runId: string, composePath: string, timeoutMs = 120_000): Promise<string> {
  // never ask a registry: images are built locally
  const { stdout, stderr } = await dockerCli(["stack", "deploy", "--resolve-image", "never", "-c", composePath, runId], `deploying stack ${runId} from ${composePath}`, timeoutMs);
  return `${stdout}${stderr}`;
}

export async function imageExists(docker: Docker, tag: string, callTimeoutMs?: number): Promise<boolean> {
  try {
    await dockerCall(`inspecting image ${tag}`, docker.getImage(tag).inspect(), callTimeoutMs);
    return true;
  } catch (error) {
    if (statusCodeOf(error) === 404) return false;
    throw error;
  }
}
