import { describe, expect, it } from "vitest";
import { connectivity, peerIdInMultiaddrs } from "./peers.js";

describe("connectivity", () => {
  it("finds a fully connected network and each node's own id (the one it does not list)", () => {
    const lists = { seed: ["A", "B", "C"], a: ["S", "B", "C"], b: ["S", "A", "C"], c: ["A", "S", "B"] };
    expect(connectivity(lists, 3)).toEqual({ connected: true, ownIds: { seed: "S", a: "A", b: "B", c: "C" } });
  });

  it("names the nodes that list too few or too many peers", () => {
    const result = connectivity({ seed: ["A", "B"], a: ["S", "B"], b: ["S"] }, 2);
    expect(result).toEqual({ connected: false, problem: "expected 2 peers each; b lists 1" });
    expect(connectivity({ seed: ["A"], a: ["S"] }, 2)).toMatchObject({ connected: false, problem: expect.stringContaining("seed lists 1, a lists 1") });
  });

  it("refuses more distinct ids than nodes (a stranger among the peers)", () => {
    const stranger = connectivity({ seed: ["A", "Z"], a: ["S", "B"], b: ["S", "A"] }, 2);
    expect(stranger).toMatchObject({ connected: false, problem: expect.stringContaining("4 distinct peer ids") });
  });

  it("refuses two nodes that miss the same peer (one does not see the other)", () => {
    // a and b both miss B: b cannot list itself, so a does not see b
    const result = connectivity({ seed: ["A", "B"], a: ["S", "S2"], b: ["S", "S2"], s2: ["A", "B"] }, 2);
    expect(result).toMatchObject({ connected: false });
  });

  it("counts a repeated id once", () => {
    expect(connectivity({ seed: ["A", "A"], a: ["S", "S"] }, 1)).toEqual({ connected: true, ownIds: { seed: "S", a: "A" } });
  });
});

describe("peerIdInMultiaddrs", () => {
  it("reads the peer id of the multiaddr naming the host", () => {
    const addrs = ["/dns4/other/tcp/8302/p2p/12D3KooOther", "/dns4/seed/tcp/8302/p2p/12D3KooSeed"];
    expect(peerIdInMultiaddrs(addrs, "seed")).toBe("12D3KooSeed");
    expect(peerIdInMultiaddrs(addrs, "missing")).toBeUndefined();
    expect(peerIdInMultiaddrs(["garbage"], "seed")).toBeUndefined();
  });
});
