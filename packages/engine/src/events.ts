import { createHash } from "node:crypto";

/**
 * @deprecated Round 1's private event table: its ids are not Mina's. Use the per-release tables
 * of event-id-tables.ts (`eventIdTable`, `pickEventIdTable`). Kept until the other packages move over.
 */
export const STRUCTURED_EVENTS = {
  Node_initialization: { message: "Starting transition frontier controller phase" },
  Transition_frontier_diff_application: { message: "Applying diffs: $diffs" },
  Block_produced: { message: "Successfully produced a new block: $breadcrumb" },
  Breadcrumb_added: { message: "Added breadcrumb user commands" },
  Block_gossip: { message: "Received a block from $sender" },
  Block_gossip_sent: { message: "Broadcasting new state over gossip net" },
  Transactions_gossip: { message: "Received transaction-pool diff $txns from $sender" },
  Transactions_gossip_sent: { message: "Broadcasting transaction pool diff over gossip net" },
  Snark_work_gossip: { message: "Received Snark-pool diff $work from $sender" },
  Snark_work_gossip_sent: { message: "Broadcasting snark pool diff over gossip net" },
  Snark_work_failed: { message: "SNARK work failed: $error" },
  Persisted_frontier_loaded: { message: "Persisted frontier loaded" },
  Bootstrap_required: { message: "Bootstrap required" },
  Bootstrap_complete: { message: "Bootstrap state: complete" },
  Catchup_complete: { message: "Catchup complete: $count blocks" },
  Ledger_proof_emitted: { message: "Ledger proof emitted: $snarked_ledger_hash" },
} as const;

/** @deprecated see STRUCTURED_EVENTS */
export type StructuredEventName = keyof typeof STRUCTURED_EVENTS;

/** @deprecated see STRUCTURED_EVENTS */
export const STRUCTURED_EVENT_NAMES = Object.keys(STRUCTURED_EVENTS) as StructuredEventName[];

/** @deprecated not Mina's ids: use `eventIdTable(name).rows` or `minaEventId` */
export function eventIdOf(name: StructuredEventName): string {
  return createHash("md5").update(name).digest("hex");
}

const byId = new Map(STRUCTURED_EVENT_NAMES.map((name) => [eventIdOf(name), name]));

/** @deprecated not Mina's ids: use `rowOfEventId(table, id)` */
export function eventNameOfId(id: string): StructuredEventName | undefined {
  return byId.get(id);
}

/**
 * Events the log-forwarder writes about the daemon it supervises (Mina's puppeteer
 * events): `puppeteer_event_type` in the line's metadata.
 */
export const PUPPETEER_EVENTS = ["node_started", "node_stopped", "node_offline", "node_crashed"] as const;
export type PuppeteerEventName = (typeof PUPPETEER_EVENTS)[number];

/** Mina's log levels, lowest first (Logger.Level in src/lib/logger/logger.mli, develop 2023-09). */
export const LOG_LEVELS = ["Internal", "Spam", "Trace", "Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One line of Mina's structured log (src/lib/logger: `source` and `event_id` are left out when absent). */
export interface MinaLogLine {
  timestamp: string;
  level: LogLevel;
  source?: { module: string; location: string };
  message: string;
  metadata: Record<string, unknown>;
  event_id?: string | null;
}
