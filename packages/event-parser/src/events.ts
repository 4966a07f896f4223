import type { LogLevel, NodeEvent } from "@mina-local/engine";
import type * as S from "./schemas.js";

/** The event types the parser produces: the bus subject's last token and `MinaEvent.type`. */
export const EVENT_TYPES = [
  "Node_initialization",
  "Transition_frontier_diff_application",
  "Block_produced",
  "Breadcrumb_added",
  "Block_gossip",
  "Transactions_gossip",
  "Snark_work_gossip",
  "Snark_work_failed",
  "Persisted_frontier_loaded",
  "Bootstrap_required",
  "Bootstrap_complete",
  "Catchup_complete",
  "Ledger_proof_emitted",
  "Node_started",
  "Node_stopped",
  "Node_crashed",
  "Node_offline",
  "Log_error",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A line at Warn, Faulty_peer, Error or Fatal level. */
export interface LogErrorData {
  level: LogLevel;
  severity: "soft" | "hard";
  module: string;
  /** the message template as written, `$name` placeholders not interpolated */
  message: string;
  metadata: Record<string, unknown>;
}

export interface EventDataByType {
  Node_initialization: Record<string, never>;
  Transition_frontier_diff_application: S.TransitionFrontierDiffApplication;
  Block_produced: S.BlockProduced;
  Breadcrumb_added: S.BreadcrumbAdded;
  Block_gossip: S.BlockGossip;
  Transactions_gossip: S.TransactionsGossip;
  Snark_work_gossip: S.SnarkWorkGossip;
  Snark_work_failed: S.SnarkWorkFailed;
  Persisted_frontier_loaded: S.PersistedFrontierLoaded;
  Bootstrap_required: S.BootstrapRequired;
  Bootstrap_complete: S.BootstrapComplete;
  Catchup_complete: S.CatchupComplete;
  Ledger_proof_emitted: S.LedgerProofEmitted;
  Node_started: S.NodeStarted;
  Node_stopped: S.NodeExit;
  Node_crashed: S.NodeExit;
  Node_offline: Record<string, never>;
  Log_error: LogErrorData;
}

/** A typed event: narrow on `type` to get its `data`. */
export type MinaEvent = { [K in EventType]: { type: K; data: EventDataByType[K] } }[EventType];

/** An event as published on the bus (`mina.<run>.event.<role>.<node>.<type>`). */
export type MinaNodeEvent = { [K in EventType]: NodeEvent<K, EventDataByType[K]> }[EventType];

/** A line the parser could not read, published on `...<node>.Parse_error` so it is counted, not lost. */
export interface ParseErrorRecord {
  node: string;
  role: string;
  type: "Parse_error";
  timestamp: string;
  data: { reason: string; raw: string; raw_length: number };
}
