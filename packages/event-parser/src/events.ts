import type { LogLevel, MinaEventType, NodeEvent } from "@mina-local/engine";
import { MINA_EVENT_TYPES } from "@mina-local/engine";
import type * as S from "./schemas.js";

/** The forwarder's lifecycle lines: it takes the place of Mina's puppeteer. */
export const FORWARDER_EVENT_TYPES = ["Node_started", "Node_stopped", "Node_crashed"] as const;

/** The event types the parser produces: the bus subject's last token and `MinaEvent.type`. */
export const EVENT_TYPES = [...MINA_EVENT_TYPES, ...FORWARDER_EVENT_TYPES] as const;
export type EventType = MinaEventType | (typeof FORWARDER_EVENT_TYPES)[number];

/** A line at Warn or Faulty_peer (soft) or Error or Fatal (hard), as Mina's executive counts them. */
export interface LogErrorData {
  level: LogLevel;
  severity: "soft" | "hard";
  /** source.module; Mina leaves `source` out of some lines */
  module?: string;
  /** the message template as written, `$name` placeholders not interpolated */
  message: string;
  metadata: Record<string, unknown>;
}

type Empty = Record<string, never>;

export interface EventDataByType {
  Log_error: LogErrorData;
  Node_initialization: Empty;
  Node_offline: Empty;
  Transition_frontier_diff_application: S.TransitionFrontierDiffApplication;
  Block_produced: S.BlockProduced;
  Breadcrumb_added: S.BreadcrumbAdded;
  Block_gossip: S.BlockGossip;
  Snark_work_gossip: S.SnarkWorkGossip;
  Transactions_gossip: S.TransactionsGossip;
  Snark_work_failed: S.SnarkWorkFailed;
  Transition_frontier_loaded_from_persistence: Empty;
  Persisted_frontier_loaded: Empty;
  Persisted_frontier_fresh_boot: Empty;
  Persisted_frontier_dropped: Empty;
  Bootstrap_required: Empty;
  Node_started: S.NodeStarted;
  Node_stopped: S.NodeExit;
  Node_crashed: S.NodeExit;
}

/** A typed event: narrow on `type` to get its `data`. */
export type MinaEvent = { [K in EventType]: { type: K; data: EventDataByType[K] } }[EventType];

/** An event as published on the bus (`mina.<run>.event.<role>.<node>.<type>`). */
export type MinaNodeEvent = { [K in EventType]: NodeEvent<K, EventDataByType[K]> }[EventType];

/** What was wrong with a line the parser could not read. */
export type ParseProblem =
  /** starts like JSON but is not: cut off by the writer */
  | "truncated-json"
  /** starts like JSON but is not */
  | "malformed-json"
  /** JSON that is neither Mina's log line nor the puppeteer's */
  | "not-a-log-line"
  /** a known event id whose metadata does not decode as Mina decodes it */
  | "bad-payload"
  /** bytes that are not UTF-8 (the line was parsed with U+FFFD in their place) */
  | "invalid-utf8";

/** A line the parser could not read, published on `...<node>.Parse_error` so it is counted, not lost. */
export interface ParseErrorRecord {
  node: string;
  role: string;
  type: "Parse_error";
  timestamp: string;
  data: {
    problem: ParseProblem;
    reason: string;
    /** bad-payload: the executive event and the field that did not decode */
    event?: string;
    field?: string;
    raw: string;
    raw_length: number;
  };
}
