import { simulatorImageTag } from "@mina-local/daemon-sim";
import { outcomeOfSetupError } from "../report/model.js";
import { resolveMinaImage } from "./images.js";

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ETIMEDOUT", "EHOSTUNREACH"]);

/** Docker could not be asked at all (not: it answered that something is wrong). */
export function dockerUnreachable(error: unknown): boolean {
  if (outcomeOfSetupError(error) === "docker-unavailable") return true;
  for (let e: unknown = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE.has(code)) return true;
  }
  return false;
}

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
