import { MinaLocalError } from "./errors.js";
import type { GenesisConstants } from "./network-config.js";
import type { NodeRole } from "./roles.js";

/**
 * The TypeScript form of Mina's engine interface, `Intf.Engine` in
 * src/lib/testing/integration_test_lib/intf.ml (MinaProtocol/mina 47163c8c71, the newest;
 * develop 9f068b1c3b has the same Node operations, with `all_non_seed_pods` for
 * `all_non_seed_nodes` and `initialize_infra`). Each definition names the one of Mina's it
 * stands for. What Mina returns as `Malleable_error.t` is a promise here that rejects with a
 * `MinaLocalError` (a hard error); the DSL softens it inside a `section`, as Mina's does.
 *
 * An engine implements `Engine` (Mina's `Engine.S`); the DSL and the tests see only these
 * types, so a second engine (several hosts, say) plugs in without touching either.
 */

/** Mina's `Network_keypair.t` (keypair_name, public_key, private_key); the key-file password is the engine's. */
export interface NetworkKeypair {
  readonly keypairName: string;
  /** base58 "B62..." */
  readonly publicKey: string;
  /** base58 "EK..." */
  readonly privateKey: string;
}

/** How to reach a node's GraphQL from this host (Mina's `Uri.t` of `get_ingress_uri`), possibly through a unix socket. */
export interface GraphqlEndpoint {
  url: string;
  socketPath?: string;
}

/** Mina's `start ~fresh_state`: false keeps the node's chain state (config directory) across a stop. */
export interface StartOptions {
  freshState?: boolean;
}

/** What `dump_archive_data` wrote: Mina writes `~data_file`; an engine here also hands the SQL back. */
export interface ArchiveDump {
  /** host path of the dump */
  file: string;
  /** the dump itself (SQL, `pg_dump --create --no-owner`) */
  sql: string;
}

/** Mina's `Engine.Network_intf.Node`. */
export interface MinaNode {
  /** Mina's `Node.id`: the node's name in the network (`node-a`, `seed`, `archive-1`) */
  readonly name: string;
  /** which of Mina's maps (seeds, block_producers, snark_coordinators, archive_nodes) holds it; snark workers too */
  readonly role: NodeRole;
  /** Mina's `network_keypair`: the genesis key the node holds (block producers, snark coordinator), else undefined */
  networkKeypair(): NetworkKeypair | undefined;
  /** Mina's `start ~fresh_state` */
  start(options?: StartOptions): Promise<void>;
  /** Mina's `stop` */
  stop(): Promise<void>;
  /** Mina's `should_be_running`: true when `start` was called most recently (or the engine started it), false after `stop` */
  shouldBeRunning(): boolean;
  /** Mina's `get_ingress_uri`: the node's GraphQL endpoint reachable from the host */
  getIngressUri(): GraphqlEndpoint;
  /** Mina's `dump_archive_data ~data_file` (`pg_dump --create --no-owner`); an archive node only */
  dumpArchiveData(options?: { dataFile?: string }): Promise<ArchiveDump>;
  /** Mina's `run_replayer ?start_slot_since_genesis`: `mina-replayer` over the archive node's database; its output */
  runReplayer(options?: { startSlotSinceGenesis?: number }): Promise<string>;
  /** Mina's `dump_mina_logs ~log_file`: the node's JSON log lines, written to `logFile` on the host */
  dumpMinaLogs(options: { logFile: string }): Promise<void>;
  /** Mina's `dump_precomputed_blocks`: each precomputed block the node logged, as `<state_hash>.json` in `dir` (Mina: the working directory); the files written */
  dumpPrecomputedBlocks(options?: { dir?: string }): Promise<string[]>;
}

/**
 * Mina's `Engine.Network_intf`. Mina's maps by node id are lists here in the network's node
 * order (seeds first); `nodeExn` looks one up by id.
 */
