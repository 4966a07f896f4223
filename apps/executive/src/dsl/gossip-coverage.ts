import type { NetworkState } from "../network-state.js";

/**
 * Gossip coverage, as Mina's gossip-consistency test counts it: an item is seen by a node
 * when the node sent it (produced the block, or took the transaction on its GraphQL) or
 * received it by gossip (Block_gossip, Transactions_gossip). Pure: computed from events.
 */
export interface Coverage {
  /** items every node saw */
  seenByAll: number;
  /** items at least one node saw */
  seenBySome: number;
  /** per item that some node did not see: the nodes that missed it */
  missing: { item: string; nodes: string[] }[];
  /** items each node saw */
  perNode: Record<string, number>;
}

export function coverage(items: readonly string[], nodes: readonly string[], seen: (node: string, item: string) => boolean): Coverage {
  const perNode: Record<string, number> = Object.fromEntries(nodes.map((n) => [n, 0]));
  const missing: Coverage["missing"] = [];
  let seenByAll = 0;
  let seenBySome = 0;
  for (const item of items) {
    const by = nodes.filter((n) => seen(n, item));
    for (const n of by) perNode[n] = (perNode[n] ?? 0) + 1;
    if (by.length > 0) seenBySome++;
    if (by.length === nodes.length) seenByAll++;
    else missing.push({ item, nodes: nodes.filter((n) => !by.includes(n)) });
  }
  return { seenByAll, seenBySome, missing, perNode };
}

export const blockSeen =
  (state: NetworkState) =>
  (node: string, stateHash: string): boolean =>
    state.producedStateHashes[stateHash]?.node === node || state.gossip.blocksReceived[node]?.[stateHash] === true;

/** `sentVia`: the node whose GraphQL took each transaction (by hash) */
export const transactionSeen =
  (state: NetworkState, sentVia: Readonly<Record<string, string>>) =>
  (node: string, hash: string): boolean =>
    sentVia[hash] === node || state.gossip.transactionsReceived[node]?.[hash] === true;

/** blocks produced after `before` and up to `until` (both states of the same run) */
export function blocksProducedBetween(before: NetworkState, until: NetworkState): string[] {
  return Object.keys(until.producedStateHashes).filter((hash) => before.producedStateHashes[hash] === undefined);
}
