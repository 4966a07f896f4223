export { defineTest } from "./dsl/define-test.js";
export type { TestContext, TestDefinition, TestNetwork, TestNode, TestAccount } from "./dsl/define-test.js";
export type { TestConfigInput } from "@mina-local/engine";
export * from "./dsl/wait-conditions.js";
export { TestFailure } from "./dsl/errors.js";
export type { EventRouter, EventSubscription, HandlerResult } from "./dsl/event-router.js";
export { producerRewards, snapshotAccount } from "./dsl/ledger-accounting.js";
export type { NetworkState } from "./network-state.js";
export { EXIT_CODES, type Outcome, type TestReport } from "./report/model.js";
