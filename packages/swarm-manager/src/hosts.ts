import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { dockerCall, statusCodeOf } from "./docker-call.js";

/** One engine of a multi-host swarm: its name (the swarm node's hostname) and a client of its own Docker endpoint. */
export interface SwarmHost {
  name: string;
  endpoint: string;
  docker: Docker;
}

/** A Docker client of `unix:///path` or `tcp://host:port` (what DOCKER_HOST takes). */
export function dockerForEndpoint(endpoint: string): Docker {
  if (endpoint.startsWith("unix://")) return new Docker({ socketPath: endpoint.slice("unix://".length) });
  const tcp = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(endpoint);
  if (tcp) return new Docker({ host: tcp[1] as string, port: Number(tcp[2]) });
  throw new MinaLocalError("invalid-arguments", `"${endpoint}" is not a Docker endpoint`, { hint: "use unix:///path/to/docker.sock or tcp://<address>:<port>, as DOCKER_HOST takes" });
}

/** A swarm node as a multi-host run needs it. */
export interface SwarmNodeInfo {
  id: string;
  hostname: string;
  labels: Record<string, string>;
  /** "ready", "down", "disconnected", ... */
  state: string;
  availability: string;
  manager: boolean;
}

/** The swarm's nodes, as its manager lists them. */
export async function swarmNodes(manager: Docker, callTimeoutMs?: number): Promise<SwarmNodeInfo[]> {
  const nodes = (await dockerCall("listing the swarm's nodes", manager.listNodes(), callTimeoutMs)) as Array<{
    ID?: string;
    Description?: { Hostname?: string };
    Spec?: { Labels?: Record<string, string>; Availability?: string; Role?: string };
    Status?: { State?: string };
  }>;
  return nodes.map((n) => ({
    id: n.ID ?? "",
    hostname: n.Description?.Hostname ?? "",
    labels: n.Spec?.Labels ?? {},
    state: n.Status?.State ?? "unknown",
    availability: n.Spec?.Availability ?? "unknown",
    manager: n.Spec?.Role === "manager",
  }));
}

export interface ImageCopyProgress {
  image: string;
  host: string;
  bytes: number;
  /** the image's size as the source engine reports it (the tar stream is about this long) */
  totalBytes: number;
}

async function hasImage(docker: Docker, image: string, what: string): Promise<boolean> {
  try {
    await dockerCall(what, docker.getImage(image).inspect());
    return true;
  } catch (error) {
    if (statusCodeOf((error as { cause?: unknown }).cause ?? error) === 404) return false;
    throw error;
  }
}

/**
 * Puts `image` on every host that lacks it, with no registry: one `docker save` stream of
 * the source engine teed into a `docker load` on each such host (none buffers the whole
 * image), with progress as the saved bytes go through. Every host is checked afterwards:
 * an image still missing is an error naming the host.
 */
export async function copyImageToHosts(
  source: Docker,
  image: string,
  hosts: readonly SwarmHost[],
  options: { onProgress?: (p: ImageCopyProgress) => void; timeoutMs?: number } = {},
): Promise<{ copiedTo: string[] }> {
  const missing: SwarmHost[] = [];
  for (const host of hosts) if (!(await hasImage(host.docker, image, `inspecting image ${image} on ${host.name}`))) missing.push(host);
  if (missing.length === 0) return { copiedTo: [] };
  const inspected = (await dockerCall(`inspecting image ${image}`, source.getImage(image).inspect()).catch((cause: unknown) => {
    throw new MinaLocalError("image", `image ${image} is not on the engine it is copied from, so the hosts ${missing.map((h) => h.name).join(", ")} cannot get it`, {
      hint: "build or load it first",
      cause,
    });
  })) as { Size: number };
  const names = missing.map((h) => h.name).join(", ");
  await withTimeout(
    `copying image ${image} to ${names}`,
    options.timeoutMs ?? 600_000,
    (async () => {
      const saved = (await source.getImage(image).get()) as NodeJS.ReadableStream;
      let bytes = 0;
      let lastReport = 0;
      saved.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes - lastReport >= 16 * 1024 * 1024) {
          lastReport = bytes;
          options.onProgress?.({ image, host: names, bytes, totalBytes: inspected.Size });
        }
      });
      const loads = missing.map(async (host) => {
        const tee = new PassThrough();
        saved.pipe(tee);
        const response = await host.docker.loadImage(tee);
        await new Promise<void>((resolve, reject) => {
          host.docker.modem.followProgress(response, (error: Error | null, messages: Array<{ error?: string }>) => {
            const failed = error?.message ?? messages.find((m) => m.error)?.error;
            if (failed) reject(new MinaLocalError("image", `loading ${image} on ${host.name} failed: ${failed}`, { where: host.name }));
            else resolve();
          });
        });
      });
      const saveFailed = new Promise<never>((_, reject) => {
        saved.once("error", (error: Error) => reject(new MinaLocalError("image", `saving ${image} failed: ${error.message}`)));
      });
      saveFailed.catch(() => undefined);
      await Promise.race([Promise.all(loads), saveFailed]);
      options.onProgress?.({ image, host: names, bytes, totalBytes: inspected.Size });
    })(),
    "image",
  );
  for (const host of missing) {
    if (!(await hasImage(host.docker, image, `inspecting image ${image} on ${host.name}`))) {
      throw new MinaLocalError("image", `image ${image} is missing on ${host.name} after loading it there`, { where: host.name, hint: `see \`DOCKER_HOST=${host.endpoint} docker images\`` });
    }
  }
  return { copiedTo: missing.map((h) => h.name) };
}
