import Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { buildContext, type ImageSpec } from "./build-context.js";
import type { ImageFile } from "./image-file.js";
import { nodeRuntimeFiles } from "./node-runtime.js";

export interface BuildScratchImageOptions extends ImageSpec {
  tag: string;
  files: ImageFile[];
  /** add this machine's Node runtime (/usr/bin/node, its libraries, /etc basics); default true */
  withNodeRuntime?: boolean;
  onProgress?: (line: string) => void;
  docker?: Docker;
  timeoutMs?: number;
}

const DOCKER_HINT = "start the Docker engine (`dockerd &` or `systemctl start docker`); install it with `apt-get install docker.io` on Debian/Ubuntu";

export async function dockerForImages(docker = new Docker()): Promise<Docker> {
  try {
    await withTimeout("pinging the Docker engine", 5_000, docker.ping(), "docker");
    return docker;
  } catch (cause) {
    throw new MinaLocalError("docker", "the Docker engine is not reachable", { hint: DOCKER_HINT, cause });
  }
}

export async function imageExists(tag: string, docker = new Docker()): Promise<boolean> {
  try {
    await withTimeout(`inspecting image ${tag}`, 10_000, docker.getImage(tag).inspect(), "docker");
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

interface BuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Builds an image FROM scratch, so no registry is needed: the root file system is
 * assembled from this machine's files and the given ones.
 */
export async function buildScratchImage(options: BuildScratchImageOptions): Promise<{ tag: string; id: string }> {
  const docker = await dockerForImages(options.docker);
  const runtime = options.withNodeRuntime === false ? [] : await nodeRuntimeFiles();
  const context = buildContext([...runtime, ...options.files], options);
  const what = `building image ${options.tag}`;
  const stream = await withTimeout(what, 60_000, docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: options.tag, rm: true, forcerm: true }), "docker");
  let id = "";
  let failure: string | undefined;
  await withTimeout(
    what,
    options.timeoutMs ?? 300_000,
    new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (message: BuildMessage) => {
          if (message.error) failure = message.errorDetail?.message ?? message.error;
          if (message.aux?.ID) id = message.aux.ID;
          const line = message.stream?.trim();
          if (line) options.onProgress?.(line);
        },
      );
    }),
    "docker",
  );
  if (failure) throw new MinaLocalError("docker", `${what} failed: ${failure}`);
  if (!id) id = ((await docker.getImage(options.tag).inspect()) as { Id: string }).Id;
  return { tag: options.tag, id };
}
