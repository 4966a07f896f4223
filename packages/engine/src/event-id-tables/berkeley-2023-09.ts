import type { EventIdTable, StructuredEventRow } from "../event-ids.js";

/**
 * Mina develop of 2023-09-12 (commit 9f068b1c3b, the Berkeley-era line): every row read from
 * its declaring file at that commit (declaration, `msg`, and the `[%str_log <level>]` call that
 * logs it); which rows feed which executive event from src/lib/integration_test_lib/event_type.ml
 * at the same commit. Ids are Mina's (MD5 of `<declaredIn>.<constructor>`), recomputed by
 * event-id-tables.test.ts.
 */
const TF = "src/lib/transition_frontier/transition_frontier.ml";
const ROUTER = "src/lib/transition_router/transition_router.ml";
const NETWORKING = "src/lib/mina_networking/mina_networking.ml";
const MINA_LIB = "src/lib/mina_lib/mina_lib.ml";

const rows: StructuredEventRow[] = [
  // transition_router.ml:18-23, logged at info (lines 78, 122)
  {
    constructor: "Starting_transition_frontier_controller",
    declaredIn: ROUTER,
    id: "21ccae8c619bc2666474085272d5fe1d",
    message: "Starting transition frontier controller phase",
    level: "Info",
    feeds: { type: "Node_initialization" },
  },
  { constructor: "Starting_bootstrap_controller", declaredIn: ROUTER, id: "71ffcadd30ac8580104bbbccd7fb6b07", message: "Starting bootstrap controller phase", level: "Info" },
  // transition_frontier.ml:55-77; levels from the str_log calls at lines 218-456
  { constructor: "Applying_diffs", declaredIn: TF, id: "ef1182dc30f3e0aa9f6bf11c0ab90ba6", message: "Applying diffs: $diffs", level: "Trace", feeds: { type: "Transition_frontier_diff_application" } },
  {
    constructor: "Added_breadcrumb_user_commands",
    declaredIn: TF,
    id: "db06cb5030f39e86e84b30d033f3bc5c",
    message: "Added_breadcrumb_user_commands",
    level: "Trace",
    feeds: { type: "Breadcrumb_added" },
  },
  {
    constructor: "Transition_frontier_loaded_from_persistence",
    declaredIn: TF,
    id: "b5a89d6d616a35fb6f73d1eaad6b2dbd",
    message: "Transition_frontier_loaded_from_persistence",
    level: "Trace",
    feeds: { type: "Transition_frontier_loaded_from_persistence" },
  },
  {
    constructor: "Persisted_frontier_loaded",
    declaredIn: TF,
    id: "1c4150aa7058a3058c4d20ae90ff7ec3",
    message: "Persisted_frontier_loaded",
    level: "Trace",
    feeds: { type: "Persisted_frontier_loaded" },
  },
  {
    constructor: "Persisted_frontier_fresh_boot",
    declaredIn: TF,
    id: "f7254e63ad51092a0bd3078580ef9ce3",
    message: "Persistent frontier database does not exist",
    level: "Info",
    feeds: { type: "Persisted_frontier_fresh_boot" },
  },
  { constructor: "Bootstrap_required", declaredIn: TF, id: "30fe76cee159ea215fc05549e861501e", message: "Bootstrap required", level: "Info", feeds: { type: "Bootstrap_required" } },
  {
    constructor: "Persisted_frontier_dropped",
    declaredIn: TF,
    id: "74a81f1e2f8d548e4550faa136c68160",
    message: "Persistent frontier dropped",
    level: "Debug",
    feeds: { type: "Persisted_frontier_dropped" },
  },
  // block_producer.ml:19, logged at info when a block is produced (line 913; the trace call at 1397 is the precomputed-block path)
  {
    constructor: "Block_produced",
    declaredIn: "src/lib/block_producer/block_producer.ml",
    id: "64e2d3e86c37c09b15efdaf7470ce879",
    message: "Successfully produced a new block",
    level: "Info",
    feeds: { type: "Block_produced" },
  },
  // transition_handler/block_sink.ml:38-40, info when the daemon logs gossip it heard (log_gossip_heard), line 111
  {
    constructor: "Block_received",
    declaredIn: "src/lib/transition_handler/block_sink.ml",
    id: "60076de624bf0c5fc0843b875001cf84",
    message: "Received a block from $sender",
    level: "Info",
    feeds: { type: "Block_gossip", direction: "Received" },
  },
  // network_pool/snark_pool_diff.ml:162-174, inside functor Make, debug
  {
    constructor: "Snark_work_received",
    declaredIn: "src/lib/network_pool/snark_pool_diff.ml.Make",
    id: "27953f46376ba8abc0c61400e2c38f8b",
    message: "Received Snark-pool diff $work from $sender",
    level: "Debug",
    feeds: { type: "Snark_work_gossip", direction: "Received" },
  },
  // network_pool/transaction_pool.ml:1392-1404, Make0 . Resource_pool . Diff, debug
  {
    constructor: "Transactions_received",
    declaredIn: "src/lib/network_pool/transaction_pool.ml.Make0.Resource_pool.Diff",
    id: "b4b5f5b1d1a0c457cbd13a35d1c8b57b",
    message: "Received transaction-pool diff $txns from $sender",
    level: "Debug",
    feeds: { type: "Transactions_gossip", direction: "Received" },
  },
  // network_pool/transaction_pool.ml:183-189, logged at error (line 998)
  {
    constructor: "Rejecting_command_for_reason",
    declaredIn: "src/lib/network_pool/transaction_pool.ml",
    id: "e5cd93b1ece597eaf4543e554e7e65d1",
    message: "Rejecting command because: $reason",
    level: "Error",
  },
  // mina_networking.ml:14-28, all sent through log_gossip, [%str_log' trace] (line 1470)
  {
    constructor: "Gossip_new_state",
    declaredIn: NETWORKING,
    id: "2b4f8c8d8bc40e51e2d032dc43c45742",
    message: "Broadcasting new state over gossip net",
    level: "Trace",
    feeds: { type: "Block_gossip", direction: "Sent" },
  },
  {
    constructor: "Gossip_transaction_pool_diff",
    declaredIn: NETWORKING,
    id: "208db11514876b6a344987a502d6884e",
    message: "Broadcasting transaction pool diff over gossip net",
    level: "Trace",
    feeds: { type: "Transactions_gossip", direction: "Sent" },
  },
  {
    constructor: "Gossip_snark_pool_diff",
    declaredIn: NETWORKING,
    id: "922e82a3429b8eeb9405615531faaaf8",
    message: "Broadcasting snark pool diff over gossip net",
    level: "Trace",
    feeds: { type: "Snark_work_gossip", direction: "Sent" },
  },
  // snark_worker/snark_worker.ml:5-11, module Worker; logged at error by src/app/cli/src/init/mina_run.ml:516
  {
    constructor: "Generating_snark_work_failed",
    declaredIn: "src/lib/snark_worker/snark_worker.ml.Worker",
    id: "0fc65f5594c5e9ee0b6f0ddde747c758",
    message: "Failed to generate SNARK work: $error",
    level: "Error",
    feeds: { type: "Snark_work_failed" },
  },
  // snark_worker/functor.ml:41-58, info (lines 161, 218)
  { constructor: "Merge_snark_generated", declaredIn: "src/lib/snark_worker/functor.ml", id: "bcc5cf56ab582a129736e0906dea7cfa", message: "Merge SNARK generated in $time", level: "Info" },
  {
    constructor: "Base_snark_generated",
    declaredIn: "src/lib/snark_worker/functor.ml",
    id: "885328f9dca84fa1cfb99089080613d6",
    message: "Base SNARK generated in $time for $transaction_type transaction with $zkapp_command_count zkapp_command and $proof_zkapp_command_count proof zkapp_command",
    level: "Info",
  },
  // bootstrap_controller.ml:22, info (line 594)
  {
    constructor: "Bootstrap_complete",
    declaredIn: "src/lib/bootstrap_controller/bootstrap_controller.ml",
    id: "10211dce99574d1627cf3c577abeaef8",
    message: "Bootstrap state: complete.",
    level: "Info",
  },
  // mina_lib.ml:20-37, info (lines 499-523, 2086)
  { constructor: "Connecting", declaredIn: MINA_LIB, id: "b33df14370044a516f804ab21da1e040", message: "Mina daemon is connecting", level: "Info" },
  { constructor: "Listening", declaredIn: MINA_LIB, id: "7be38951573bdc2778b4edb3eeb5dbe8", message: "Mina daemon is listening", level: "Info" },
  { constructor: "Bootstrapping", declaredIn: MINA_LIB, id: "caeba1d8ced251138e39c58355587526", message: "Mina daemon is bootstrapping", level: "Info" },
  { constructor: "Ledger_catchup", declaredIn: MINA_LIB, id: "846106e2fdb13f36d0a597e099dd5f4b", message: "Mina daemon is doing ledger catchup", level: "Info" },
  { constructor: "Synced", declaredIn: MINA_LIB, id: "cb082b7eafe2a7ca2c6c1acba6664251", message: "Mina daemon is synced", level: "Info" },
  { constructor: "Rebroadcast_transition", declaredIn: MINA_LIB, id: "2ca90cb4875a68133de9952414d27519", message: "Rebroadcasting $state_hash", level: "Info" },
  // trust_system/peer_trust.ml:76-85, module Log_events, msg = ban_message (tmp_bans_are_disabled = false, line 5),
  // logged with [%str_log faulty_peer_without_punishment] (line 198)
  {
    constructor: "Peer_banned",
    declaredIn: "src/lib/trust_system/peer_trust.ml.Log_events",
    id: "4d3d3e37e0365f1dbc6d35fddafeb77d",
    message: "Banning peer $sender_id until $expiration due to $action",
    level: "Faulty_peer",
  },
];

export const BERKELEY_2023_09: EventIdTable = {
  name: "berkeley-2023-09",
  description: "Mina develop of 2023-09 (Berkeley-era, Mina 2.0.0 pre-releases and the berkeley testnet daemons of late 2023)",
  source: "github.com/MinaProtocol/mina develop at 9f068b1c3b (2023-09-12), mirrored as adonagy/mina",
  rows,
};
