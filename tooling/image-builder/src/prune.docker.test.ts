import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { buildScratchImage, imageExists, removeOlderTags } from "./index.js";

const REPOSITORY = "mina-local/prune-test";
const tag = (name: string) => `${REPOSITORY}:${name}`;
const docker = new Docker();
let container: Docker.Container | undefined;

afterAll(async () => {
  await container?.remove({ force: true }).catch(() => undefined);
  for (const name of ["old", "used", "current"])
    await docker
      .getImage(tag(name))
      .remove({ force: true })
      .catch(() => undefined);
});

describe("removeOlderTags (needs Docker)", () => {
  it("removes the repository's other tags, keeping the current one and any a container uses", async () => {
    for (const name of ["old", "used", "current"]) {
      await buildScratchImage({ tag: tag(name), withNodeRuntime: false, files: [{ path: "/version", content: name }], docker });
    }
    // a container (never started) of another run still needs its image
    container = await docker.createContainer({ Image: tag("used"), Cmd: ["/version"] });

    // another checkout's image built a moment ago is left alone when only older builds may go
    expect(await removeOlderTags(REPOSITORY, tag("current"), docker, { builtBefore: new Date(Date.now() - 3_600_000) })).toEqual([]);
    expect(await imageExists(tag("old"), docker)).toBe(true);

    expect(await removeOlderTags(REPOSITORY, tag("current"), docker)).toEqual([tag("old")]);
    expect(await imageExists(tag("old"), docker)).toBe(false);
    expect(await imageExists(tag("used"), docker)).toBe(true);
    expect(await imageExists(tag("current"), docker)).toBe(true);
    expect(await removeOlderTags(REPOSITORY, tag("current"), docker)).toEqual([]);
  }, 120_000);
});
