import { describePortedTests } from "./testing/ported-tests.js";

/**
 * Mina's zkapps test (zkapps.ml) through the CLI on the simulator network: it passes, and its
 * broken variant (test-fixtures/broken/zkapps.ts) fails in its checking section, "Verify zkApp
 * transaction updates in ledger", a section_hard as in Mina (hard error, the test stops). The
 * test and its broken variant run at the same time.
 */
describePortedTests({
  title: "Mina's zkapps test on the simulator",
  outputPrefix: "mina-local-tests-zkapps-",
  runTimeoutMs: 240_000,
  sections: {
    zkapps: [
      "Wait for nodes to initialize",
      "Send a zkApp transaction to create zkApp accounts",
      "Wait for zkapp to create accounts to be included in transition frontier",
      "Send a valid payment from zkApp account",
      "Send a zkApp transaction to update permissions",
      "Wait for zkApp transaction to update permissions to be included in transition frontier",
      "Send an invalid payment from zkApp account",
      "Verify that updated permissions are in ledger accounts",
      "Send a zkapp with a different chain id",
      "Send a zkapp with an insufficient fee",
      "Send a zkApp transaction to update all fields",
      "Send a zkapp with an insufficient replace fee",
      "Send a zkApp transaction with an invalid nonce",
      "Send a zkApp transaction with insufficient_funds, fee too high",
      "Send a zkApp transaction with an invalid signature",
      "Send a zkApp transaction with a nonexistent fee payer",
      "Wait for zkApp transaction to update all fields to be included in transition frontier",
      "Send a zkApp transaction to mint token",
      "Send a zkApp transaction to mint 2nd token",
      "Send a zkApp transaction to transfer tokens",
      "Send a zkApp transaction to transfer tokens (2)",
      "Wait for zkApp transaction to mint token",
      "Wait for zkApp transaction to mint 2nd token",
      "Wait for zkApp transaction to transfer tokens",
      "Wait for zkApp transaction to transfer tokens (2)",
      "Verify zkApp transaction updates in ledger",
    ],
  },
  checkingKind: { zkapps: "sectionHard" },
});
