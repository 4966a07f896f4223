import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import { MinaLocalError, withTimeout } from "@mina-local/engine";

export interface ImageCopyProgress {
  image: string;
  bytes: number;
  /** the image's size as the source engine reports it (the tar stream is about this long) */
  totalBytes: number;
}

export interface ImageTarget {
  /** named in progress and errors */
  name: string;
  docker: Docker;
}

/**
 * Puts `image` on every target engine with no registry: one `docker save` stream from the
 * source, teed into a `docker load` on each target (a slow target slows the others; none
 * buffers the whole image). Progress is reported as the saved bytes go through.
 */
export async function copyImage(source: Docker, image: string, targets: readonly ImageTarget[], options: { onProgress?: (p: ImageCopyProgress) => void; timeoutMs?: number } = {}): Promise<void> {
  const inspected = (await withTimeout(`inspecting image ${image}`, 10_000, source.getImage(image).inspect(), "image").catch((cause: unknown) => {
    throw new MinaLocalError("image", `image ${image} is not on the machine's engine, so it cannot be copied to the test hosts`, { hint: "build it first", cause });
  })) as { Size: number };
  const what = `copying image ${image} to ${targets.map((t) => t.name).join(", ")}`;
  await withTimeout(
    what,
    options.timeoutMs ?? 300_000,
    (async () => {
      const saved = (await source.getImage(image).get()) as NodeJS.ReadableStream;
      let bytes = 0;
      let lastReport = 0;
      saved.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes - lastReport >= 16 * 1024 * 1024) {
          lastReport = bytes;
          options.onProgress?.({ image, bytes, totalBytes: inspected.Size });
        }
      });
      const loads = targets.map(async (target) => {
        const tee = new PassThrough();
        saved.pipe(tee);
        const response = await target.docker.loadImage(tee);
        await new Promise<void>((resolve, reject) => {
          target.docker.modem.followProgress(response, (error: Error | null, messages: Array<{ error?: string }>) => {
            const failed = error?.message ?? messages.find((m) => m.error)?.error;
            if (failed) reject(new MinaLocalError("image", `loading ${image} on ${target.name} failed: ${failed}`, { where: target.name }));
            else resolve();
          });
        });
      });
      const saveFailed = new Promise<never>((_, reject) => {
        saved.once("error", (error: Error) => reject(new MinaLocalError("image", `saving ${image} from the machine's engine failed: ${error.message}`)));
      });
      saveFailed.catch(() => undefined);
      await Promise.race([Promise.all(loads), saveFailed]);
      options.onProgress?.({ image, bytes, totalBytes: inspected.Size });
    })(),
    "image",
  );
  for (const target of targets) {
    await withTimeout(`inspecting ${image} on ${target.name}`, 10_000, target.docker.getImage(image).inspect(), "image").catch((cause: unknown) => {
      throw new MinaLocalError("image", `${image} is missing on ${target.name} after loading it`, { where: target.name, cause });
    });
  }
}
