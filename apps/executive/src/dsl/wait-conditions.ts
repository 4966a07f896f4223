import type { NetworkState } from "../network-state.js";

/**
 * Wait conditions over Network_state, with Mina's soft and hard timeouts. A timeout
 * counted in slots scales with the block window; passing the soft one is a soft error,
 * passing the hard one fails the section at once.
 */
export type Timeout = { slots: number } | { ms: number };

export type CheckResult = { done: true } | { done: false; waitingFor: string } | { failed: string };

export interface WaitCondition {
  description: string;
  softTimeout: Timeout;
  hardTimeout: Timeout;
  /** called once with the state at the start of the wait; returns the check run on every state change */
  start(initial: NetworkState): (state: NetworkState) => CheckResult;
}

export function timeoutMs(timeout: Timeout, blockWindowMs: number): number {
  return "ms" in timeout ? timeout.ms : timeout.slots * blockWindowMs;
}

const minutes = (m: number): Timeout => ({ ms: m * 60_000 });

/** a node that crashed since the wait began (a crash before it, followed by a restart, does not fail it) */
function crashedAmong(initial: NetworkState, state: NetworkState, nodes: readonly string[]): string | undefined {
  const crashed = nodes.find((n) => state.crashed[n] !== undefined && state.crashed[n] !== initial.crashed[n]);
  return crashed ? `node ${crashed} crashed` : undefined;
}

export function nodesToInitialize(nodes: readonly string[]): WaitCondition {
  return {
    description: `nodes to initialize: ${nodes.join(", ")}`,
    softTimeout: minutes(10),
    hardTimeout: minutes(15),
    start: (initial) => (state) => {
      const crash = crashedAmong(initial, state, nodes);
      if (crash) return { failed: crash };
      const missing = nodes.filter((n) => !state.initialized[n]);
      return missing.length === 0 ? { done: true } : { done: false, waitingFor: `not yet initialized: ${missing.join(", ")}` };
    },
  };
}

/** n more blocks produced anywhere in the network, counted from the start of the wait. */
export function blocksToBeProduced(n: number): WaitCondition {
  return {
    description: `${n} blocks to be produced`,
    softTimeout: { slots: 2 * n + 1 },
    hardTimeout: { slots: 2 * (2 * n + 1) },
    start: (initial) => (state) => {
      const produced = state.blocksProduced - initial.blocksProduced;
      return produced >= n ? { done: true } : { done: false, waitingFor: `${produced} of ${n} blocks produced` };
    },
  };
}

/** the block height reaches `height` */
export function blockHeightGrowth(height: number, timeout: { soft: Timeout; hard: Timeout }): WaitCondition {
  return {
    description: `block height to reach ${height}`,
    softTimeout: timeout.soft,
    hardTimeout: timeout.hard,
    start: () => (state) => (state.blockHeight >= height ? { done: true } : { done: false, waitingFor: `block height ${state.blockHeight}` }),
  };
}

/** every node has the same best tip (and has one) */
export function nodesToSynchronize(nodes: readonly string[]): WaitCondition {
  return {
    description: `nodes to synchronize: ${nodes.join(", ")}`,
    softTimeout: { slots: 24 },
    hardTimeout: { slots: 48 },
    start: (initial) => (state) => {
      const crash = crashedAmong(initial, state, nodes);
      if (crash) return { failed: crash };
      const tips = nodes.map((n) => state.bestTips[n]);
      const first = tips[0];
      const same = first !== undefined && tips.every((t) => t === first);
      return same ? { done: true } : { done: false, waitingFor: `best tips: ${nodes.map((n, i) => `${n}=${tips[i]?.slice(0, 12) ?? "none"}`).join(" ")}` };
    },
  };
}

/** a signed command (by its hash) is in a block added to some node's frontier */
export function signedCommandToBeIncluded(hash: string, label = hash): WaitCondition {
  return {
    description: `signed command ${label} to be included in the frontier`,
    softTimeout: { slots: 8 },
    hardTimeout: { slots: 16 },
    start: () => (state) => {
      const included = state.includedCommands[hash];
      if (!included) return { done: false, waitingFor: `command ${label} not in any block yet` };
      return included.status === "failed" ? { failed: `command ${label} was included but failed: ${JSON.stringify(included.failure)}` } : { done: true };
    },
  };
}

/**
 * n snarked ledgers generated since genesis, as Mina's executive counts them: blocks whose
 * Block_produced says snarked_ledger_generated (or a root transition with just_emitted_a_proof).
 */
export function ledgerProofsEmittedSinceGenesis(n: number): WaitCondition {
  return {
    description: `${n} snarked ledgers to be generated since genesis`,
    softTimeout: { slots: 15 },
    hardTimeout: { slots: 20 },
    start: () => (state) => (state.snarkedLedgersGenerated >= n ? { done: true } : { done: false, waitingFor: `${state.snarkedLedgersGenerated} of ${n} snarked ledgers` }),
  };
}

/** Where a wait counts events from: the state when it begins, or an earlier one (taken before the action that causes them). */
export interface Since {
  since?: NetworkState;
}

/** the node logs Persisted_frontier_loaded (Mina's event) at least once more than at the start of the wait (or `since`) */
export function persistedFrontierLoaded(node: string, options: Since = {}): WaitCondition {
  return {
    description: `${node} to load its persisted frontier`,
    softTimeout: minutes(3),
    hardTimeout: minutes(5),
    start: (initial) => {
      const before = (options.since ?? initial).persistedFrontierLoaded[node] ?? 0;
      return (state) => ((state.persistedFrontierLoaded[node] ?? 0) > before ? { done: true } : { done: false, waitingFor: `${node} has not loaded its frontier` });
    },
  };
}

