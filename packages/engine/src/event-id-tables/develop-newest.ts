import type { EventIdTable, StructuredEventRow } from "../event-ids.js";
import { BERKELEY_2023_09 } from "./berkeley-2023-09.js";

/**
 * The newest Mina develop we could establish, from the stored sources of github.com/MinaProtocol/mina
 * (read with the search tool; no single snapshot of the whole tree was available, so each fact names
 * the file version it was read from):
 * - src/lib/testing/integration_test_lib/event_type.ml at 89fcff354b: the executive names the same
 *   modules as in 2023-09 (Transition_router, Transition_frontier, Block_producer,
 *   Transition_handler.Block_sink, Network_pool.Snark_pool.Resource_pool.Diff,
 *   Network_pool.Transaction_pool.Resource_pool.Diff, Mina_networking) except Snark_work_failed, now
 *   `Snark_worker.Events`; Transactions_gossip reads `fee_payer_summaries`, Breadcrumb_added reads
 *   transaction hashes, Block_produced `curr_global_slot_since_hard_fork`.
 * - src/lib/snark_worker/events.ml at 12f1dd103c: Generating_snark_work_failed, Merge_snark_generated,
 *   Base_snark_generated (now `$elapsed ...`) and Sub_zkapp_snark_generated moved there (new ids).
 * - src/lib/mina_networking/mina_networking.ml at 0017d15f1d: the three Gossip_* events at top level,
 *   logged with [%str_log' trace]; Gossip_transaction_pool_diff carries fee_payer_summaries.
 * - src/lib/network_pool/transaction_pool.ml (newest stored version): Transactions_received still in
 *   Make0 . Resource_pool . Diff (same id), message "Received transaction-pool $fee_payer_summaries
 *   from $sender", debug.
 * Rows not listed above are the 2023-09 rows: their modules are the ones event_type.ml still names.
 */
const EVENTS = "src/lib/snark_worker/events.ml";

const replaced: Readonly<Record<string, Partial<Omit<StructuredEventRow, "constructor">>>> = {
  Transactions_received: { message: "Received transaction-pool $fee_payer_summaries from $sender" },
  Gossip_transaction_pool_diff: { message: "Broadcasting transaction pool diff $fee_payer_summaries over gossip net" },
  // level: still logged at error by the daemon's snark-work loop as in 2023-09 (mina_run.ml); the newest caller was not read
  Generating_snark_work_failed: { declaredIn: EVENTS, id: "b7aa566605a5380907caba07282b7a44" },
  Merge_snark_generated: { declaredIn: EVENTS, id: "5cb7d4a017f5efca7793168973153e55" },
  Base_snark_generated: {
    declaredIn: EVENTS,
    id: "5cffdf099ad92a9254b05a83376ea421",
    message: "Base SNARK generated in $elapsed for $transaction_type transaction with $zkapp_command_count zkapp_command and $proof_zkapp_command_count proof zkapp_command",
  },
};

const rows: StructuredEventRow[] = [
  ...BERKELEY_2023_09.rows.map((row) => ({ ...row, ...replaced[row.constructor] })),
  { constructor: "Sub_zkapp_snark_generated", declaredIn: EVENTS, id: "dc8c3f3c15be6032b982e932d8b8c425", message: "Subzkapp SNARK generated in $elapsed of kind $kind", level: "Info" },
];

export const DEVELOP_NEWEST: EventIdTable = {
  name: "develop-newest",
  description: "the newest Mina develop established from MinaProtocol/mina's sources (Snark_worker.Events era, after Berkeley); also the fallback for an image we cannot identify",
  source:
    "github.com/MinaProtocol/mina: integration_test_lib/event_type.ml at 89fcff354b, snark_worker/events.ml at 12f1dd103c, mina_networking.ml at 0017d15f1d, the newest stored transaction_pool.ml; other rows as berkeley-2023-09",
  rows,
};
