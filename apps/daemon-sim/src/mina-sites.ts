import type { LogLevel } from "@mina-local/engine";

/**
 * The places in Mina's sources that write the lines the simulator writes: Mina develop of
 * 2023-09-12, commit 9f068b1c3bdb328184c0c9af22a8a941d181304b (mirror adonagy/mina).
 *
 * A daemon's `source` is `{module: __MODULE__, location: __LOC__}` of the `[%log level]` /
 * `[%str_log level]` extension node (src/lib/ppx_mina/log.ml), so `location` is
 * `File "<path>", line <n>, characters <start>-<end>` where start..end spans the bracket, e.g.
 * `[%str_log info]` at column 20 is `characters 20-35` (checked against real lines of Mina's
 * issue tracker, e.g. #9417's Block_produced at `line 608, characters 20-35`). `__MODULE__` is
 * the module as dune names it: a library's main module by its name (`Transition_frontier`),
 * its other modules as `<Library>__<Module>` (`Transition_handler__Block_sink`).
 *
 * An event site names the event by `<declaredIn>.<constructor>` as Mina's id rule does; its
 * message and id come from the engine's event-id table. A line site carries Mina's message.
 */
export interface MinaSite {
  module: string;
  location: string;
  level: LogLevel;
}

export interface EventSite extends MinaSite {
  /** `<declaredIn>.<constructor>`, as `mina internal dump-structured-events` names it */
  event: string;
  /** the record fields of the constructor (dump-structured-events lists them) */
  arguments: readonly string[];
}

export interface LineSite extends MinaSite {
  message: string;
}

const at = (file: string, line: number, from: number, to: number) => `File "${file}", line ${line}, characters ${from}-${to}`;

const TF = "src/lib/transition_frontier/transition_frontier.ml";
const ROUTER = "src/lib/transition_router/transition_router.ml";
const MINA_LIB = "src/lib/mina_lib/mina_lib.ml";
const NETWORKING = "src/lib/mina_networking/mina_networking.ml";
const BLOCK_PRODUCER = "src/lib/block_producer/block_producer.ml";
const WORKER = "src/lib/snark_worker/functor.ml";

const event = (module: string, location: string, level: LogLevel, declaredIn: string, constructor: string, args: readonly string[] = []): EventSite => ({
  module,
  location,
  level,
  event: `${declaredIn}.${constructor}`,
  arguments: args,
});

const line = (module: string, location: string, level: LogLevel, message: string): LineSite => ({ module, location, level, message });

