import type { TestNode } from "./define-test.js";

/** Each node's peers, by libp2p peer id, as its GraphQL `getPeers` lists them. */
export type PeerLists = Record<string, string[]>;

export async function fetchPeerLists(nodes: readonly TestNode[], timeoutMs = 5_000): Promise<PeerLists> {
  const lists = await Promise.all(nodes.map(async (node) => [node.name, (await node.graphql.getPeers({ timeoutMs })).map((p) => p.peerId)] as const));
  return Object.fromEntries(lists);
}

export type Connectivity = { connected: true; ownIds: Record<string, string> } | { connected: false; problem: string };

/**
 * Whether every node sees every other one. A node never lists itself, so in a fully
 * connected network of n nodes each lists n-1 peers, all n ids appear, and the one id a
 * node does not list is its own (and no two nodes miss the same one). `peersPerNode`
 * is what each node must list (n-1 for "fully connected"). The own ids are inferred, not
 * read: the caller cross-checks one of them (the seed's) against the configured multiaddr.
 */
export function connectivity(lists: PeerLists, peersPerNode: number): Connectivity {
  const nodes = Object.keys(lists);
  const wrongCounts = nodes.filter((n) => new Set(lists[n]).size !== peersPerNode);
  if (wrongCounts.length > 0) {
    return { connected: false, problem: `expected ${peersPerNode} peers each; ${wrongCounts.map((n) => `${n} lists ${new Set(lists[n]).size}`).join(", ")}` };
  }
  const all = new Set(nodes.flatMap((n) => lists[n] ?? []));
  if (all.size !== nodes.length) return { connected: false, problem: `the nodes list ${all.size} distinct peer ids between them, expected ${nodes.length} (one per node)` };
  const ownIds: Record<string, string> = {};
  const owners = new Map<string, string>();
  for (const node of nodes) {
    const listed = new Set(lists[node]);
    const missing = [...all].filter((id) => !listed.has(id));
    const own = missing[0];
    if (missing.length !== 1 || own === undefined) return { connected: false, problem: `${node} does not list ${missing.length} of the network's peers` };
    const other = owners.get(own);
    if (other) return { connected: false, problem: `${node} and ${other} both miss peer ${own}: one of them does not see the other` };
    owners.set(own, node);
    ownIds[node] = own;
  }
  return { connected: true, ownIds };
}

/** The peer id at the end of a `/dns4/<host>/tcp/<port>/p2p/<peer id>` multiaddr whose host is `host`. */
export function peerIdInMultiaddrs(multiaddrs: readonly string[], host: string): string | undefined {
  for (const address of multiaddrs) {
    const match = /^\/(?:dns4|ip4)\/([^/]+)\/tcp\/\d+\/p2p\/([^/]+)$/.exec(address);
    if (match?.[1] === host) return match[2];
  }
  return undefined;
}
