import { describePortedTests } from "./testing/ported-tests.js";

/**
 * Mina's block-reward, block-production-priority, gossip-consistency, delegation, snark,
 * payments and zkapps-nonce tests through the CLI on the simulator network: each passes, and its
 * broken variant (test-fixtures/broken/<name>.ts) fails in the section that checks the broken
 * condition (its last, unless checkingSection names it), with the severity of Mina's source
 * (checkingKind). A test and its broken variant run at the same time.
 */
describePortedTests({
  title: "Mina's block-reward, block-production-priority, gossip-consistency, delegation, snark, payments and zkapps-nonce tests on the simulator",
  outputPrefix: "mina-local-tests-a-",
  runTimeoutMs: 300_000,
  sections: {
    "block-reward": [
      "wait for nodes to initialize",
      "send payments with fees from an account that produces no blocks",
      "wait for each producer to produce blocks",
      "check each producer's balance: genesis + Mina's coinbase and fees for every block it produced",
    ],
    "block-production-priority": [
      "wait for nodes to initialize",
      "wait for 3 blocks to be produced (warm-up)",
      "stop observer",
      "spawn transaction sending",
      "wait for payments to be processed",
      "checked produced blocks",
      "check metrics of tx receiver node",
      "retrieve metrics of tx sender nodes",
      "catchup observer",
    ],
    "gossip-consistency": [
      "wait for nodes to initialize",
      "send 3 payments from node-b to node-a",
      "wait for payments",
      "check the number of transactions seen in gossip",
      "check the consistency ratio of transactions seen by all nodes but node-b (threshold 0.95)",
    ],
    delegation: [
      "wait for nodes to initialize",
      "send a delegation to bp2 and wait for its inclusion",
      "check the new delegate through GraphQL",
      "check bp2 produces with the delegated stake, not before two epochs after the delegation's",
    ],
    snark: [
      "wait for nodes to initialize",
      "send payments so that there is transaction work to prove",
      "wait for ledger proofs to be emitted since genesis",
      "check the snark work was gossiped and the coordinator paid its fee",
    ],
    payments: [
      "wait for nodes to initialize",
      "send a single signed payment between 2 fish accounts",
      "check that the account balances are what we expect after the previous txn",
      "attempt to send again the same signed transaction command as before to conduct a replay attack. expecting a bad nonce",
      "attempt to send again the same signed transaction command as before, but changing the nonce, to conduct a replay attack.  expecting an Invalid_signature",
      "send a single payment from timed account using available liquid",
      "unable to send payment from timed account using illiquid tokens",
      "send out a bunch more txns to fill up the snark ledger, then wait for proofs to be emitted",
      "check account balances.  snark-node-key1 should be greater than or equal to the snark fee",
      "change snark worker key from snark-node-key1 to snark-node-key2",
      "change snark work fee from 0.0002 to 0.0001",
      "send out a bunch of txns to fill up the snark ledger, then wait for proofs to be emitted",
      "check account balances.  snark-node-key2 should be greater than or equal to the snark fee",
    ],
    "zkapps-nonce": [
      "wait for the first block producer to initialize",
      "send padding payments",
      "wait for the other nodes to initialize",
      "Send a zkapp commands with fee payer nonce increments and nonce preconditions",
      "Wait for fish1 zkapp command with failing nonce check to appear in transition frontier with failed status",
      "Wait for fish1 zkapp command with passing nonce check to be accepted into transition frontier",
      "Send zkapp commands with account updates for fish1 that sets send permission to Proof and then tries to send funds ",
      "Wait for fish1 zkapp command with set permission to be accepted by transition frontier",
      "Wait for fish1 zkapp command that tries to send funds with Signature",
      "Verify account update after the updated permission failed by checking account nonce",
      "Verify invalid zkapp commands are removed from transaction pool",
    ],
  },
  checkingSection: {
    "block-production-priority": "checked produced blocks",
    "gossip-consistency": "check the number of transactions seen in gossip",
    "zkapps-nonce": "Wait for fish1 zkapp command with failing nonce check to appear in transition frontier with failed status",
  },
  checkingKind: {
    "block-reward": "section",
    "block-production-priority": "section",
    // Mina checks outside any section, with soft errors: here in a sectionHard, the run ends with soft errors
    "gossip-consistency": "section",
    delegation: "section",
    snark: "sectionHard",
    // a section_hard in Mina, whose balance check is a soft error (Malleable_error.soft_error_format): the run ends with soft errors
    payments: "section",
    "zkapps-nonce": "sectionHard",
  },
});
