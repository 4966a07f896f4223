import type { TestNode } from "./define-test.js";

/** A best chain as the comparison needs it, oldest block first. */
export type ChainBlocks = readonly { stateHash: string; height: number }[];

export interface ChainComparison {
  /** each node's best tip height */
  tips: Record<string, number>;
  highestTip: number;
  /** the highest height up to which every node has the same blocks (undefined: they share none) */
  agreedUpTo: number | undefined;
  /** blocks at least k deep on one node (final there) that another node replaced */
  finalityConflicts: string[];
}

export async function fetchBestChains(nodes: readonly TestNode[], timeoutMs = 10_000): Promise<Record<string, ChainBlocks>> {
  const chains = await Promise.all(nodes.map(async (node) => [node.name, await node.graphql.bestChain(undefined, { timeoutMs })] as const));
  return Object.fromEntries(chains);
}

/**
 * Compares the nodes' best chains, as Mina's chain-reliability test does ("the common
 * prefix of all nodes is no farther back than 1 block") and for finality: a block k deep
 * on one node's best chain is final, so no other node may have another block at its height.
 */
export function compareBestChains(chains: Record<string, ChainBlocks>, k: number): ChainComparison {
  const nodes = Object.keys(chains);
  const byHeight = Object.fromEntries(nodes.map((n) => [n, new Map((chains[n] ?? []).map((b) => [b.height, b.stateHash]))]));
  const tips = Object.fromEntries(nodes.map((n) => [n, Math.max(0, ...(chains[n] ?? []).map((b) => b.height))]));
  const highestTip = Math.max(0, ...Object.values(tips));

  const finalityConflicts: string[] = [];
  for (const node of nodes) {
    const finalUpTo = (tips[node] ?? 0) - k;
    for (const block of chains[node] ?? []) {
      if (block.height > finalUpTo) continue;
      for (const other of nodes) {
        const theirs = byHeight[other]?.get(block.height);
        if (other !== node && theirs !== undefined && theirs !== block.stateHash) {
          finalityConflicts.push(`height ${block.height}: final block ${block.stateHash} on ${node}, ${theirs} on ${other}`);
        }
      }
    }
  }

  const common = [...(byHeight[nodes[0] ?? ""]?.keys() ?? [])].filter((h) => nodes.every((n) => byHeight[n]?.has(h))).sort((a, b) => a - b);
  let agreedUpTo: number | undefined;
  for (const height of common) {
    const hashes = new Set(nodes.map((n) => byHeight[n]?.get(height)));
    if (hashes.size !== 1) break;
    agreedUpTo = height;
  }
  return { tips, highestTip, agreedUpTo, finalityConflicts };
}

/**
 * Mina's check_common_prefixes (src/app/test_executive/test_common.ml at 9f068b1c3b): the
 * blocks every node's best chain holds (the intersection of their state hashes), against the
 * longest best chain; Mina passes when the difference is within the tolerance.
 */
export function commonPrefixOf(chains: Record<string, ChainBlocks>): { commonLength: number; longestLength: number; difference: number } {
  const sets = Object.values(chains).map((chain) => new Set(chain.map((b) => b.stateHash)));
  const longestLength = Math.max(0, ...Object.values(chains).map((chain) => chain.length));
  const [first, ...rest] = sets;
  const commonLength = first ? [...first].filter((hash) => rest.every((set) => set.has(hash))).length : 0;
  return { commonLength, longestLength, difference: longestLength - commonLength };
}
