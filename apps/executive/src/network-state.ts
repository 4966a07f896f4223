import type { NodeRole } from "@mina-local/engine";

/**
 * Network_state: what the test knows about the network, built only from the events of the
 * bus (never by polling). `applyEvent` is pure: it returns a new state.
 *
 * It reads Mina's events as Mina's own executive does (src/lib/integration_test_lib/
 * network_state.ml, Mina develop 9f068b1c3b): snarked ledgers from
 * Block_produced.snarked_ledger_generated, best tips from Transition_frontier_diff_application
 * (dropped when a node goes offline), blocks seen and commands included from Breadcrumb_added,
 * one counter per persistence event. The event data is the event parser's (the field names of
 * Mina's event_type.ml records).
 */

export interface StateEvent {
  node: string;
  role: NodeRole;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface IncludedCommand {
  hash: string;
  stateHash: string;
  node: string;
  status: string;
  failure?: unknown;
}

/** A crash of a node's daemon: a hard error of the section it happens in. */
export interface NodeError {
  node: string;
  severity: "soft" | "hard";
  message: string;
  timestamp: string;
}

/** A node's log line at Warn or Faulty_peer (soft) or Error or Fatal (hard), as Mina's executive counts them. */
export interface LogErrorEntry {
  node: string;
  level: string;
  severity: "soft" | "hard";
  /** the message with Mina's `$name` placeholders filled from the line's metadata, and its module */
  message: string;
  /** the line's own timestamp (Mina's format) */
  timestamp: string;
}

/** A line the event parser could not read (not a Mina line, or a known event whose payload does not decode). */
export interface UnparsableLine {
  node: string;
  reason: string;
  timestamp: string;
}

/** Unparsable lines kept for the report; the count goes on. */
const UNPARSABLE_KEPT = 50;

export interface NetworkState {
  /** nodes that logged Node_initialization since their last start */
  initialized: Record<string, boolean>;
  /** daemon up (from the forwarder's node_started / node_stopped / node_crashed) */
  online: Record<string, boolean>;
  crashed: Record<string, { exitCode?: number; signal?: string; timestamp: string }>;
  /** the greatest block height produced so far, and the greatest slot and epoch */
  blockHeight: number;
  globalSlot: number;
  epoch: number;
  /** distinct blocks produced in the whole network */
  blocksProduced: number;
  producedStateHashes: Record<string, { node: string; height: number; slot: number }>;
  blocksProducedBy: Record<string, number>;
  /**
   * distinct blocks that emitted a ledger proof: a produced block with snarked_ledger_generated
   * (what Mina's executive counts), or a root a node transitioned to with just_emitted_a_proof
   */
  snarkedLedgersGenerated: number;
  snarkedLedgerBlocks: Record<string, true>;
  /** each online node's best tip (Transition_frontier_diff_application); a node that goes offline has none, as in Mina */
  bestTips: Record<string, string>;
  /** each node's last best tip, kept while it is offline (how far behind a stopped node is) */
  lastBestTips: Record<string, string>;
  /** heights of the blocks we know, by state hash */
  heights: Record<string, number>;
  /** blocks each node added to its frontier (Breadcrumb_added, New_node diffs) */
  blocksSeen: Record<string, Record<string, true>>;
  includedCommands: Record<string, IncludedCommand>;
  /** per node, Mina's persistence events (transition_frontier.ml) */
  persistedFrontierLoaded: Record<string, number>;
  frontierLoadedFromPersistence: Record<string, number>;
  persistedFrontierFreshBoots: Record<string, number>;
  persistedFrontierDropped: Record<string, number>;
  /**
   * bootstraps per node: a Bootstrap_required, or a Persisted_frontier_loaded after the first
   * since the daemon started (the bootstrap controller loads the frontier again when it is
   * done, bootstrap_controller.ml; Mina's router starts a bootstrap without Bootstrap_required
   * when the network is too far ahead, transition_router.ml)
   */
  bootstraps: Record<string, number>;
  /** nodes that loaded their frontier since their daemon last started */
  frontierLoadedSinceStart: Record<string, boolean>;
  gossip: {
    blocksReceived: Record<string, Record<string, true>>;
    transactionsReceived: Record<string, Record<string, true>>;
    snarkWorkReceived: Record<string, number>;
    blocksSent: Record<string, number>;
    transactionsSent: Record<string, number>;
    snarkWorkSent: Record<string, number>;
    /**
     * Mina's Gossip_state.transactions (gossip_state.ml, develop 9f068b1c3b): per node, the
     * transaction-pool diffs it sent (Gossip_transaction_pool_diff) and received
     * (Transactions_received), each diff named by its commands' hashes in order (Mina hashes
     * the diff), or by its fee payer summaries where a newer Mina logs no commands
     */
    transactionDiffs: Record<string, { sent: Record<string, true>; received: Record<string, true> }>;
  };
  snarkWorkFailed: number;
  /** crashes: hard errors of the section they happen in (log errors are kept apart: see logErrorOf) */
  errors: NodeError[];
  parseErrors: number;
  /** the first unparsable lines, for the report */
  unparsable: UnparsableLine[];
  eventsSeen: number;
}

export function emptyNetworkState(): NetworkState {
  return {
    initialized: {},
    online: {},
    crashed: {},
    blockHeight: 0,
    globalSlot: 0,
    epoch: 0,
    blocksProduced: 0,
    producedStateHashes: {},
    blocksProducedBy: {},
    snarkedLedgersGenerated: 0,
    snarkedLedgerBlocks: {},
    bestTips: {},
    lastBestTips: {},
    heights: {},
    blocksSeen: {},
    includedCommands: {},
    persistedFrontierLoaded: {},
    frontierLoadedFromPersistence: {},
    persistedFrontierFreshBoots: {},
    persistedFrontierDropped: {},
    bootstraps: {},
    frontierLoadedSinceStart: {},
    gossip: { blocksReceived: {}, transactionsReceived: {}, snarkWorkReceived: {}, blocksSent: {}, transactionsSent: {}, snarkWorkSent: {}, transactionDiffs: {} },
    snarkWorkFailed: 0,
    errors: [],
    parseErrors: 0,
    unparsable: [],
    eventsSeen: 0,
  };
}

const num = (value: unknown): number => (typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const inc = (record: Record<string, number>, key: string): Record<string, number> => ({ ...record, [key]: (record[key] ?? 0) + 1 });
const record = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const without = <T>(map: Record<string, T>, key: string): Record<string, T> => {
  if (!Object.hasOwn(map, key)) return map;
  const { [key]: _gone, ...rest } = map;
  return rest;
};

/** Mina's `$name` placeholders filled from metadata, so a reported error says what happened. */
function interpolate(template: string, metadata: Record<string, unknown>): string {
  return template.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
    if (!Object.hasOwn(metadata, name)) return whole;
    const value = metadata[name];
    return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  });
}

