import type { TestNode } from "./define-test.js";

/*
 * Mina's connectivity checks of its integration tests: fetch_connectivity_data,
 * assert_peers_completely_connected and assert_peers_cant_be_partitioned
 * (src/app/test_executive/test_common.ml, develop 9f068b1c3b), and the vertex connectivity they
 * use (src/lib/graph_algorithms/graph_algorithms.ml, same commit).
 */

/** One node's answer to Mina's get_peer_id (daemonStatus): its own libp2p peer id and its peers'. */
export interface ConnectivityData {
  node: string;
  peerId: string;
  peers: string[];
}

/** Mina's fetch_connectivity_data: every node's own peer id and the peer ids it is connected to. */
export async function fetchConnectivityData(nodes: readonly TestNode[], timeoutMs = 5_000): Promise<ConnectivityData[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const answer = await node.graphql.peerId({ timeoutMs });
      // Mina's must_get_peer_id fails when the daemon reports no peer of its own
      if (answer.self === undefined) throw new Error(`${node.name} reports no peer id of its own (daemonStatus.addrsAndPorts.peer is null)`);
      return { node: node.name, peerId: answer.self, peers: answer.peers };
    }),
  );
}

/**
 * Mina's assert_peers_completely_connected: every node is connected to every other one (a
 * complete graph), as the list of problems Mina raises as hard errors, one per missing link,
 * in its words ("node X (id=..) is not connected to node Y (id=..)"). `requireSelf` (for the
 * broken variants only) also expects each node to list itself, which no node does.
 */
export function peersNotCompletelyConnected(data: readonly ConnectivityData[], options: { requireSelf?: boolean } = {}): string[] {
  const nodeByPeerId = new Map(data.map((d) => [d.peerId, d.node]));
  const problems: string[] = [];
  for (const { peerId, peers } of data) {
    const expected = [...nodeByPeerId.keys()].filter((p) => options.requireSelf || p !== peerId);
    for (const p of expected) {
      if (!peers.includes(p)) problems.push(`node ${nodeByPeerId.get(peerId) ?? "?"} (id=${peerId}) is not connected to node ${nodeByPeerId.get(p) ?? "?"} (id=${p})`);
    }
  }
  return problems;
}

type Graph = Map<string, Set<string>>;

function connectedComponent(g: Graph, start: string): Set<string> {
  const seen = new Set<string>();
  const next = [start];
  while (next.length > 0) {
    const v = next.pop() as string;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const n of g.get(v) ?? []) if (!seen.has(n)) next.push(n);
  }
  return seen;
}

/** graph_algorithms.ml `connected`: the empty graph is connected; otherwise every vertex is reached from the first. */
function connected(g: Graph): boolean {
  const first = g.keys().next();
  if (first.done) return true;
  return g.size === connectedComponent(g, first.value).size;
}

function removeVertex(g: Graph, v: string): Graph {
  const out: Graph = new Map();
  for (const [key, neighbours] of g) {
    if (key === v) continue;
    const kept = new Set(neighbours);
    kept.delete(v);
    out.set(key, kept);
  }
  return out;
}

/**
 * Whether the graph's vertex connectivity is at least `k` (graph_algorithms.ml connectivity,
 * forced as far as Nat.take forces it): connectivity G = 0 when G is not connected, else 1 + the
 * least connectivity of G - v over its vertices (a complete graph never disconnects: its
 * connectivity is infinite). Returns Nat.take's answer: `ok`, or the connectivity found below k.
 */
export function vertexConnectivityAtLeast(adjacency: readonly (readonly [string, readonly string[]])[], k: number): { ok: true } | { ok: false; failedAfter: number } {
  const g: Graph = new Map(adjacency.map(([v, ns]) => [v, new Set(ns)]));
  // the naive search Mina's comment describes: is the connectivity of every graph at this depth at least the rest?
  const atLeast = (graph: Graph, depth: number): boolean => {
    if (depth === 0) return true;
    if (!connected(graph)) return false;
    return [...graph.keys()].every((v) => atLeast(removeVertex(graph, v), depth - 1));
  };
  for (let n = 0; n < k; n++) if (!atLeast(g, n + 1)) return { ok: false, failedAfter: n };
  return { ok: true };
}

/**
 * Mina's assert_peers_cant_be_partitioned ~max_disconnections: the graph of the nodes' peer
 * lists (each node's own id to the ids it lists) has vertex connectivity of at least
 * `maxDisconnections`; otherwise Mina's hard error, "The network could be disconnected by
 * removing %d node(s)". A pure check of the fetched lists: no node is stopped.
 */
export function partitionProblem(data: readonly ConnectivityData[], maxDisconnections: number): string | undefined {
  const result = vertexConnectivityAtLeast(
    data.map((d) => [d.peerId, d.peers] as const),
    maxDisconnections,
  );
  return result.ok ? undefined : `The network could be disconnected by removing ${result.failedAfter} node(s)`;
}
