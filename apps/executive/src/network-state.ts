import type { NodeRole } from "@mina-local/engine";

/**
 * Network_state: what the test knows about the network, built only from the events
 * of the bus (never by polling). `applyEvent` is pure: it returns a new state.
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

export interface NodeError {
  node: string;
  severity: "soft" | "hard";
  message: string;
  timestamp: string;
}

export interface NetworkState {
  /** nodes that logged Node_initialization since their last start */
  initialized: Record<string, boolean>;
  /** daemon up (from the forwarder's node_started / node_stopped / node_crashed) */
  online: Record<string, boolean>;
  crashed: Record<string, { exitCode?: number; signal?: string; timestamp: string }>;
  /** the greatest block height produced so far, and its slot and epoch */
  blockHeight: number;
  globalSlot: number;
  epoch: number;
  /** distinct blocks produced in the whole network */
  blocksProduced: number;
  producedStateHashes: Record<string, { node: string; height: number; slot: number }>;
  blocksProducedBy: Record<string, number>;
  snarkedLedgersGenerated: number;
  /** distinct ledger proofs (by snarked ledger hash): every node logs each proof it adds */
  ledgerProofsEmitted: number;
  ledgerProofHashes: Record<string, true>;
  bestTips: Record<string, string>;
  /** heights of the blocks we know, by state hash */
  heights: Record<string, number>;
  includedCommands: Record<string, IncludedCommand>;
  persistedFrontierLoaded: Record<string, number>;
  bootstraps: Record<string, number>;
  catchups: Record<string, number>;
  gossip: {
    blocksReceived: Record<string, Record<string, true>>;
    transactionsReceived: Record<string, Record<string, true>>;
    snarkWorkReceived: Record<string, number>;
    blocksSent: Record<string, number>;
    transactionsSent: Record<string, number>;
    snarkWorkSent: Record<string, number>;
  };
  snarkWorkFailed: number;
  errors: NodeError[];
  parseErrors: number;
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
    ledgerProofsEmitted: 0,
    ledgerProofHashes: {},
    bestTips: {},
    heights: {},
    includedCommands: {},
    persistedFrontierLoaded: {},
    bootstraps: {},
    catchups: {},
    gossip: { blocksReceived: {}, transactionsReceived: {}, snarkWorkReceived: {}, blocksSent: {}, transactionsSent: {}, snarkWorkSent: {} },
    snarkWorkFailed: 0,
    errors: [],
    parseErrors: 0,
    eventsSeen: 0,
  };
}

const num = (value: unknown): number => (typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const inc = (record: Record<string, number>, key: string): Record<string, number> => ({ ...record, [key]: (record[key] ?? 0) + 1 });

/** Mina's `$name` placeholders filled from metadata, so a reported error says what happened. */
function interpolate(template: string, metadata: Record<string, unknown>): string {
  return template.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
    if (!Object.hasOwn(metadata, name)) return whole;
    const value = metadata[name];
    return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  });
}