/** Structured events (ppx_register_event declarations and the `[%str_log]` calls that write them). */
export const EVENTS = {
  // transition_router.ml:18-23; logged at lines 78 and 122
  startingTransitionFrontierController: event("Transition_router", at(ROUTER, 78, 2, 17), "Info", ROUTER, "Starting_transition_frontier_controller"),
  startingBootstrapController: event("Transition_router", at(ROUTER, 122, 2, 17), "Info", ROUTER, "Starting_bootstrap_controller"),
  // bootstrap_controller.ml:22, line 594
  bootstrapComplete: event(
    "Bootstrap_controller",
    at("src/lib/bootstrap_controller/bootstrap_controller.ml", 594, 16, 31),
    "Info",
    "src/lib/bootstrap_controller/bootstrap_controller.ml",
    "Bootstrap_complete",
  ),
  // transition_frontier.ml:55-77; add_breadcrumb_exn (426, 456) and load_with_max_length (218-354)
  applyingDiffs: event("Transition_frontier", at(TF, 426, 2, 28), "Trace", TF, "Applying_diffs", ["diffs"]),
  addedBreadcrumbUserCommands: event("Transition_frontier", at(TF, 456, 2, 28), "Trace", TF, "Added_breadcrumb_user_commands"),
  persistedFrontierLoaded: event("Transition_frontier", at(TF, 232, 12, 28), "Trace", TF, "Persisted_frontier_loaded"),
  transitionFrontierLoadedFromPersistence: event("Transition_frontier", at(TF, 354, 10, 26), "Trace", TF, "Transition_frontier_loaded_from_persistence"),
  persistedFrontierFreshBoot: event("Transition_frontier", at(TF, 296, 6, 21), "Info", TF, "Persisted_frontier_fresh_boot"),
  /** reset_and_continue: the frontier instance is dropped before the database is reset */
  persistedFrontierDroppedOnReset: event("Transition_frontier", at(TF, 264, 8, 24), "Debug", TF, "Persisted_frontier_dropped"),
  /** a corrupt database is destroyed before the retry */
  persistedFrontierDroppedCorrupt: event("Transition_frontier", at(TF, 320, 8, 24), "Debug", TF, "Persisted_frontier_dropped"),
  // block_producer.ml:19, line 913
  blockProduced: event("Block_producer", at(BLOCK_PRODUCER, 913, 20, 35), "Info", BLOCK_PRODUCER, "Block_produced"),
  // transition_handler/block_sink.ml:38-40, line 111 (with log_gossip_heard.new_state, always true)
  blockReceived: event("Transition_handler__Block_sink", at("src/lib/transition_handler/block_sink.ml", 111, 8, 23), "Info", "src/lib/transition_handler/block_sink.ml", "Block_received", [
    "sender",
    "state_hash",
  ]),
  // network_pool/snark_pool_diff.ml:162-165 (functor Make), line 174 (with -log-snark-work-gossip true)
  snarkWorkReceived: event(
    "Network_pool__Snark_pool_diff",
    at("src/lib/network_pool/snark_pool_diff.ml", 174, 10, 26),
    "Debug",
    "src/lib/network_pool/snark_pool_diff.ml.Make",
    "Snark_work_received",
    ["sender", "work"],
  ),
  // network_pool/transaction_pool.ml:1392-1396 (Make0.Resource_pool.Diff), line 1403 (with -log-txn-pool-gossip true)
  transactionsReceived: event(
    "Network_pool__Transaction_pool",
    at("src/lib/network_pool/transaction_pool.ml", 1403, 10, 26),
    "Debug",
    "src/lib/network_pool/transaction_pool.ml.Make0.Resource_pool.Diff",
    "Transactions_received",
    ["sender", "txns"],
  ),
  // mina_networking.ml:14-28, all three written by log_gossip (line 1472)
  gossipNewState: event("Mina_networking", at(NETWORKING, 1472, 2, 26), "Trace", NETWORKING, "Gossip_new_state", ["state_hash"]),
  gossipTransactionPoolDiff: event("Mina_networking", at(NETWORKING, 1472, 2, 26), "Trace", NETWORKING, "Gossip_transaction_pool_diff", ["txns"]),
  gossipSnarkPoolDiff: event("Mina_networking", at(NETWORKING, 1472, 2, 26), "Trace", NETWORKING, "Gossip_snark_pool_diff", ["work"]),
  // Generating_snark_work_failed (snark_worker.ml, logged by the coordinator when a worker reports a proving
  // failure, mina_run.ml:516) is not here: the simulator's workers do not prove, so they never fail to
  // snark_worker/functor.ml:41-58; the worker logs them (lines 161, 218)
  mergeSnarkGenerated: event("Snark_worker__Functor", at(WORKER, 161, 12, 27), "Info", WORKER, "Merge_snark_generated", ["time"]),
  baseSnarkGenerated: event("Snark_worker__Functor", at(WORKER, 218, 12, 27), "Info", WORKER, "Base_snark_generated", ["proof_zkapp_command_count", "time", "transaction_type", "zkapp_command_count"]),
  // mina_lib.ml:20-33, the sync status observer (lines 499-523)
  connecting: event("Mina_lib", at(MINA_LIB, 499, 16, 31), "Info", MINA_LIB, "Connecting"),
  listening: event("Mina_lib", at(MINA_LIB, 502, 16, 31), "Info", MINA_LIB, "Listening"),
  bootstrapping: event("Mina_lib", at(MINA_LIB, 515, 18, 33), "Info", MINA_LIB, "Bootstrapping"),
  ledgerCatchup: event("Mina_lib", at(MINA_LIB, 520, 20, 35), "Info", MINA_LIB, "Ledger_catchup"),
  synced: event("Mina_lib", at(MINA_LIB, 523, 20, 35), "Info", MINA_LIB, "Synced"),
} as const satisfies Record<string, EventSite>;

