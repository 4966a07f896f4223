import type { GenesisConstants } from "@mina-local/engine";
import type { NetworkState, StateEvent } from "../network-state.js";

/**
 * Wait conditions over Network_state, as Mina's wait_condition.ml (develop 9f068b1c3b and
 * src/lib/testing/integration_test_lib/wait_condition.ml of the newest Mina) defines them, with
 * its soft and hard timeouts. Mina's rules, kept by the runner: the condition succeeding after
 * the soft timeout is a soft error; a predicate failure or the hard timeout is a hard error.
 */

/** Mina's Network_time_span.t (network_time_span.ml): slots and epochs scale with the block window. */
export type Timeout = { slots: number } | { epochs: number } | { ms: number };

export type CheckResult = { done: true } | { done: false; waitingFor: string } | { failed: string };

/** Mina's wait_condition_id; ours are the waits Mina's tests do by hand (named after what they wait for). */
export type WaitConditionId =
  | "Nodes_to_initialize"
  | "Blocks_to_be_produced"
  | "Nodes_to_synchronize"
  | "Signed_command_to_be_included_in_frontier"
  | "Ledger_proofs_emitted_since_genesis"
  | "Block_height_growth"
  | "Zkapp_to_be_included_in_frontier"
  | "Persisted_frontier_loaded"
  | "Transition_frontier_loaded_from_persistence"
  | "Network_state"
  | "Block_producer_known"
  | "Local";

export interface WaitCondition {
  id?: WaitConditionId;
  description: string;
  softTimeout: Timeout;
  hardTimeout: Timeout;
  /**
   * called once with the state at the start of the wait; returns the check run on every state
   * change, with the event that caused it (undefined for the first check, on the initial state).
   * An event predicate (Mina's Event_predicate) reads only `event`.
   */
  start(initial: NetworkState): (state: NetworkState, event?: StateEvent) => CheckResult;
}

/** Mina's Network_time_span.to_span. */
export function timeoutMs(timeout: Timeout, blockWindowMs: number, slotsPerEpoch = Number.NaN): number {
  if ("ms" in timeout) return timeout.ms;
  if ("slots" in timeout) return timeout.slots * blockWindowMs;
  if (!Number.isFinite(slotsPerEpoch)) throw new Error(`a timeout of ${timeout.epochs} epochs needs the network's slots_per_epoch`);
  return timeout.epochs * slotsPerEpoch * blockWindowMs;
}

export function spanMs(timeout: Timeout, constants: Pick<GenesisConstants, "blockWindowDurationMs" | "slotsPerEpoch">): number {
  return timeoutMs(timeout, constants.blockWindowDurationMs, constants.slotsPerEpoch);
}

/** Mina's Network_time_span.to_string: "4 slots == 4s". */
export function describeTimeout(timeout: Timeout, constants: Pick<GenesisConstants, "blockWindowDurationMs" | "slotsPerEpoch">): string {
  const ms = spanMs(timeout, constants);
  if ("ms" in timeout) return `${ms} ms`;
  return "slots" in timeout ? `${timeout.slots} slots == ${ms} ms` : `${timeout.epochs} epochs == ${ms} ms`;
}

/** Mina's Wait_condition.with_timeouts. */
export function withTimeouts(condition: WaitCondition, timeouts: { soft?: Timeout; hard?: Timeout }): WaitCondition {
  return { ...condition, softTimeout: timeouts.soft ?? condition.softTimeout, hardTimeout: timeouts.hard ?? condition.hardTimeout };
}

/** Mina's Wait_condition.network_state: any predicate over the network state, 1 h soft and 2 h hard by default. */
export function networkStatePredicate(description: string, predicate: (state: NetworkState) => boolean): WaitCondition {
  return {
    id: "Network_state",
    description,
    softTimeout: { ms: 60 * 60_000 },
    hardTimeout: { ms: 2 * 60 * 60_000 },
    start: () => (state) => (predicate(state) ? { done: true } : { done: false, waitingFor: "the predicate does not hold yet" }),
  };
}

const minutes = (m: number): Timeout => ({ ms: m * 60_000 });

