import { simulatorImageTag } from "@mina-local/daemon-sim";
import { dockerUnreachable } from "./docker-reachable.js";
import { resolveMinaImage } from "./images.js";

/**
 * The image of a dry run: resolved as for a real run when Docker answers; when it cannot be
 * asked, the tag itself (the simulator's is computed from its bundle, no Docker needed),
 * with a note that says so, since a dry run deploys nothing.
 */
export async function imageForDryRun(requested: string | undefined, onProgress: (line: string) => void): Promise<{ image: string; note?: string }> {
  try {
    return { image: await resolveMinaImage(requested, onProgress) };
  } catch (error) {
    if (!dockerUnreachable(error)) throw error;
    const asked = requested ?? process.env.MINA_IMAGE;
    const image = asked || (await simulatorImageTag());
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      image,
      note: `Docker cannot be asked (${reason}): the dry run uses the tag ${image} without checking ${asked ? "that the image is on this machine" : "or building the simulator image"}`,
    };
  }
}
