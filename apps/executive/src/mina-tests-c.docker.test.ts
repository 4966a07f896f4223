import { describePortedTests } from "./testing/ported-tests.js";

/**
 * Mina's slot-end and epoch-ledger tests through the CLI on the simulator network (the
 * runtime config's daemon.slot_tx_end / slot_chain_end and epoch_data): each passes, and its
 * broken variant (test-fixtures/broken/<name>.ts) fails in its checking section (its last),
 * with the severity of Mina's source (both are Mina `section`s: soft errors, the test goes on).
 * A test and its broken variant run at the same time.
 */
describePortedTests({
  title: "Mina's slot-end and epoch-ledger tests on the simulator",
  outputPrefix: "mina-local-tests-c-",
  runTimeoutMs: 240_000,
  sections: {
    "slot-end": [
      "wait for nodes to initialize",
      "spawn transaction sending",
      "wait until slot 35",
      "get the receiver's best chain",
      "blocks produced before slot_tx_end",
      "blocks produced after slot_tx_end",
      "blocks produced before slot_chain_end",
      "no blocks produced after slot_chain_end",
    ],
    "epoch-ledger": ["wait for nodes to initialize", "wait for 3 block to be produced"],
  },
  checkingKind: { "slot-end": "section", "epoch-ledger": "section" },
});
