import { describe, expect, it } from "vitest";
import { partitionProblem, peersNotCompletelyConnected, vertexConnectivityAtLeast, type ConnectivityData } from "./peers.js";

const complete = (ids: string[]): ConnectivityData[] => ids.map((id) => ({ node: `node-${id}`, peerId: id, peers: ids.filter((p) => p !== id) }));

describe("peersNotCompletelyConnected (Mina's assert_peers_completely_connected)", () => {
  it("finds nothing missing in a complete graph", () => {
    expect(peersNotCompletelyConnected(complete(["S", "A", "B", "C"]))).toEqual([]);
  });

  it("names each missing link in Mina's words", () => {
    const data = complete(["S", "A", "B"]).map((d) => (d.peerId === "A" ? { ...d, peers: ["S"] } : d));
    expect(peersNotCompletelyConnected(data)).toEqual(["node node-A (id=A) is not connected to node node-B (id=B)"]);
  });

  it("with requireSelf (the broken variants) fails every node: none lists itself", () => {
    expect(peersNotCompletelyConnected(complete(["S", "A"]), { requireSelf: true })).toEqual([
      "node node-S (id=S) is not connected to node node-S (id=S)",
      "node node-A (id=A) is not connected to node node-A (id=A)",
    ]);
  });
});

describe("vertexConnectivityAtLeast (graph_algorithms.ml connectivity with Nat.take)", () => {
  it('a tree disconnects after removing one vertex (Mina\'s "tree connectivity" test: 1)', () => {
    const tree = [
      ["0", ["1", "2"]],
      ["1", ["3", "0"]],
      ["2", ["0", "4", "5"]],
      ["3", ["1"]],
      ["4", ["2"]],
      ["5", ["2"]],
    ] as const;
    expect(vertexConnectivityAtLeast(tree, 1)).toEqual({ ok: true });
    expect(vertexConnectivityAtLeast(tree, 2)).toEqual({ ok: false, failedAfter: 1 });
  });

  it('a complete graph never disconnects (Mina\'s "complete graph connectivity" test), its own id listed or not', () => {
    const withSelf = ["0", "1", "2", "3"].map((v) => [v, ["0", "1", "2", "3"]] as const);
    expect(vertexConnectivityAtLeast(withSelf, 10)).toEqual({ ok: true });
    expect(
      vertexConnectivityAtLeast(
        complete(["S", "A", "B", "C"]).map((d) => [d.peerId, d.peers] as const),
        4,
      ),
    ).toEqual({ ok: true });
  });

  it("a disconnected graph has connectivity 0; a cycle of 4 has 2", () => {
    expect(
      vertexConnectivityAtLeast(
        [
          ["a", ["b"]],
          ["b", ["a"]],
          ["c", []],
        ],
        1,
      ),
    ).toEqual({ ok: false, failedAfter: 0 });
    const cycle = [
      ["a", ["b", "d"]],
      ["b", ["a", "c"]],
      ["c", ["b", "d"]],
      ["d", ["c", "a"]],
    ] as const;
    expect(vertexConnectivityAtLeast(cycle, 2)).toEqual({ ok: true });
    expect(vertexConnectivityAtLeast(cycle, 3)).toEqual({ ok: false, failedAfter: 2 });
  });

  it("an id listed by a node but not in the data counts as a vertex that is reached and never removed (as in Mina's map of sets)", () => {
    expect(
      vertexConnectivityAtLeast(
        [
          ["a", ["b", "ghost"]],
          ["b", ["a"]],
        ],
        1,
      ),
    ).toEqual({ ok: false, failedAfter: 0 });
  });
});

describe("partitionProblem (Mina's assert_peers_cant_be_partitioned)", () => {
  it("passes a fully connected network of 4 with max_disconnections 2", () => {
    expect(partitionProblem(complete(["S", "A", "B", "C"]), 2)).toBeUndefined();
  });

  it("fails a star around the seed: removing the seed disconnects it", () => {
    const star: ConnectivityData[] = [
      { node: "seed", peerId: "S", peers: ["A", "B", "C"] },
      { node: "a", peerId: "A", peers: ["S"] },
      { node: "b", peerId: "B", peers: ["S"] },
      { node: "c", peerId: "C", peers: ["S"] },
    ];
    expect(partitionProblem(star, 2)).toBe("The network could be disconnected by removing 1 node(s)");
  });
});