/** a node that crashed since the wait began (a crash before it, followed by a restart, does not fail it) */
function crashedAmong(initial: NetworkState, state: NetworkState, nodes: readonly string[]): string | undefined {
  const crashed = nodes.find((n) => state.crashed[n] !== undefined && state.crashed[n] !== initial.crashed[n]);
  return crashed ? `node ${crashed} crashed` : undefined;
}

export function nodesToInitialize(nodes: readonly string[]): WaitCondition {
  return {
    id: "Nodes_to_initialize",
    description: `[${nodes.join(", ")}] to initialize`,
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

/**
 * n blocks to be produced, as Mina counts them: its Network_state counts a Block_produced only
 * when its height is above the greatest seen (blocks_generated, network_state.ml), so this is
 * chain height growth since the start of the wait, one block at a time (forks and blocks that
 * lose to one of the same height do not count; the first block after genesis counts one).
 */
export function blocksToBeProduced(n: number): WaitCondition {
  const soft = 2 * n + 1;
  return {
    id: "Blocks_to_be_produced",
    description: `${n} blocks to be produced`,
    softTimeout: { slots: soft },
    hardTimeout: { slots: 2 * soft },
    start: (initial) => {
      // Mina's blocks_generated: one per Block_produced that raises the chain's height (the runner checks every state change)
      let height = initial.blockHeight;
      let generated = 0;
      return (state) => {
        if (state.blockHeight > height) {
          generated++;
          height = state.blockHeight;
        }
        return generated >= n ? { done: true } : { done: false, waitingFor: `${generated} of ${n} blocks produced (chain height ${state.blockHeight})` };
      };
    },
  };
}

/** Mina's block_height_growth: the chain's block height grows by `heightGrowth` from the start of the wait. */
export function blockHeightGrowth(heightGrowth: number): WaitCondition {
  const soft = 2 * heightGrowth + 1;
  return {
    id: "Block_height_growth",
    description: `chain block height greater than equal to [${heightGrowth}]`,
    softTimeout: { slots: soft },
    hardTimeout: { slots: 2 * soft },
    start: (initial) => (state) => {
      const grown = state.blockHeight - initial.blockHeight;
      return grown >= heightGrowth ? { done: true } : { done: false, waitingFor: `block height ${state.blockHeight}, grown ${grown} of ${heightGrowth} since ${initial.blockHeight}` };
    },
  };
}

/** every node has a best tip, and all are the same (Mina's nodes_to_synchronize) */
export function nodesToSynchronize(nodes: readonly string[]): WaitCondition {
  return {
    id: "Nodes_to_synchronize",
    description: `${nodes.map((n) => `"${n}"`).join(", ")} to synchronize`,
    // Mina's 4 and 6 slots (wait_condition.ml)
    softTimeout: { slots: 4 },
    hardTimeout: { slots: 6 },
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

/** the blocks known to include `hash`: the first (the state's), and any Breadcrumb_added seen during the wait that lists it */
function blocksIncluding(hash: string, state: NetworkState, event: StateEvent | undefined, known: Set<string>): Set<string> {
  const first = state.includedCommands[hash];
  if (first) known.add(first.stateHash);
  if (event?.type === "Breadcrumb_added" && Array.isArray(event.data.user_commands)) {
    const stateHash = event.data.state_hash;
    const includes = (event.data.user_commands as unknown[]).some((c) => typeof c === "object" && c !== null && (c as { hash?: unknown }).hash === hash);
    if (includes && typeof stateHash === "string") known.add(stateHash);
  }
  return known;
}

/**
 * Mina's signed_command_to_be_included_in_frontier: a block that includes the command (by its
 * hash) was added to some node's frontier, or, with `node`, to that node's (a block including
 * it that the node has seen). One that was included but failed fails the wait (ours: Mina's
 * payments test checks the status apart).
 */
export function signedCommandToBeIncluded(hash: string, label = hash, options: { node?: string } = {}): WaitCondition {
  const where = options.node === undefined ? "" : ` on ${options.node}`;
  return {
    id: "Signed_command_to_be_included_in_frontier",
    description: `signed command ${label} to be included in the frontier${where}`,
    softTimeout: { slots: 8 },
    hardTimeout: { slots: 16 },
    start: () => {
      const blocks = new Set<string>();
      return (state, event) => {
        const included = state.includedCommands[hash];
        if (!included) return { done: false, waitingFor: `command ${label} not in any block yet` };
        if (included.status === "failed") return { failed: `command ${label} was included but failed: ${JSON.stringify(included.failure)}` };
        if (options.node === undefined) return { done: true };
        const seenBy = state.blocksSeen[options.node] ?? {};
        const onNode = [...blocksIncluding(hash, state, event, blocks)].some((b) => seenBy[b]);
        return onNode ? { done: true } : { done: false, waitingFor: `command ${label} is in block(s) ${[...blocks].map((b) => b.slice(0, 12)).join(", ")}, none yet in ${options.node}'s frontier` };
      };
    },
  };
}

/**
 * Mina's zkapp_to_be_included_in_frontier (newest wait_condition.ml): an event predicate on
 * Breadcrumb_added, matching the command by its transaction hash among the block's user
 * commands; its status must be Applied (or Failed with `hasFailures`), any other is a failure.
 * Being an event predicate, Mina's misses a block that came before the wait began: a test that
 * sends several commands and then waits for each in turn relies on more nodes' Breadcrumb_added
 * for that block arriving later. `since` (ours) also counts a block that included the command
 * after that state.
 */
export function zkappCommandToBeIncluded(hash: string, options: { hasFailures?: boolean; label?: string } & Since = {}): WaitCondition {
  const label = options.label ?? hash;
  const judge = (status: unknown) => {
    const failed = status === "failed" || status === "Failed";
    return failed === (options.hasFailures ?? false) ? { done: true as const } : { failed: `Unexpected status in matching zkApp command ${label}: ${JSON.stringify(status ?? "applied")}` };
  };
  return {
    id: "Zkapp_to_be_included_in_frontier",
    description: `zkApp command ${label} to be included in the frontier`,
    softTimeout: { slots: 8 },
    hardTimeout: { slots: 16 },
    start: () => (state, event) => {
      // `since` (ours): a block that included it after that state, before the wait began, counts too
      const earlier = options.since && !options.since.includedCommands[hash] ? state.includedCommands[hash] : undefined;
      if (earlier) return judge(earlier.status);
      if (event?.type !== "Breadcrumb_added" || !Array.isArray(event.data.user_commands)) return { done: false, waitingFor: `zkApp command ${label} not in any block yet` };
      const found = (event.data.user_commands as unknown[]).find((c): c is { hash: string; status?: unknown } => typeof c === "object" && c !== null && (c as { hash?: unknown }).hash === hash);
      if (!found) return { done: false, waitingFor: `zkApp command ${label} not in any block yet` };
      return judge(found.status);
    },
  };
}

/**
 * Mina's ledger_proofs_emitted_since_genesis: n snarked ledgers generated since genesis, as
 * Mina's executive counts them (Block_produced's snarked_ledger_generated; ours also a root
 * transition with just_emitted_a_proof). The timeouts are Mina's: the slots for the blocks of
 * the first proof ((work_delay + 1) * (transaction_capacity_log_2 + 1) + 1) and of each further
 * one, at 3/4 of the slots filled, plus 6 (soft) or 12 (hard) slots (test_config.ml).
 */
export function ledgerProofsEmittedSinceGenesis(n: number, constants: Pick<GenesisConstants, "workDelay" | "transactionCapacityLog2">): WaitCondition {
  const slotsForBlocks = (blocks: number) => Math.ceil((blocks * 4) / 3);
  const firstProofBlocks = (constants.workDelay + 1) * (constants.transactionCapacityLog2 + 1) + 1;
  const total = slotsForBlocks(firstProofBlocks) + slotsForBlocks(n - 1);
  return {
    id: "Ledger_proofs_emitted_since_genesis",
    description: `[${n}] snarked_ledgers to be generated since genesis`,
    softTimeout: { slots: total + 6 },
    hardTimeout: { slots: total + 12 },
    start: () => (state) => (state.snarkedLedgersGenerated >= n ? { done: true } : { done: false, waitingFor: `${state.snarkedLedgersGenerated} of ${n} snarked ledgers` }),
  };
}

/** Where a wait counts events from: the state when it begins, or an earlier one (taken before the action that causes them). */
export interface Since {
  since?: NetworkState;
}

/**
 * Mina's persisted_frontier_loaded: an event predicate, `node` logs Persisted_frontier_loaded
 * after the wait begins; 4 and 8 slots. `since` (ours) counts from an earlier state too, for a
 * node restarted just before the wait whose event may already be in.
 */
export function persistedFrontierLoaded(node: string, options: Since = {}): WaitCondition {
  return {
    id: "Persisted_frontier_loaded",
    description: `persisted transition frontier of ${node} to load`,
    softTimeout: { slots: 4 },
    hardTimeout: { slots: 8 },
    start: (initial) => {
      const before = (options.since ?? initial).persistedFrontierLoaded[node] ?? 0;
      // Mina's event predicate, read from the node's counter of Persisted_frontier_loaded events
      return (state) => ((state.persistedFrontierLoaded[node] ?? 0) > before ? { done: true } : { done: false, waitingFor: `${node} has not loaded its frontier` });
    },
  };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Mina's transition_frontier_loaded_from_persistence, over the whole network as Mina counts:
 * one more Persisted_frontier_loaded and Transition_frontier_loaded_from_persistence since the
 * wait began; with `freshData`, also one more Persisted_frontier_fresh_boot and
 * Persisted_frontier_dropped (without it, none); without `syncNeeded`, no bootstrap
 * (Mina's num_bootstrap_required unchanged). 10 and 15 minutes. `since` (ours) counts from an
 * earlier state, for a node restarted just before the wait whose events may already be in.
 */
export function transitionFrontierLoadedFromPersistence(options: { freshData: boolean; syncNeeded: boolean } & Since): WaitCondition {
  const counts = (s: NetworkState) => ({
    loaded: sum(s.persistedFrontierLoaded),
    freshBoot: sum(s.persistedFrontierFreshBoots),
    bootstraps: sum(s.bootstraps),
    dropped: sum(s.persistedFrontierDropped),
    fromPersistence: sum(s.frontierLoadedFromPersistence),
  });
  return {
    id: "Transition_frontier_loaded_from_persistence",
    description: `Transition frontier loaded with 'fresh_data' set to ${options.freshData} and 'sync_needed' set to ${options.syncNeeded}`,
    softTimeout: minutes(10),
    hardTimeout: minutes(15),
    start: (initial) => {
      const before = counts(options.since ?? initial);
      return (state) => {
        const now = counts(state);
        const fresh = options.freshData ? now.freshBoot > before.freshBoot && now.dropped > before.dropped : now.freshBoot === before.freshBoot && now.dropped === before.dropped;
        const sync = options.syncNeeded ? now.bootstraps >= before.bootstraps : now.bootstraps === before.bootstraps;
        const loaded = now.loaded > before.loaded && now.fromPersistence > before.fromPersistence;
        return fresh && sync && loaded
          ? { done: true }
          : {
              done: false,
              waitingFor: `since the wait: ${now.loaded - before.loaded} frontiers loaded, ${now.fromPersistence - before.fromPersistence} from persistence, ${now.freshBoot - before.freshBoot} fresh boots, ${now.dropped - before.dropped} dropped, ${now.bootstraps - before.bootstraps} bootstraps`,
            };
      };
    },
  };
}

/**
 * The producer of block `stateHash` is known: its own Block_produced has arrived. Only the
 * producer logs Block_produced, and the lines of different nodes reach the bus in any order, so
 * another node's Breadcrumb_added for the block can come first; a test that asks which node
 * produced a block waits for this (bounded) instead of reading the state at once. Ours: Mina's
 * tests ask GraphQL for the creator.
 */
export function blockProducerKnown(stateHash: string): WaitCondition {
  return {
    id: "Block_producer_known",
    description: `the producer of block ${stateHash.slice(0, 12)} to be known (its Block_produced)`,
    // the producer logs Block_produced before it gossips the block: its line trails another node's by the pipeline's lag at most
    softTimeout: { ms: 30_000 },
    hardTimeout: { ms: 60_000 },
    start: () => (state) => (state.producedStateHashes[stateHash] ? { done: true } : { done: false, waitingFor: `no Block_produced for ${stateHash} yet` }),
  };
}

/** The producer of a block, once its Block_produced has arrived (wait for blockProducerKnown first). */
export function producerOf(state: NetworkState, stateHash: string): { node: string; height: number; slot: number } | undefined {
  return state.producedStateHashes[stateHash];
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
