import type { ArchiveDump, GenesisConstants, MinaNode, Network, NodeRole, StartOptions, TestConfigInput } from "@mina-local/engine";
import type { MinaClient } from "@mina-local/graphql-client";
import type { ModuleLogger } from "../logger.js";
import type { NetworkState } from "../network-state.js";
import type { TailLine } from "./line-tail.js";
import type { EventRouter } from "./event-router.js";
import type { WaitCondition } from "./wait-conditions.js";

export type { ArchiveDump };

/**
 * A node as a test sees it: the engine's node (Mina's `Network.Node`, in @mina-local/engine's
 * intf.ts) with its GraphQL client (Mina's `Graphql_requests` bound to `get_ingress_uri`).
 */
export interface TestNode extends MinaNode {
  readonly name: string;
  readonly role: NodeRole;
  /** the key the node holds (block producers, snark coordinator) */
  readonly publicKey: string | undefined;
  readonly graphql: MinaClient;
  start(options?: StartOptions): Promise<void>;
  stop(): Promise<void>;
  /**
   * Mina's `dump_archive_data`: `pg_dump --create --no-owner` of the archive node's database,
   * written to `dataFile` (default `<run dir>/archive/dumps/<node>.sql`). Fails for a node that is not an archive node.
   */
  dumpArchiveData(options?: { dataFile?: string }): Promise<ArchiveDump>;
}

export interface TestAccount {
  name: string;
  publicKey: string;
  privateKey: string;
  /** genesis balance, nanomina */
  balance: bigint;
}

/** The engine's network (Mina's `Network`) with the DSL's shorter names for what tests use most. */
export interface TestNetwork extends Network<TestNode> {
  readonly seeds: TestNode[];
  readonly blockProducers: TestNode[];
  readonly snarkCoordinator: TestNode | undefined;
  readonly snarkWorkers: TestNode[];
  readonly archiveNodes: TestNode[];
  /** every node but the archive nodes (Mina's `all_daemon_nodes`, as `allDaemonNodes`) */
  readonly all: TestNode[];
  readonly constants: GenesisConstants;
  /** Mina's `node_exn` (as `nodeExn`) */
  node(name: string): TestNode;
  /** Mina's `genesis_keypair_exn` (as `genesisKeypairExn`), with the account's genesis balance */
  account(name: string): TestAccount;
}

export interface LogExpectation {
  /** how long to wait for the line, from now (lines already seen count too) */
  withinMs: number;
}

export interface TestContext {
  readonly network: TestNetwork;
  readonly log: ModuleLogger;
  readonly signal: AbortSignal;
  /** the current Network_state (built from the bus's events) */
  state(): NetworkState;
  /**
   * Mina's `section` (dsl.ml: soften_error, then contextualize): a named part of the test whose
   * hard errors (a throw, a failed wait, a node's crash) become soft errors of the section, and
   * the test goes on. Like Mina's, it yields no value (its body may not have finished).
   */
  section(name: string, body: () => Promise<void>): Promise<void>;
  /** Mina's `section_hard` (contextualize): a hard error inside fails the section and stops the test */
  sectionHard<T>(name: string, body: () => Promise<T>): Promise<T>;
  /** Mina's Event_router: `on` an event type (on one node, or all), `await` the handler's value */
  readonly events: EventRouter;
  waitFor(condition: WaitCondition): Promise<void>;
  /** waits until `node` logs a line matching `pattern` (zombienet's "node logs line matching P within N seconds") */
  expectLogLine(node: string, pattern: RegExp, expectation: LogExpectation): Promise<TailLine>;
  /** lines seen at `level` so far (one node, or all) */
  logLineCount(level: string, node?: string): number;
  softError(message: string, node?: string): void;
  /** throws a hard error naming what was expected and what was found */
  assert(condition: boolean, message: string, node?: string): void;
  assertEqual<T>(actual: T, expected: T, what: string, node?: string): void;
}

export interface TestDefinition {
  name: string;
  /** one line: what the test checks */
  description: string;
  config: TestConfigInput;
  /** nodes not started at deploy (the test starts them) */
  startLater?: string[];
  run(t: TestContext): Promise<void>;
}

export function defineTest(definition: TestDefinition): TestDefinition {
  return definition;
}