function seen(s: NetworkState, node: string, hash: string): NetworkState["blocksSeen"] {
  const mine = s.blocksSeen[node];
  if (mine?.[hash]) return s.blocksSeen;
  return { ...s.blocksSeen, [node]: { ...mine, [hash]: true } };
}

/** the node went down (stopped, offline, crashed): not initialized, and no best tip until it logs a new one */
function wentDown(s: NetworkState, node: string): NetworkState {
  return { ...s, online: { ...s.online, [node]: false }, initialized: { ...s.initialized, [node]: false }, bestTips: without(s.bestTips, node) };
}

function withLedgerProof(s: NetworkState, hash: string): NetworkState {
  if (s.snarkedLedgerBlocks[hash]) return s;
  return { ...s, snarkedLedgersGenerated: s.snarkedLedgersGenerated + 1, snarkedLedgerBlocks: { ...s.snarkedLedgerBlocks, [hash]: true } };
}

export function applyEvent(state: NetworkState, event: StateEvent): NetworkState {
  const s: NetworkState = { ...state, eventsSeen: state.eventsSeen + 1 };
  const d = event.data;
  switch (event.type) {
    case "Node_initialization":
      return { ...s, initialized: { ...s.initialized, [event.node]: true } };
    case "Node_started":
      // a (re)started daemon must log Node_initialization again before it counts as initialized
      return {
        ...s,
        online: { ...s.online, [event.node]: true },
        initialized: { ...s.initialized, [event.node]: false },
        bestTips: without(s.bestTips, event.node),
        frontierLoadedSinceStart: { ...s.frontierLoadedSinceStart, [event.node]: false },
      };
    case "Node_stopped":
    case "Node_offline":
      return wentDown(s, event.node);
    case "Node_crashed": {
      const crash = { exitCode: typeof d.exit_code === "number" ? d.exit_code : undefined, signal: str(d.signal), timestamp: event.timestamp };
      const how = crash.signal ? `signal ${crash.signal}` : `exit code ${crash.exitCode ?? "unknown"}`;
      const down = wentDown(s, event.node);
      return {
        ...down,
        crashed: { ...s.crashed, [event.node]: crash },
        errors: [...s.errors, { node: event.node, severity: "hard", message: `the daemon crashed (${how})`, timestamp: event.timestamp }],
      };
    }
    case "Block_produced": {
      const hash = str(d.state_hash);
      if (!hash || s.producedStateHashes[hash]) return s;
      const height = num(d.block_height);
      const slot = num(d.global_slot);
      const produced: NetworkState = {
        ...s,
        blocksProduced: s.blocksProduced + 1,
        producedStateHashes: { ...s.producedStateHashes, [hash]: { node: event.node, height, slot } },
        blocksProducedBy: inc(s.blocksProducedBy, event.node),
        heights: { ...s.heights, [hash]: height },
        blockHeight: Math.max(s.blockHeight, height),
        globalSlot: Math.max(s.globalSlot, slot),
        epoch: Math.max(s.epoch, num(d.epoch)),
      };
      return d.snarked_ledger_generated === true ? withLedgerProof(produced, hash) : produced;
    }
    case "Transition_frontier_diff_application": {
      let next = s;
      const added = str(d.new_node);
      if (added) next = { ...next, blocksSeen: seen(next, event.node, added) };
      const root = record(d.root_transitioned);
      const newRoot = str(root.new_root);
      if (newRoot && root.just_emitted_a_proof === true) next = withLedgerProof(next, newRoot);
      const tip = str(d.best_tip_changed);
      if (tip) next = { ...next, bestTips: { ...next.bestTips, [event.node]: tip }, lastBestTips: { ...next.lastBestTips, [event.node]: tip } };
      return next;
    }
    case "Breadcrumb_added": {
      const stateHash = str(d.state_hash);
      if (!stateHash) return s;
      const commands = Array.isArray(d.user_commands) ? (d.user_commands as unknown[]).map(record) : [];
      const blocksSeen = seen(s, event.node, stateHash);
      if (commands.length === 0) return { ...s, blocksSeen };
      const included = { ...s.includedCommands };
      for (const command of commands) {
        const hash = str(command.hash);
        if (hash && !included[hash])
          included[hash] = { hash, stateHash, node: event.node, status: str(command.status) ?? "applied", ...(command.failure !== undefined && { failure: command.failure }) };
      }
      return { ...s, blocksSeen, includedCommands: included };
    }
    case "Block_gossip": {
      if (d.direction === "Sent") return { ...s, gossip: { ...s.gossip, blocksSent: inc(s.gossip.blocksSent, event.node) } };
      const hash = str(d.state_hash);
      if (!hash) return s;
      const mine = s.gossip.blocksReceived[event.node] ?? {};
      return { ...s, gossip: { ...s.gossip, blocksReceived: { ...s.gossip.blocksReceived, [event.node]: { ...mine, [hash]: true } } } };
    }
    case "Transactions_gossip": {
      const hashes = Array.isArray(d.hashes) ? (d.hashes as unknown[]).filter((h): h is string => typeof h === "string") : [];
      const diff = hashes.length > 0 ? hashes.join(",") : JSON.stringify(d.fee_payer_summaries ?? []);
      const direction = d.direction === "Sent" ? "sent" : "received";
      const diffs = s.gossip.transactionDiffs[event.node] ?? { sent: {}, received: {} };
      const transactionDiffs = { ...s.gossip.transactionDiffs, [event.node]: { ...diffs, [direction]: { ...diffs[direction], [diff]: true } } };
      if (d.direction === "Sent") return { ...s, gossip: { ...s.gossip, transactionsSent: inc(s.gossip.transactionsSent, event.node), transactionDiffs } };
      const mine = { ...(s.gossip.transactionsReceived[event.node] ?? {}) };
      for (const hash of hashes) mine[hash] = true;
      return { ...s, gossip: { ...s.gossip, transactionsReceived: { ...s.gossip.transactionsReceived, [event.node]: mine }, transactionDiffs } };
    }
    case "Snark_work_gossip":
      return d.direction === "Sent"
        ? { ...s, gossip: { ...s.gossip, snarkWorkSent: inc(s.gossip.snarkWorkSent, event.node) } }
        : { ...s, gossip: { ...s.gossip, snarkWorkReceived: inc(s.gossip.snarkWorkReceived, event.node) } };
    case "Snark_work_failed":
      return { ...s, snarkWorkFailed: s.snarkWorkFailed + 1 };
    case "Persisted_frontier_loaded": {
      const loaded = { ...s, persistedFrontierLoaded: inc(s.persistedFrontierLoaded, event.node), frontierLoadedSinceStart: { ...s.frontierLoadedSinceStart, [event.node]: true } };
      return s.frontierLoadedSinceStart[event.node] ? { ...loaded, bootstraps: inc(s.bootstraps, event.node) } : loaded;
    }
    case "Transition_frontier_loaded_from_persistence":
      return { ...s, frontierLoadedFromPersistence: inc(s.frontierLoadedFromPersistence, event.node) };
    case "Persisted_frontier_fresh_boot":
      return { ...s, persistedFrontierFreshBoots: inc(s.persistedFrontierFreshBoots, event.node) };
    case "Persisted_frontier_dropped":
      return { ...s, persistedFrontierDropped: inc(s.persistedFrontierDropped, event.node) };
    case "Bootstrap_required":
      return { ...s, bootstraps: inc(s.bootstraps, event.node) };
    case "Parse_error": {
      const kept = s.unparsable.length < UNPARSABLE_KEPT ? [...s.unparsable, { node: event.node, reason: str(d.reason) ?? "unknown reason", timestamp: event.timestamp }] : s.unparsable;
      return { ...s, parseErrors: s.parseErrors + 1, unparsable: kept };
    }
    default:
      return s;
  }
}

/**
 * The log error a Log_error event stands for, or undefined for any other event. Kept out of
 * NetworkState: a real daemon can log thousands of Warn lines, and no wait reads them.
 */
export function logErrorOf(event: StateEvent): LogErrorEntry | undefined {
  if (event.type !== "Log_error") return undefined;
  const d = event.data;
  const level = str(d.level) ?? "Error";
  const severity = d.severity === "soft" || d.severity === "hard" ? d.severity : level === "Warn" || level === "Faulty_peer" ? "soft" : "hard";
  const module = str(d.module);
  const message = `${module ? `(${module}) ` : ""}${interpolate(str(d.message) ?? "", record(d.metadata))}`;
  return { node: event.node, level, severity, message, timestamp: event.timestamp };
}
