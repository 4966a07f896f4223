import { expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { archiveImageProblem, deferredByArchives } from "./archive-start.js";

function network(images: { mina: string; archive?: string }) {
  const config = parseTestConfig({ genesis_ledger: [{ account_name: "a", balance: "10" }], block_producers: [{ node_name: "a", account_name: "a" }], num_archive_nodes: 2 });
  if (!config.ok) throw config.error;
  return expandNetworkConfig(config.value, images, { random: seededRandomBytes("start"), now: new Date(0) });
}
const carriesArchive = (image: string) => image.startsWith("mina-local/daemon-sim:");

describe("archive start order", () => {
  it("defers each archive node and the seed feeding it, nothing else", () => {
    expect([...deferredByArchives(network({ mina: "mina-local/daemon-sim:1" }))].sort()).toEqual(["archive-1", "archive-2", "seed-1", "seed-2"]);
  });

  it("refuses a Mina image without mina-archive unless --archive-image is given", () => {
    expect(archiveImageProblem(network({ mina: "mina-local/daemon-sim:1" }), carriesArchive)).toBeUndefined();
    expect(archiveImageProblem(network({ mina: "minaprotocol/mina-daemon:3.0.0" }), carriesArchive)).toMatch(/has no archive process: pass --archive-image/);
    expect(archiveImageProblem(network({ mina: "minaprotocol/mina-daemon:3.0.0", archive: "minaprotocol/mina-archive:3.0.0" }), carriesArchive)).toBeUndefined();
  });
});
