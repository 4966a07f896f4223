import type { GenesisConstants, NetworkAccount, NetworkConfig, NodeSpec } from "./network-config.js";
import type { NodeRole } from "./roles.js";

/**
 * The TypeScript form of Mina's `Intf.Engine.S`: what an engine provides to deploy,
 * watch and drive a network. The local engine (Docker Swarm) implements it in
 * apps/executive; tests are written against these interfaces only.
 */

/** How to reach a node's GraphQL: a URL, possibly through a unix socket on this host. */
export interface GraphqlEndpoint {
  url: string;
  socketPath?: string;
}

export interface StartOptions {
  /** drop the node's chain state before starting (Mina's `start ~fresh_state:true`) */
  freshState?: boolean;
}

export interface MinaNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly spec: NodeSpec;
  start(options?: StartOptions): Promise<void>;
  stop(): Promise<void>;
  graphqlEndpoint(): GraphqlEndpoint;
}

export interface Network {
  readonly runId: string;
  readonly config: NetworkConfig;
  readonly constants: GenesisConstants;
  seeds(): MinaNode[];
  blockProducers(): MinaNode[];
  snarkCoordinator(): MinaNode | undefined;
  snarkWorkers(): MinaNode[];
  archiveNodes(): MinaNode[];
  allNodes(): MinaNode[];
  node(name: string): MinaNode;
  account(name: string): NetworkAccount;
}

export interface NetworkManager {
  /** writes the run directory (compose file, runtime config, keys) without deploying */
  create(config: NetworkConfig): Promise<{ runDir: string }>;
  deploy(): Promise<Network>;
  /** removes everything of the run and waits until it is gone */
  destroy(): Promise<void>;
}

/** A typed event from one node, as the log engine delivers it. */
export interface NodeEvent<TType extends string = string, TData = unknown> {
  node: string;
  role: NodeRole;
  type: TType;
  /** the line's timestamp */
  timestamp: string;
  data: TData;
}

export interface LogEngine<E extends NodeEvent = NodeEvent> {
  /** every event from the start of the run onward (replayed from the bus), then live ones */
  events(signal?: AbortSignal): AsyncIterable<E>;
  waitFor<T extends E>(predicate: (event: E) => event is T, timeoutMs: number, what: string): Promise<T>;
  destroy(): Promise<void>;
}

export interface Engine<E extends NodeEvent = NodeEvent> {
  readonly name: string;
  networkManager(runId: string): NetworkManager;
  logEngine(network: Network): Promise<LogEngine<E>>;
}
