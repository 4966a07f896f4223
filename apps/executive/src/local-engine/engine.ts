import type { Engine } from "@mina-local/engine";
import type { LocalOptions } from "../cli-options.js";
import type { TestDefinition, TestNode } from "../dsl/define-test.js";
import type { ExecutiveLogger } from "../logger.js";
import type { StateEvent } from "../network-state.js";
import type { LocalNetwork } from "./local-network.js";
import { LocalLogEngine } from "./log-engine.js";
import { expandNetworkConfig, type ExpandFacts, type LocalNetworkConfig } from "./network-config.js";
import { LocalNetworkManager } from "./network-manager.js";
import type { LocalRun } from "./run-context.js";

/** Mina's `Network_config.expand` inputs for this engine: the test and the command line (`LocalOptions`, its `Cli_inputs`). */
export interface LocalExpandInput {
  test: TestDefinition;
  options: LocalOptions;
  /** the resolved image and the event-id table, as soon as each is known (a run that fails after still reports them) */
  learnt: ExpandFacts;
}

export interface LocalEngine extends Engine<LocalExpandInput, LocalNetworkConfig, TestNode, LocalNetwork, StateEvent> {
  createNetworkManager(config: LocalNetworkConfig): Promise<LocalNetworkManager>;
  createLogEngine(network: LocalNetwork): Promise<LocalLogEngine>;
}

/**
 * The local engine (Mina's `Engine.S` with `name = "local"`): Docker Swarm on this host, logs
 * through one FIFO into an embedded NATS bus. One value per run: its parts share the run's
 * directory, teardown and Network_state.
 */
export function localEngine(run: LocalRun, context: { logger: ExecutiveLogger; signal: AbortSignal }): LocalEngine {
  return {
    name: "local",
    networkConfig: { expand: ({ test, options, learnt }) => expandNetworkConfig(run, test, options, learnt) },
    createNetworkManager: (config) => LocalNetworkManager.create(run, config, context),
    createLogEngine: async () => LocalLogEngine.create(run.store),
  };
}
