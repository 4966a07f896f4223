import type { NetworkState } from "../network-state.js";
import type { Timeout, WaitCondition } from "./wait-conditions.js";

/**
 * Wait conditions for the ported Mina tests. Each one depends on events that happen
 * during the wait (inclusions, blocks produced after it began), never on the state it
 * starts from. Timeouts are given by the caller where they depend on the test's stake.
 */

export interface Timeouts {
  soft: Timeout;
  hard: Timeout;
}

function crashed(initial: NetworkState, state: NetworkState, nodes: readonly string[]): string | undefined {
  const node = nodes.find((n) => state.crashed[n] !== undefined && state.crashed[n] !== initial.crashed[n]);
  return node && `node ${node} crashed`;
}

/** every command (by hash) is in a block some node added; one that failed fails the wait */
export function commandsToBeIncluded(hashes: readonly string[], label: string, timeouts: Timeouts): WaitCondition {
  return {
    description: `${hashes.length} ${label} to be included in the frontier`,
    softTimeout: timeouts.soft,
    hardTimeout: timeouts.hard,
    start: () => (state) => {
      const failed = hashes.map((h) => state.includedCommands[h]).find((c) => c?.status === "failed");
      if (failed) return { failed: `command ${failed.hash} was included but failed: ${JSON.stringify(failed.failure)}` };
      const missing = hashes.filter((h) => !state.includedCommands[h]);
      return missing.length === 0 ? { done: true } : { done: false, waitingFor: `${hashes.length - missing.length} of ${hashes.length} ${label} included` };
    },
  };
}

/** each of `producers` produces at least `n` more blocks, counted from the start of the wait */
export function blocksToBeProducedByEach(producers: readonly string[], n: number, timeouts: Timeouts): WaitCondition {
  return {
    description: `${n} blocks to be produced by each of ${producers.join(", ")}`,
    softTimeout: timeouts.soft,
    hardTimeout: timeouts.hard,
    start: (initial) => (state) => {
      const crash = crashed(initial, state, producers);
      if (crash) return { failed: crash };
      const counts = producers.map((p) => (state.blocksProducedBy[p] ?? 0) - (initial.blocksProducedBy[p] ?? 0));
      return counts.every((c) => c >= n) ? { done: true } : { done: false, waitingFor: producers.map((p, i) => `${p}: ${counts[i]}/${n}`).join(", ") };
    },
  };
}

/** the network's block height reaches `n` above the block `stateHash` (one of the network's own blocks) */
export function blocksOnTopOf(stateHash: string, n: number, timeouts: Timeouts): WaitCondition {
  return {
    description: `${n} blocks on top of ${stateHash.slice(0, 12)}`,
    softTimeout: timeouts.soft,
    hardTimeout: timeouts.hard,
    start: () => (state) => {
      const height = state.heights[stateHash];
      if (height === undefined) return { done: false, waitingFor: `height of ${stateHash.slice(0, 12)} not known yet` };
      return state.blockHeight >= height + n ? { done: true } : { done: false, waitingFor: `block height ${state.blockHeight}, target ${height + n}` };
    },
  };
}