export interface Network<N extends MinaNode = MinaNode> {
  readonly runId: string;
  /** Mina's `constants`, `constraint_constants` and `genesis_constants`, as the test config set them */
  readonly constants: GenesisConstants;
  /** Mina's `seeds` */
  readonly seeds: readonly N[];
  /** Mina's `all_non_seed_nodes` (`all_non_seed_pods` at 9f068b1c3b) */
  readonly allNonSeedNodes: readonly N[];
  /** Mina's `block_producers` */
  readonly blockProducers: readonly N[];
  /** Mina's `snark_coordinators` */
  readonly snarkCoordinators: readonly N[];
  /** the snark workers, which Mina's networks hold but its interface does not list (they never initialize) */
  readonly snarkWorkers: readonly N[];
  /** Mina's `archive_nodes` */
  readonly archiveNodes: readonly N[];
  /** Mina's `all_daemon_nodes`: every node that runs a daemon (not the archive nodes) */
  readonly allDaemonNodes: readonly N[];
  /** Mina's `all_nodes`: seeds, block producers, snark coordinators and archive nodes (kubernetes_network.ml), and here the snark workers */
  readonly allNodes: readonly N[];
  /** Mina's `node_exn`: fails naming the nodes there are */
  nodeExn(name: string): N;
  /** Mina's `block_producer_exn` */
  blockProducerExn(name: string): N;
  /** Mina's `genesis_keypairs`: every genesis account's key by account name */
  readonly genesisKeypairs: ReadonlyMap<string, NetworkKeypair>;
  /** Mina's `genesis_keypair_exn` */
  genesisKeypairExn(name: string): NetworkKeypair;
}

/**
 * Mina's `Engine.Network_config_intf`: `expand ~test_name ~cli_inputs ~debug ~images
 * ~test_config ~constants` turns a test (its name and config) and the command line (Mina's
 * `Cli_inputs.t`: each engine has its own flags) into what the engine deploys. `Input`
 * carries those; an engine may also resolve the images there (the local engine runs the
 * image once to learn its constants).
 */
export interface NetworkConfigExpander<Input, Config> {
  expand(input: Input): Promise<Config>;
}

/**
 * Mina's `Engine.Network_manager_intf`: `create` prepares everything of the network without
 * starting it, `deploy` starts it and hands back the `Network`, `destroy` removes what create
 * and deploy made (and waits until it is gone), `cleanup` removes what is left of the run once
 * nothing runs (Mina calls it on every exit).
 */
export interface NetworkManager<N extends MinaNode = MinaNode, Net extends Network<N> = Network<N>> {
  deploy(): Promise<Net>;
  /** what `destroy` could not remove, one line each (empty: nothing left) */
  destroy(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** One structured event of one node, as the log engine reads it (Mina's `Network.Node.t * Event_type.event`). */
export interface NodeEvent<TType extends string = string, TData = unknown> {
  node: string;
  role: NodeRole;
  /** Mina's event type name (`Node_initialization`, `Block_produced`, ...) */
  type: TType;
  /** the line's timestamp */
  timestamp: string;
  data: TData;
}

/** Mina's `Engine.Log_engine_intf`: created over a deployed network (`create ~network`), read through `event_reader`. */
export interface LogEngine<E extends NodeEvent = NodeEvent> {
  /** Mina's `event_reader`: every event from the log engine's creation on, in arrival order, until `destroy` (or `signal`) ends it */
  eventReader(signal?: AbortSignal): AsyncIterable<E>;
  /** Mina's `destroy`: ends every reader */
  destroy(): Promise<void>;
}

/** Mina's `Engine.S`: an engine's name (the test executive's subcommand) and its parts. */
export interface Engine<Input, Config, N extends MinaNode = MinaNode, Net extends Network<N> = Network<N>, E extends NodeEvent = NodeEvent> {
  /** Mina's `name`: `local` here, `cloud` for Mina's GKE engine */
  readonly name: string;
  /** Mina's `Network_config` */
  readonly networkConfig: NetworkConfigExpander<Input, Config>;
  /** Mina's `Network_manager.create ~logger network_config` */
  createNetworkManager(config: Config): Promise<NetworkManager<N, Net>>;
  /** Mina's `Log_engine.create ~logger ~network` */
  createLogEngine(network: Net): Promise<LogEngine<E>>;
}

/** Why an engine cannot do one of Mina's node operations: a typed error naming the operation, the engine and why. */
export class EngineOperationUnsupported extends MinaLocalError {
  readonly operation: string;
  readonly engine: string;

  constructor(engine: string, operation: string, why: string, options: { node?: string; hint?: string } = {}) {
    super("unsupported", `the ${engine} engine cannot ${operation}: ${why}`, { ...(options.node && { where: options.node }), ...(options.hint && { hint: options.hint }) });
    this.name = "EngineOperationUnsupported";
    this.operation = operation;
    this.engine = engine;
  }
}