export function applyEvent(state: NetworkState, event: StateEvent): NetworkState {
  const s: NetworkState = { ...state, eventsSeen: state.eventsSeen + 1 };
  const d = event.data;
  switch (event.type) {
    case "Node_initialization":
      return { ...s, initialized: { ...s.initialized, [event.node]: true } };
    case "Node_started":
      // a (re)started daemon must log Node_initialization again before it counts as initialized
      return { ...s, online: { ...s.online, [event.node]: true }, initialized: { ...s.initialized, [event.node]: false } };
    case "Node_stopped":
    case "Node_offline":
      return { ...s, online: { ...s.online, [event.node]: false }, initialized: { ...s.initialized, [event.node]: false } };
    case "Node_crashed": {
      const crash = { exitCode: typeof d.exit_code === "number" ? d.exit_code : undefined, signal: str(d.signal), timestamp: event.timestamp };
      const how = crash.signal ? `signal ${crash.signal}` : `exit code ${crash.exitCode ?? "unknown"}`;
      return {
        ...s,
        online: { ...s.online, [event.node]: false },
        initialized: { ...s.initialized, [event.node]: false },
        crashed: { ...s.crashed, [event.node]: crash },
        errors: [...s.errors, { node: event.node, severity: "hard", message: `the daemon crashed (${how})`, timestamp: event.timestamp }],
      };
    }
    case "Block_produced": {
      const hash = str(d.state_hash);
      if (!hash || s.producedStateHashes[hash]) return s;
      const height = num(d.block_height);
      const slot = num(d.global_slot);
      const higher = height > s.blockHeight;
      return {
        ...s,
        blocksProduced: s.blocksProduced + 1,
        producedStateHashes: { ...s.producedStateHashes, [hash]: { node: event.node, height, slot } },
        blocksProducedBy: inc(s.blocksProducedBy, event.node),
        heights: { ...s.heights, [hash]: height },
        blockHeight: higher ? height : s.blockHeight,
        globalSlot: Math.max(s.globalSlot, slot),
        epoch: Math.max(s.epoch, num(d.epoch)),
        snarkedLedgersGenerated: s.snarkedLedgersGenerated + (d.snarked_ledger_generated === true ? 1 : 0),
      };
    }
    case "Transition_frontier_diff_application": {
      const tip = str(d.best_tip_changed);
      return tip ? { ...s, bestTips: { ...s.bestTips, [event.node]: tip } } : s;
    }
    case "Breadcrumb_added": {
      const stateHash = str(d.state_hash) ?? "";
      const commands = Array.isArray(d.user_commands) ? (d.user_commands as Record<string, unknown>[]) : [];
      if (commands.length === 0) return s;
      const included = { ...s.includedCommands };
      for (const command of commands) {
        const hash = str(command.hash);
        if (hash && !included[hash]) included[hash] = { hash, stateHash, node: event.node, status: str(command.status) ?? "applied", failure: command.failure };
      }
      return { ...s, includedCommands: included };
    }
    case "Block_gossip": {
      const hash = str(d.state_hash);
      if (d.direction === "Sent") return { ...s, gossip: { ...s.gossip, blocksSent: inc(s.gossip.blocksSent, event.node) } };
      if (!hash) return s;
      const mine = s.gossip.blocksReceived[event.node] ?? {};
      return { ...s, gossip: { ...s.gossip, blocksReceived: { ...s.gossip.blocksReceived, [event.node]: { ...mine, [hash]: true } } } };
    }
    case "Transactions_gossip": {
      if (d.direction === "Sent") return { ...s, gossip: { ...s.gossip, transactionsSent: inc(s.gossip.transactionsSent, event.node) } };
      const hashes = Array.isArray(d.hashes) ? (d.hashes as unknown[]).filter((h): h is string => typeof h === "string") : [];
      const mine = { ...(s.gossip.transactionsReceived[event.node] ?? {}) };
      for (const hash of hashes) mine[hash] = true;
      return { ...s, gossip: { ...s.gossip, transactionsReceived: { ...s.gossip.transactionsReceived, [event.node]: mine } } };
    }
    case "Snark_work_gossip":
      return d.direction === "Sent"
        ? { ...s, gossip: { ...s.gossip, snarkWorkSent: inc(s.gossip.snarkWorkSent, event.node) } }
        : { ...s, gossip: { ...s.gossip, snarkWorkReceived: inc(s.gossip.snarkWorkReceived, event.node) } };
    case "Snark_work_failed":
      return { ...s, snarkWorkFailed: s.snarkWorkFailed + 1 };
    case "Ledger_proof_emitted": {
      const hash = str(d.snarked_ledger_hash);
      if (!hash || s.ledgerProofHashes[hash]) return s;
      return { ...s, ledgerProofsEmitted: s.ledgerProofsEmitted + 1, ledgerProofHashes: { ...s.ledgerProofHashes, [hash]: true } };
    }
    case "Persisted_frontier_loaded":
      return { ...s, persistedFrontierLoaded: inc(s.persistedFrontierLoaded, event.node) };
    case "Bootstrap_required":
      return { ...s, bootstraps: inc(s.bootstraps, event.node) };
    case "Catchup_complete":
      return { ...s, catchups: inc(s.catchups, event.node) };
    case "Log_error": {
      const level = str(d.level) ?? "Error";
      const severity = d.severity === "soft" || d.severity === "hard" ? d.severity : level === "Warn" || level === "Faulty_peer" ? "soft" : "hard";
      const module = str(d.module);
      const metadata = typeof d.metadata === "object" && d.metadata !== null ? (d.metadata as Record<string, unknown>) : {};
      const message = `${level}${module ? ` (${module})` : ""}: ${interpolate(str(d.message) ?? "", metadata)}`;
      return { ...s, errors: [...s.errors, { node: event.node, severity, message, timestamp: event.timestamp }] };
    }
    case "Parse_error":
      return {
        ...s,
        parseErrors: s.parseErrors + 1,
        errors: [...s.errors, { node: event.node, severity: "soft", message: `unparsable log line: ${str(d.reason) ?? "unknown reason"}`, timestamp: event.timestamp }],
      };
    default:
      return s;
  }
}
