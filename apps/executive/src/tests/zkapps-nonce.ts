import { parseMina, USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import { defineTest } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { nodesToInitialize, zkappCommandToBeIncluded } from "../dsl/wait-conditions.js";
import { mkAccountUpdateBody, mkSignedZkappCommand } from "../zkapp/command-builder.js";

/**
 * Mina's zkapps_nonce_test.ml (src/app/test_executive/, develop 9f068b1c3b): zkApp commands of
 * one fee payer (fish1) whose account updates constrain or increment its nonce, then one that
 * sets its send permission to Proof. Two commands sent together land in one block, whose fee
 * payer parts apply before any account update (Mina's two passes): the first one's nonce
 * precondition fails, the second's passes; the permission change makes the next command's send
 * fail, and evicts from the pool a low-fee command that padding payments kept out of the blocks.
 * Not ported: the snark coordinator and its workers, the wait for two ledger proofs and the
 * archive replayer (the snark and archive-node ports check those). `broken` expects the first
 * command's nonce precondition to pass.
 */
const config = {
  genesis_ledger: [
    { account_name: "node-a-key", balance: "8000000000" },
    { account_name: "node-b-key", balance: "1000000" },
    { account_name: "fish1", balance: "3000" },
    { account_name: "fish2", balance: "3000" },
  ],
  block_producers: [
    { node_name: "node-a", account_name: "node-a-key" },
    { node_name: "node-b", account_name: "node-b-key" },
  ],
  k: 20,
  slots_per_epoch: 96,
  // Transaction_capacity.medium (log_2 3), work_delay 1; 10 s slots (the other ports use 1 s): two
  // commands sent one after the other must land in one block, as in Mina's test (3-minute slots)
  proof_config: { block_window_duration_ms: 10000, transaction_capacity_log_2: 3, work_delay: 1 },
};

/** Test_config.transactions_needed_for_ledger_proofs ~num_proofs:2 (test_config.ml): the padding Mina sends. */
function paddingPayments(): number {
  const capacity = 2 ** config.proof_config.transaction_capacity_log_2;
  const blocksForFirstProof = (config.proof_config.work_delay + 1) * (config.proof_config.transaction_capacity_log_2 + 1) + 1;
  const numProofs = 2;
  return blocksForFirstProof * capacity + capacity * (numProofs - 1);
}

export function makeZkappsNonce(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "zkapps-nonce",
    description: "zkApp commands with fee payer nonce increments and nonce preconditions land as Mina's two passes say; a send permission set to Proof fails the next send and evicts a pooled command",
    config,
    async run(t) {
      const [nodeA, nodeB] = t.network.blockProducers;
      if (!nodeA || !nodeB) throw new TestFailure("the test needs the block producers node-a and node-b");
      const fish1 = t.network.account("fish1");
      const wait = (hash: string, hasFailures: boolean, label: string) =>
        // Mina's wait_for_zkapp: with_timeout ~soft_slots:4 (hard: twice that)
        t.waitFor({ ...zkappCommandToBeIncluded(hash, { hasFailures, label }), softTimeout: { slots: 4 }, hardTimeout: { slots: 8 } });

      // outside any section in Mina (a hard error stops the test)
      await t.sectionHard("wait for the first block producer to initialize", () => t.waitFor(nodesToInitialize([nodeA.name])));
      await t.sectionHard("send padding payments", async () => {
        const from = nodeA.publicKey;
        const to = nodeB.publicKey;
        if (!from || !to) throw new TestFailure("the block producers hold no keys");
        for (let i = 0; i < paddingPayments(); i++) await nodeA.graphql.sendPayment({ from, to, amount: 1n, fee: parseMina("0.003") ?? 0n });
      });
      await t.sectionHard("wait for the other nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.filter((n) => n.name !== nodeA.name).map((n) => n.name))));

      const command = (memo: string, fee: bigint, feePayerNonce: number, accountUpdates: ReturnType<typeof mkAccountUpdateBody>[]) =>
        mkSignedZkappCommand({ memo, fee, feePayer: fish1, feePayerNonce, accountUpdates });
      const invalidNonce = command("invalid zkapp from fish1", 12_000_000n, 0, [mkAccountUpdateBody(fish1.publicKey, 0n, { nonce: 1 })]);
      const validNonce = command("valid zkapp from fish1", 12_000_000n, 1, [mkAccountUpdateBody(fish1.publicKey, 0n, { nonce: 2 })]);
      const setPermission = command("precondition zkapp from fish1", 12_000_000n, 2, [mkAccountUpdateBody(fish1.publicKey, 0n, { permissions: { ...USER_DEFAULT_PERMISSIONS, send: "Proof" } })]);
      const validFeeInvalidPermission = command("valid zkapp from fish1", 12_000_000n, 3, [
        mkAccountUpdateBody(fish1.publicKey, 1n, { incrementNonce: true }),
        mkAccountUpdateBody(fish1.publicKey, -1n),
      ]);
      const invalidFeeInvalidPermission = command("valid zkapp from fish1", 2_000_000n, 4, [mkAccountUpdateBody(fish1.publicKey, 0n)]);
      const send = async (commands: unknown[]) => {
        const hashes: string[] = [];
        for (const c of commands) hashes.push((await nodeA.graphql.sendZkapp(c)).hash);
        return hashes;
      };

      const [invalidNonceHash, validNonceHash] = await t.sectionHard("Send a zkapp commands with fee payer nonce increments and nonce preconditions", () => send([invalidNonce, validNonce]));
      await t.sectionHard("Wait for fish1 zkapp command with failing nonce check to appear in transition frontier with failed status", () =>
        wait(invalidNonceHash as string, !options.broken, "invalid nonce zkapp from fish1"),
      );
      await t.sectionHard("Wait for fish1 zkapp command with passing nonce check to be accepted into transition frontier", () => wait(validNonceHash as string, false, "valid zkapp from fish1"));
      const [setPermissionHash, validFeeHash] = await t.sectionHard("Send zkapp commands with account updates for fish1 that sets send permission to Proof and then tries to send funds ", () =>
        send([setPermission, validFeeInvalidPermission, invalidFeeInvalidPermission]),
      );
      await t.sectionHard("Wait for fish1 zkapp command with set permission to be accepted by transition frontier", () => wait(setPermissionHash as string, false, "set permission zkapp from fish1"));
      await t.sectionHard("Wait for fish1 zkapp command that tries to send funds with Signature", () => wait(validFeeHash as string, true, "send with Signature after send = Proof"));
      await t.sectionHard("Verify account update after the updated permission failed by checking account nonce", async () => {
        const account = await nodeA.graphql.accountDetails(fish1.publicKey);
        if (!account) throw new TestFailure(`node-a has no account ${fish1.publicKey}`, "hard", nodeA.name);
        t.assert((account.nonce ?? 0) <= 4, `Nonce value of fish1 does not match expected nonce (${String(account.nonce)} > 4)`, nodeA.name);
      });
      await t.sectionHard("Verify invalid zkapp commands are removed from transaction pool", async () => {
        const pooled = await nodeA.graphql.pooledZkappCommands(fish1.publicKey);
        t.assert(pooled.length === 0, `Transaction pool contains invalid zkapp commands after a block was produced: ${pooled.map((c) => c.hash).join(", ")}`, nodeA.name);
      });
    },
  });
}

export default makeZkappsNonce();
