import type { EventIdTable, StructuredEventRow } from "../event-ids.js";

/**
 * Mina mainnet 1.3.x (tag 1.3.1.2, commit 25388a0fed, 2022-10-26): every row read from its
 * declaring file at that tag; which rows feed which executive event from
 * src/lib/integration_test_lib/event_type.ml at the same tag. That event_type.ml has no
 * Snark_work_failed, no persistence events and no Bootstrap_required, and the daemon registers
 * none of them. Gossip is declared in mina_networking.ml (block_sink.ml and the pool functors
 * took it over later), hence other ids than berkeley-2023-09.
 */
const ROUTER = "src/lib/transition_router/transition_router.ml";
const TF = "src/lib/transition_frontier/transition_frontier.ml";
const NETWORKING = "src/lib/mina_networking/mina_networking.ml";
const MINA_LIB = "src/lib/mina_lib/mina_lib.ml";

const rows: StructuredEventRow[] = [
  // transition_router.ml:9-14, info (lines 62, 105)
  {
    constructor: "Starting_transition_frontier_controller",
    declaredIn: ROUTER,
    id: "21ccae8c619bc2666474085272d5fe1d",
    message: "Starting transition frontier controller phase",
    level: "Info",
    feeds: { type: "Node_initialization" },
  },
  { constructor: "Starting_bootstrap_controller", declaredIn: ROUTER, id: "71ffcadd30ac8580104bbbccd7fb6b07", message: "Starting bootstrap controller phase", level: "Info" },
  // transition_frontier.ml:44-50, trace (lines 342, 371)
  {
    constructor: "Added_breadcrumb_user_commands",
    declaredIn: TF,
    id: "db06cb5030f39e86e84b30d033f3bc5c",
    message: "Added_breadcrumb_user_commands",
    level: "Trace",
    feeds: { type: "Breadcrumb_added" },
  },
  { constructor: "Applying_diffs", declaredIn: TF, id: "ef1182dc30f3e0aa9f6bf11c0ab90ba6", message: "Applying diffs: $diffs", level: "Trace", feeds: { type: "Transition_frontier_diff_application" } },
  // block_producer.ml:10, info (line 799)
  {
    constructor: "Block_produced",
    declaredIn: "src/lib/block_producer/block_producer.ml",
    id: "64e2d3e86c37c09b15efdaf7470ce879",
    message: "Successfully produced a new block",
    level: "Info",
    feeds: { type: "Block_produced" },
  },
  // mina_networking.ml:14-48; received: info / debug / debug (lines 1510, 1530, 1539); sent: info for
  // Gossip_new_state (broadcast_state, line 1621), trace for the pool diffs (broadcast, line 1614)
  {
    constructor: "Block_received",
    declaredIn: NETWORKING,
    id: "b7fa8b10ff17b32b1aa2e2ef508ba811",
    message: "Received a block from $sender",
    level: "Info",
    feeds: { type: "Block_gossip", direction: "Received" },
  },
  {
    constructor: "Snark_work_received",
    declaredIn: NETWORKING,
    id: "5abd52461e14696da93c8cb12aa20d7e",
    message: "Received Snark-pool diff $work from $sender",
    level: "Debug",
    feeds: { type: "Snark_work_gossip", direction: "Received" },
  },
  {
    constructor: "Transactions_received",
    declaredIn: NETWORKING,
    id: "83ce0117c702f9427f51e8dcfa89ee58",
    message: "Received transaction-pool diff $txns from $sender",
    level: "Debug",
    feeds: { type: "Transactions_gossip", direction: "Received" },
  },
  {
    constructor: "Gossip_new_state",
    declaredIn: NETWORKING,
    id: "2b4f8c8d8bc40e51e2d032dc43c45742",
    message: "Broadcasting new state over gossip net",
    level: "Info",
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
  // network_pool/transaction_pool.ml:161, error (line 1282)
  {
    constructor: "Rejecting_command_for_reason",
    declaredIn: "src/lib/network_pool/transaction_pool.ml",
    id: "e5cd93b1ece597eaf4543e554e7e65d1",
    message: "Rejecting command because: $reason",
    level: "Error",
  },
  // snark_worker/functor.ml:5-32, info (lines 130, 135)
  { constructor: "Merge_snark_generated", declaredIn: "src/lib/snark_worker/functor.ml", id: "bcc5cf56ab582a129736e0906dea7cfa", message: "Merge SNARK generated in $time", level: "Info" },
  { constructor: "Base_snark_generated", declaredIn: "src/lib/snark_worker/functor.ml", id: "885328f9dca84fa1cfb99089080613d6", message: "Base SNARK generated in $time", level: "Info" },
  // bootstrap_controller.ml:11, info (line 551)
  {
    constructor: "Bootstrap_complete",
    declaredIn: "src/lib/bootstrap_controller/bootstrap_controller.ml",
    id: "10211dce99574d1627cf3c577abeaef8",
    message: "Bootstrap state: complete.",
    level: "Info",
  },
  // mina_lib.ml:18-35, info (lines 447-471, 1853)
  { constructor: "Connecting", declaredIn: MINA_LIB, id: "b33df14370044a516f804ab21da1e040", message: "Mina daemon is connecting", level: "Info" },
  { constructor: "Listening", declaredIn: MINA_LIB, id: "7be38951573bdc2778b4edb3eeb5dbe8", message: "Mina daemon is listening", level: "Info" },
  { constructor: "Bootstrapping", declaredIn: MINA_LIB, id: "caeba1d8ced251138e39c58355587526", message: "Mina daemon is bootstrapping", level: "Info" },
  { constructor: "Ledger_catchup", declaredIn: MINA_LIB, id: "846106e2fdb13f36d0a597e099dd5f4b", message: "Mina daemon is doing ledger catchup", level: "Info" },
  { constructor: "Synced", declaredIn: MINA_LIB, id: "cb082b7eafe2a7ca2c6c1acba6664251", message: "Mina daemon is synced", level: "Info" },
  { constructor: "Rebroadcast_transition", declaredIn: MINA_LIB, id: "2ca90cb4875a68133de9952414d27519", message: "Rebroadcasting $state_hash", level: "Info" },
  // syncable_ledger.ml:6, trace (line 655)
  {
    constructor: "Snarked_ledger_synced",
    declaredIn: "src/lib/syncable_ledger/syncable_ledger.ml",
    id: "51975e9bb4d823183da96fe7e4d8437e",
    message: "Snarked database sync'd. All done",
    level: "Trace",
  },
  // transition_frontier/extensions/best_tip_diff.ml:4-28, module T . Log_event, debug (line 114)
  {
    constructor: "New_best_tip_event",
    declaredIn: "src/lib/transition_frontier/extensions/best_tip_diff.ml.T.Log_event",
    id: "d5cd43b465d7dee8fa3413e5c7923698",
    message: "Formed a new best tip",
    level: "Debug",
  },
  // trust_system/peer_trust.ml:76-85, module Log_events (ban_message, tmp_bans_are_disabled = false), faulty_peer (line 188)
  {
    constructor: "Peer_banned",
    declaredIn: "src/lib/trust_system/peer_trust.ml.Log_events",
    id: "4d3d3e37e0365f1dbc6d35fddafeb77d",
    message: "Banning peer $sender_id until $expiration due to $action",
    level: "Faulty_peer",
  },
];

export const MAINNET_1_3: EventIdTable = {
  name: "mainnet-1.3",
  description: "Mina mainnet 1.3.x (1.3.0 to 1.3.2, the daemons of mainnet from 2022 until the Berkeley hard fork)",
  source: "github.com/MinaProtocol/mina tag 1.3.1.2 (commit 25388a0fed, 2022-10-26), mirrored as adonagy/mina",
  rows,
};
