import type { NetworkState } from "../network-state.js";

/**
 * Mina's Gossip_state.stats for Transactions_gossip (gossip_state.ml, develop 9f068b1c3b): over
 * `nodes` but those in `exclusionList`, each node's diffs sent and received together; seen by
 * all is the size of their intersection, seen by some of their union.
 */
export function transactionGossipStats(state: NetworkState, nodes: readonly string[], options: { exclusionList: readonly string[] }): { seenByAll: number; seenBySome: number } {
  const counted = nodes.filter((n) => !options.exclusionList.includes(n));
  if (counted.length === 0) return { seenByAll: 0, seenBySome: 0 };
  const seenBy = counted.map((n) => {
    const diffs = state.gossip.transactionDiffs[n];
    return new Set([...Object.keys(diffs?.sent ?? {}), ...Object.keys(diffs?.received ?? {})]);
  });
  const union = new Set(seenBy.flatMap((s) => [...s]));
  const seenByAll = [...union].filter((diff) => seenBy.every((s) => s.has(diff))).length;
  return { seenByAll, seenBySome: union.size };
}

/** Mina's gossip_consistency num_transactions_seen: the size of the union of the transaction diffs `nodes` received. */
export function transactionDiffsReceived(state: NetworkState, nodes: readonly string[]): number {
  return new Set(nodes.flatMap((n) => Object.keys(state.gossip.transactionDiffs[n]?.received ?? {}))).size;
}