/**
 * n more blocks produced by the given nodes (the ones still up while others are down).
 * Mina's 2n+1 slots assume the whole stake is online; a part of it wins fewer slots, so
 * the timeouts here are twice as long.
 */
export function blocksToBeProducedBy(producers: readonly string[], n: number): WaitCondition {
  return {
    description: `${n} blocks to be produced by ${producers.join(", ")}`,
    softTimeout: { slots: 4 * n + 2 },
    hardTimeout: { slots: 2 * (4 * n + 2) },
    start: (initial) => {
      const countOf = (state: NetworkState) => producers.reduce((sum, p) => sum + (state.blocksProducedBy[p] ?? 0), 0);
      const before = countOf(initial);
      return (state) => {
        const crash = crashedAmong(initial, state, producers);
        if (crash) return { failed: crash };
        const produced = countOf(state) - before;
        return produced >= n ? { done: true } : { done: false, waitingFor: `${produced} of ${n} blocks produced by ${producers.join(", ")}` };
      };
    },
  };
}

/** the network's block height reaches `blocks` above the best tip `node` had when the wait began (e.g. a stopped node left behind) */
export function blockHeightToPassTipOf(node: string, blocks: number): WaitCondition {
  return {
    description: `block height to pass ${node}'s best tip by ${blocks}`,
    softTimeout: { slots: 3 * blocks + 2 },
    hardTimeout: { slots: 2 * (3 * blocks + 2) },
    start: (initial) => {
      // the tip it had when it went down: a stopped node has no best tip of its own any more
      const tip = initial.bestTips[node] ?? initial.lastBestTips[node];
      const tipHeight = tip === undefined ? undefined : initial.heights[tip];
      return (state) => {
        if (tipHeight === undefined) return { failed: `the height of ${node}'s best tip is not known (best tip ${tip ?? "none"})` };
        const target = tipHeight + blocks;
        return state.blockHeight >= target ? { done: true } : { done: false, waitingFor: `block height ${state.blockHeight}, ${node}'s tip at ${tipHeight}, target ${target}` };
      };
    },
  };
}

/**
 * Each node catches up: it has a best tip again (a Transition_frontier_diff_application
 * since it came back) at least as high as the network's block height when the wait began,
 * and it did not bootstrap (a Bootstrap_required since the wait began, or `since`, fails
 * the wait). Mina logs no "catch-up done" event; this is what its frontier diffs show.
 */
export function nodesToCatchUp(nodes: readonly string[], options: Since = {}): WaitCondition {
  return {
    description: `nodes to catch up: ${nodes.join(", ")}`,
    softTimeout: { slots: 24 },
    hardTimeout: { slots: 48 },
    start: (initial) => {
      const base = options.since ?? initial;
      const target = Math.max(base.blockHeight, initial.blockHeight);
      return (state) => {
        const crash = crashedAmong(initial, state, nodes);
        if (crash) return { failed: crash };
        const bootstrapped = nodes.find((n) => (state.bootstraps[n] ?? 0) > (base.bootstraps[n] ?? 0));
        if (bootstrapped) return { failed: `node ${bootstrapped} bootstrapped instead of catching up` };
        const heightOf = (n: string) => {
          const tip = state.bestTips[n];
          return tip === undefined ? undefined : state.heights[tip];
        };
        const behind = nodes.filter((n) => (heightOf(n) ?? -1) < target);
        return behind.length === 0
          ? { done: true }
          : { done: false, waitingFor: `not yet at height ${target}: ${behind.map((n) => `${n} (best tip ${state.bestTips[n]?.slice(0, 12) ?? "none"} at ${heightOf(n) ?? "?"})`).join(", ")}` };
      };
    },
  };
}

/**
 * `node` initializes after exactly `bootstraps` bootstraps (Bootstrap_required) counted from
 * the start of the wait (or `since`); initializing after any other number fails the wait at once.
 */
export function nodeToInitializeAfterBootstraps(node: string, bootstraps: number, options: Since = {}): WaitCondition {
  return {
    description: `${node} to initialize after ${bootstraps} bootstrap${bootstraps === 1 ? "" : "s"}`,
    softTimeout: { slots: 24 },
    hardTimeout: { slots: 48 },
    start: (initial) => {
      const base = options.since ?? initial;
      const before = base.bootstraps[node] ?? 0;
      // initialized before the wait (a node not restarted yet) does not count: only a fresh Node_initialization
      // does; the runner checks every state change, so the restart's "not initialized" state is always seen
      let seenDown = !base.initialized[node] || !initial.initialized[node];
      return (state) => {
        const crash = crashedAmong(initial, state, [node]);
        if (crash) return { failed: crash };
        const done = (state.bootstraps[node] ?? 0) - before;
        if (!state.initialized[node]) {
          seenDown = true;
          return { done: false, waitingFor: `${node} not initialized yet (${done} bootstraps so far)` };
        }
        if (!seenDown) return { done: false, waitingFor: `${node} has not restarted yet` };
        return done === bootstraps ? { done: true } : { failed: `${node} initialized after ${done} bootstraps, expected ${bootstraps}` };
      };
    },
  };
}
