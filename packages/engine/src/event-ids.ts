import { createHash } from "node:crypto";
import type { LogLevel } from "./events.js";

/**
 * Mina's structured event ids, per Mina release line.
 *
 * Mina registers a structured event with `[@@deriving register_event]` on a constructor of
 * `Structured_log_events.t` (src/lib/ppx_register_event/register_event.ml). The ppx gets the
 * code path of the declaration (the source file's path from the repository root, then the
 * enclosing named modules, a functor by its own name) and sets
 * `event_id = Md5.to_hex (Md5.digest_string (path ^ "." ^ ctor))`. With no `msg` the message
 * is the constructor's name, followed by ` {field=$field; ...}` when it takes a record.
 * An id therefore changes when Mina moves a file or a module: the engine keeps one table per
 * release line and takes the daemon's own list when it can (`mina internal
 * dump-structured-events`, src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml).
 */

/** The 15 events of Mina's event_type.ml (newest), the test executive's vocabulary. */
export const MINA_EVENT_TYPES = [
  "Log_error",
  "Node_initialization",
  "Node_offline",
  "Transition_frontier_diff_application",
  "Block_produced",
  "Breadcrumb_added",
  "Block_gossip",
  "Snark_work_gossip",
  "Transactions_gossip",
  "Snark_work_failed",
  "Transition_frontier_loaded_from_persistence",
  "Persisted_frontier_loaded",
  "Persisted_frontier_fresh_boot",
  "Persisted_frontier_dropped",
  "Bootstrap_required",
] as const;
export type MinaEventType = (typeof MINA_EVENT_TYPES)[number];

export type GossipDirection = "Received" | "Sent";

/** One structured event a Mina daemon registers (ppx_register_event). */
export interface StructuredEventRow {
  /** the OCaml constructor, e.g. "Block_produced", "Block_received", "Gossip_new_state" */
  constructor: string;
  /** file path from the repo root, then the enclosing named modules, dot-joined, WITHOUT the
   *  constructor, e.g. "src/lib/network_pool/snark_pool_diff.ml.Make" */
  declaredIn: string;
  /** lowercase hex MD5 of `${declaredIn}.${constructor}` (a unit test recomputes every row) */
  id: string;
  /** Mina's message template (the constructor's name when the declaration gives no msg) */
  message: string;
  /** the level Mina logs it at */
  level: LogLevel;
  /** the executive event it feeds, if any; gossip rows also say the direction */
  feeds?: { type: MinaEventType; direction?: GossipDirection };
}

export interface EventIdTable {
  /** "mainnet-1.3", "berkeley-2023-09", "develop-2025-...", "dump:<image>", "file:<path>" */
  name: string;
  /** the Mina versions it stands for, in words */
  description: string;
  /** where its rows were read: repo + tag/commit */
  source: string;
  rows: readonly StructuredEventRow[];
}

/** Mina's id rule: lowercase hex MD5 of `<declaredIn>.<constructor>`. */
export function minaEventId(declaredIn: string, constructor: string): string {
  return createHash("md5").update(`${declaredIn}.${constructor}`).digest("hex");
}

/** The row a table holds for an id, if any. Tables are small: a linear scan is not worth indexing
 *  here; the parser builds its own index once per table. */
export function rowOfEventId(table: EventIdTable, id: string): StructuredEventRow | undefined {
  return table.rows.find((row) => row.id === id);
}

/** The row that feeds an executive event type (and direction, for gossip), if the table has one. */
export function rowFeeding(table: EventIdTable, type: MinaEventType, direction?: GossipDirection): StructuredEventRow | undefined {
  return table.rows.find((row) => row.feeds?.type === type && (direction === undefined || row.feeds.direction === direction));
}