/** Plain lines a daemon writes for the same things the simulator does. */
export const LINES = {
  // src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml:564 (metadata: commit, branch, commit_date, marlin_commit)
  bootingUp: line("Mina_cli_entrypoint", at("src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml", 564, 8, 19), "Info", "Mina daemon is booting up; built with commit $commit on branch $branch"),
  // mina_cli_entrypoint.ml:1463
  daemonReady: line("Mina_cli_entrypoint", at("src/app/cli/src/cli_entrypoint/mina_cli_entrypoint.ml", 1463, 9, 20), "Info", "Daemon ready. Clients can now connect"),
  // src/app/cli/src/init/mina_run.ml:586 ("Created %s at: http://localhost:%i/graphql", formatted)
  createdGraphqlServer: line("Init__Mina_run", at("src/app/cli/src/init/mina_run.ml", 586, 11, 22), "Info", "Created GraphQL server at: http://localhost:%i/graphql"),
  // transition_router.ml
  initializingTransitionRouter: line("Transition_router", at(ROUTER, 338, 2, 13), "Info", "Initializing transition router"),
  successfullyLoadedFrontier: line("Transition_router", at(ROUTER, 278, 6, 17), "Info", "Successfully loaded frontier"),
  bestTipTooNew: line("Transition_router", at(ROUTER, 379, 10, 21), "Info", "Network best tip is too new to catchup to (best_tip with $length); starting bootstrap"),
  bestTipRecentEnough: line(
    "Transition_router",
    at(ROUTER, 404, 12, 23),
    "Info",
    "Network best tip is recent enough to catchup to (best_tip with $length); syncing local state and starting participation",
  ),
  noBestTipFromNetwork: line("Transition_router", at(ROUTER, 416, 12, 23), "Info", "Successfully loaded frontier, but failed downloaded best tip from network"),
  startingBootstrapControllerPhase: line("Transition_router", at(ROUTER, 123, 2, 13), "Info", "Starting Bootstrap Controller phase"),
  // transition_frontier.ml
  genesisStateMismatch: line(
    "Transition_frontier",
    at(TF, 302, 6, 17),
    "Info",
    "Genesis state in persisted frontier $persisted_state_hash differs from the current genesis state $precomputed_state_hash",
  ),
  frontierDatabaseCorrupt: line("Transition_frontier", at(TF, 315, 6, 18), "Error", "Persistent frontier database is corrupt: %s"),
  destroyingOldFrontierDatabase: line("Transition_frontier", at(TF, 319, 8, 19), "Info", "destroying old persistent frontier database "),
  fastForwardSuccessful: line("Transition_frontier", at(TF, 119, 10, 21), "Info", "Fast forward successful"),
  closingTransitionFrontier: line("Transition_frontier", at(TF, 385, 2, 14), "Debug", "Closing transition frontier"),
  preApplyingDiffs: line("Transition_frontier", at(TF, 417, 2, 24), "Trace", "PRE: ($state_hash, $n)"),
  postApplyingDiffs: line("Transition_frontier", at(TF, 443, 2, 24), "Trace", "POST: ($state_hash, $n)"),
  // block_producer.ml
  waitingForBlock: line("Block_producer", at(BLOCK_PRODUCER, 939, 20, 32), "Debug", "Waiting for block $state_hash to be inserted into frontier"),
  // block_producer.ml's generate_next_state at MinaProtocol/mina 00afb34538 (metadata: the stop slot, here as a decimal string)
  reachedSlotChainEnd: line("Block_producer", at(BLOCK_PRODUCER, 96, 6, 17), "Info", "Reached slot_chain_end $slot_chain_end, not producing blocks"),
  reachedSlotTxEnd: line("Block_producer", at(BLOCK_PRODUCER, 135, 16, 27), "Info", "Reached slot_tx_end $slot_tx_end, producing empty block"),
  generatedTransitionAccepted: line("Block_producer", at(BLOCK_PRODUCER, 966, 24, 35), "Info", "Generated transition $state_hash was accepted into transition frontier"),
  // src/lib/vrf_evaluator/vrf_evaluator.ml:203 (metadata epoch, slot as ints)
  checkingVrfEvaluations: line("Vrf_evaluator", at("src/lib/vrf_evaluator/vrf_evaluator.ml", 203, 16, 27), "Info", "Checking VRF evaluations at epoch: $epoch, slot: $slot"),
  // src/lib/mina_lib/mina_subscriptions.ml:257 (-log-precomputed-blocks true)
  sawBlock: line("Mina_lib__Mina_subscriptions", at("src/lib/mina_lib/mina_subscriptions.ml", 257, 19, 30), "Info", "Saw block with state hash $state_hash"),
  // snark_worker/functor.ml (the worker)
  workerWorkingDirectory: line("Snark_worker__Functor", at(WORKER, 259, 8, 20), "Debug", "Snark worker working directory $dir"),
  workerUsingDaemon: line("Snark_worker__Functor", at(WORKER, 271, 6, 18), "Debug", "Snark worker using daemon $addr"),
  noJobsAvailable: line("Snark_worker__Functor", at(WORKER, 286, 10, 21), "Info", "No jobs available. Napping for $time seconds"),
  snarkWorkReceivedFromCoordinator: line("Snark_worker__Functor", at(WORKER, 291, 10, 21), "Info", "SNARK work $work_ids received from $address. Starting proof generation"),
  submittedSnarkWork: line("Snark_worker__Functor", at(WORKER, 322, 14, 25), "Info", "Submitted completed SNARK work $work_ids to $address"),
  workerTerminating: line("Snark_worker__Functor", at(WORKER, 379, 12, 23), "Info", "Received signal to terminate. Aborting snark worker process"),
} as const satisfies Record<string, LineSite>;

/**
 * The simulator's own lines (its transport, its persistence file, its peer table): no Mina
 * call site writes them, so their source names the simulator, not a Mina file.
 */
export function simulatorSite(file: string, level: LogLevel): MinaSite {
  return { module: "Mina_local_daemon_sim", location: `File "apps/daemon-sim/src/${file}", line 1, characters 0-0`, level };
}
