import Docker from "dockerode";
import { withTimeout } from "@mina-local/engine";

/**
 * Removes the other tags of `repository` (images mina-local built for an older version of
 * its code: each is about 100 MB), keeping `keep` and any image a container still uses,
 * stopped ones included (another checkout's live run, say). With `builtBefore`, only
 * images built before then: another checkout may have just built its image and not yet
 * deployed it. Returns the tags removed.
 */
export async function removeOlderTags(repository: string, keep: string, docker = new Docker(), options: { builtBefore?: Date } = {}): Promise<string[]> {
  const [images, containers] = await Promise.all([
    withTimeout(`listing the images of ${repository}`, 30_000, docker.listImages({ filters: JSON.stringify({ reference: [repository] }) }), "docker"),
    withTimeout("listing containers", 30_000, docker.listContainers({ all: true }), "docker"),
  ]);
  const inUse = new Set(containers.map((c) => c.ImageID));
  const removed: string[] = [];
  for (const image of images) {
    if (inUse.has(image.Id)) continue;
    if (options.builtBefore && image.Created * 1000 >= options.builtBefore.getTime()) continue;
    for (const tag of image.RepoTags ?? []) {
      if (tag === keep || !tag.startsWith(`${repository}:`)) continue;
      try {
        await withTimeout(`removing image ${tag}`, 60_000, docker.getImage(tag).remove(), "docker");
        removed.push(tag);
      } catch (error) {
        // in use by a container created meanwhile, or already gone: not ours to force
        if (![404, 409].includes((error as { statusCode?: number }).statusCode ?? 0)) throw error;
      }
    }
  }
  return removed;
}
