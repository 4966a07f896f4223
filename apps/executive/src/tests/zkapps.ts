import { MinaLocalError, USER_DEFAULT_PERMISSIONS, type PermissionsJson } from "@mina-local/engine";
import { signPayment, type AccountDetails } from "@mina-local/graphql-client";
import { defineTest, type TestContext, type TestNode } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { nodesToInitialize, zkappCommandToBeIncluded } from "../dsl/wait-conditions.js";
import type { NetworkState } from "../network-state.js";
import {
  DEFAULT_TOKEN,
  deriveTokenId,
  DUMMY_VERIFICATION_KEY,
  genKeys,
  mkAccountUpdateBody,
  mkForest,
  mkNode,
  mkSignedZkappCommand,
  NOOP_UPDATE,
  type Keypair,
  type UpdateJson,
} from "../zkapp/command-builder.js";
import { deploySnapp, randomField, randomProofPermissions, randomStateHash, singleAccountUpdate, updateStates } from "../zkapp/for-tests.js";

/**
 * Mina's zkapps.ml (src/app/test_executive/, develop 9f068b1c3b), section by section with its
 * names, every one a section_hard as there: fish1 deploys three zkApp accounts (verification
 * key, permissions, account creation fees); one of them sends a payment; fish2 sets their
 * permissions to Proof, after which the zkApp account's next payment is refused
 * (Fee_payer_not_permitted_to_send) and the ledger holds the new permissions; commands Mina's
 * pool refuses are refused with Mina's names (another chain's authorization, an insufficient
 * fee, an insufficient replace fee, an invalid nonce, insufficient funds, an invalid signature,
 * a fee payer not in the ledger); fish2 updates every field (app state, delegate, verification
 * key, permissions, zkApp URI, token symbol, voting-for; timing is kept: it cannot change on an
 * existing account) with proof authorizations; fish2's token is minted to a new account, a
 * second token (owned by fish2's account of the first) minted under it, and both transferred
 * between holders, all approved by the owner through the call forest; and the ledger, through
 * GraphQL `account`, is compatible with the update of every field.
 *
 * Differences (docs/tests.md): the proof-authorized updates carry Pickles' dummy proof and the
 * deployed key is Pickles' dummy verification key (the simulator verifies no proof: its proof
 * level is none, where Mina's verifier does not verify either); the other chain's command is
 * signed, not proved, for that chain, so Mina's verifier refuses it as Invalid_signature, not
 * Invalid_proof. Not ported: "Send a zkapp with an invalid proof" (its meaning is proof
 * verification), the padding payments, "Wait for proof to be emitted" and "Running replayer" (the
 * snark and archive-node ports check ledger proofs and archive data). The token waits count a
 * block from after the first token send (`since`, ours: Mina's event predicate relies on a third
 * daemon's Breadcrumb_added for a block that holds two of them). `broken` checks the ledger
 * against an update with another voting-for: it fails in "Verify zkApp transaction updates in
 * ledger".
 */
const config = {
  genesis_ledger: [
    { account_name: "node-a-key", balance: "8000000000" },
    { account_name: "node-b-key", balance: "1000000000" },
    { account_name: "fish1", balance: "3000" },
    { account_name: "fish2", balance: "3000" },
  ],
  block_producers: [
    { node_name: "node-a", account_name: "node-a-key" },
    { node_name: "node-b", account_name: "node-b-key" },
  ],
  k: 20,
  slots_per_epoch: 96,
  // Transaction_capacity.small (log_2 2), work_delay 1; 10 s slots (Mina's are 3 minutes): the
  // commands Mina's pool must compare with the pending "update all fields" command are sent
  // right after a block, within the slot, before a block can include it
  proof_config: { block_window_duration_ms: 10000, transaction_capacity_log_2: 2, work_delay: 1 },
};

/** Currency.Fee.max_int */
const FEE_MAX = 2n ** 64n - 1n;
/** Account.Nonce.max_value */
const NONCE_MAX = 2n ** 32n - 1n;
const MINA = 1_000_000_000n;

/** Test_common.send_invalid_zkapp: refused, with `substring` in the error. */
async function sendInvalidZkapp(node: TestNode, command: unknown, substring: string): Promise<void> {
  let message: string;
  try {
    const sent = await node.graphql.sendZkapp(command);
    throw new TestFailure(`ZkApp transaction succeeded, expected error "${substring}" (hash ${sent.hash})`, "hard", node.name);
  } catch (error) {
    if (!(error instanceof MinaLocalError)) throw error;
    message = error.message;
  }
  if (!message.includes(substring)) throw new TestFailure(`ZkApp transaction failed: ${message}, but expected "${substring}"`, "hard", node.name);
}

/** Test_common.get_account_update: the account's fields as an update that Sets each one (timing: Keep when the account is untimed). */
function ledgerUpdateOf(account: AccountDetails, node: string): UpdateJson {
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new TestFailure(`Expected ${what} in account ${account.publicKey}`, "hard", node);
    return value;
  };
  const timing = account.timing;
  const timed =
    timing.initialMinimumBalance !== undefined && timing.cliffTime !== undefined && timing.cliffAmount !== undefined && timing.vestingPeriod !== undefined && timing.vestingIncrement !== undefined;
  return {
    appState: need(account.zkappState, "zkApp account with an app state"),
    delegate: need(account.delegate, "delegate"),
    verificationKey: ((vk) => ({ data: vk.verificationKey, hash: vk.hash }))(need(account.verificationKey, "zkApp account with a verification key")),
    permissions: permissionsJsonOf(need(account.permissions, "permissions")),
    zkappUri: need(account.zkappUri, "zkApp URI"),
    tokenSymbol: need(account.tokenSymbol, "token symbol"),
    timing: timed
      ? {
          initialMinimumBalance: String(timing.initialMinimumBalance),
          cliffTime: String(timing.cliffTime),
          cliffAmount: String(timing.cliffAmount),
          vestingPeriod: String(timing.vestingPeriod),
          vestingIncrement: String(timing.vestingIncrement),
        }
      : null,
    votingFor: need(account.votingFor, "voting-for state hash"),
  };
}

function permissionsJsonOf(permissions: NonNullable<AccountDetails["permissions"]>): PermissionsJson {
  return { ...permissions, setVerificationKey: { auth: permissions.setVerificationKey.auth, txnVersion: String(permissions.setVerificationKey.txnVersion) } };
}

const permissionsEqual = (a: PermissionsJson, b: PermissionsJson) =>
  JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort()) && JSON.stringify(a.setVerificationKey) === JSON.stringify(b.setVerificationKey);

/** Test_common.compatible_updates: every field the request Sets is Set to the same value in the ledger (app state element-wise); Keep accepts anything. */
function incompatibleFields(ledger: UpdateJson, requested: UpdateJson): string[] {
  const differs: string[] = [];
  requested.appState.forEach((value, i) => {
    if (value !== null && (ledger.appState[i] === null || ledger.appState[i] === undefined || BigInt(value) !== BigInt(ledger.appState[i]))) differs.push(`appState[${i}]`);
  });
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (requested.delegate !== null && requested.delegate !== ledger.delegate) differs.push("delegate");
  if (
    requested.verificationKey !== null &&
    (ledger.verificationKey === null || requested.verificationKey.data !== ledger.verificationKey.data || BigInt(requested.verificationKey.hash) !== BigInt(ledger.verificationKey.hash))
  ) {
    differs.push("verificationKey");
  }
  if (requested.permissions !== null && (ledger.permissions === null || !permissionsEqual(requested.permissions, ledger.permissions))) differs.push("permissions");
  if (requested.zkappUri !== null && requested.zkappUri !== ledger.zkappUri) differs.push("zkappUri");
  if (requested.tokenSymbol !== null && requested.tokenSymbol !== ledger.tokenSymbol) differs.push("tokenSymbol");
  if (requested.timing !== null && !same(requested.timing, ledger.timing)) differs.push("timing");
  if (requested.votingFor !== null && requested.votingFor !== ledger.votingFor) differs.push("votingFor");
  return differs;
}

/**
 * zkapps.ml's four token commands (as transaction_snark/test/zkapp_tokens.ml): fish1 (the funder)
 * pays the fees with nonces 1 to 4; fish2 (the owner) pays each new token account's creation fee
 * from its MINA account and approves its token's updates as their parent (Parents_own_token).
 */
function tokenCommands(funder: Keypair, owner: Keypair, accountCreationFee: bigint) {
  const holders = [genKeys(), genKeys(), genKeys(), genKeys()] as const;
  const token = deriveTokenId(owner.publicKey, DEFAULT_TOKEN);
  const token2 = deriveTokenId(owner.publicKey, token);
  const ownerPays = (fees: bigint) => mkAccountUpdateBody(owner.publicKey, -fees * accountCreationFee);
  const approved = (key: Keypair, tokenId: string, change: bigint) => mkAccountUpdateBody(key.publicKey, change, { tokenId, mayUseToken: "Parents_own_token" });
  const command = (memo: string, fee: bigint, nonce: number, forest: ReturnType<typeof mkNode>[]) =>
    mkSignedZkappCommand({ memo, fee, feePayer: funder, feePayerNonce: nonce, accountUpdates: mkForest(forest), keys: [owner, ...holders] });
  return {
    mintToken: command("mint token", 12_000_000n, 1, [mkNode(ownerPays(1n), [mkNode(approved(holders[0], token, 10000n))])]),
    mintToken2: command("zkapp to mint token2", 11_500_000n, 2, [mkNode(ownerPays(2n), [mkNode(approved(owner, token, 0n), [mkNode(approved(holders[2], token2, 500n))])])]),
    // lower fee than minting
    tokenTransfer: command("zkapp for tokens transfer", 11_000_000n, 3, [
      mkNode(ownerPays(1n), [
        mkNode(approved(holders[0], token, -30n)),
        mkNode(approved(holders[1], token, 30n)),
        mkNode(mkAccountUpdateBody(funder.publicKey, -50n)),
        mkNode(mkAccountUpdateBody(funder.publicKey, 50n)),
      ]),
    ]),
    // lower fee than the first tokens transfer
    tokenTransfer2: command("zkapp for tokens transfer 2", 10_000_000n, 4, [
      mkNode(ownerPays(1n), [
        mkNode(approved(holders[1], token, -5n)),
        mkNode(approved(holders[0], token, 5n)),
        mkNode(approved(owner, token, 0n), [mkNode(approved(holders[2], token2, -210n)), mkNode(approved(holders[3], token2, 210n))]),
      ]),
    ]),
  };
}

async function accountOf(node: TestNode, publicKey: string): Promise<AccountDetails> {
  const account = await node.graphql.accountDetails(publicKey);
  if (!account) throw new TestFailure(`Could not get account ${publicKey} from ledger`, "hard", node.name);
  return account;
}

export function makeZkapps(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "zkapps",
    description: "zkApp accounts deployed, their permissions and every other field updated and found in the ledger; the commands Mina's pool refuses are refused with Mina's names",
    config,
    async run(t: TestContext) {
      await t.sectionHard("Wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
      const node = t.network.node("node-a");
      const { accountCreationFee } = await node.graphql.genesisConstants();
      const fish1 = t.network.account("fish1");
      const fish2 = t.network.account("fish2");
      const zkappKeypairs: Keypair[] = [genKeys(), genKeys(), genKeys()];
      const [singleZkappKeypair] = zkappKeypairs as [Keypair];

      const createAccounts = deploySnapp({ sender: fish1, nonce: 0, fee: 20_000_000n, amount: 10n * MINA, zkappAccounts: zkappKeypairs, memo: "Zkapp create account", accountCreationFee });
      const permissionsUpdated: PermissionsJson = {
        ...USER_DEFAULT_PERMISSIONS,
        editState: "Proof",
        editActionState: "Proof",
        setDelegate: "Proof",
        setVerificationKey: { auth: "Proof", txnVersion: USER_DEFAULT_PERMISSIONS.setVerificationKey.txnVersion },
        setPermissions: "Proof",
        setZkappUri: "Proof",
        setTokenSymbol: "Proof",
        setVotingFor: "Proof",
        setTiming: "Proof",
        send: "Proof",
      };
      // lower fee so that the create-accounts command gets applied first; set_permissions is Signature yet
      const updatePermissions = updateStates({
        sender: fish2,
        nonce: 0,
        fee: 10_000_000n,
        zkappAccounts: zkappKeypairs,
        memo: "Zkapp update permissions",
        update: { permissions: permissionsUpdated },
        currentAuth: "Signature",
      });

      const zkappUpdateAll: UpdateJson = {
        appState: Array.from({ length: 8 }, randomField),
        delegate: genKeys().publicKey,
        verificationKey: DUMMY_VERIFICATION_KEY,
        permissions: randomProofPermissions(),
        zkappUri: "https://www.minaprotocol.com",
        tokenSymbol: "SHEKEL",
        // timing can't be updated for an existing account
        timing: null,
        votingFor: randomStateHash(),
      };
      const updateAllSpec = { sender: fish2, nonce: 1, fee: 10_000_000n, zkappAccounts: zkappKeypairs, memo: "Zkapp update all", update: zkappUpdateAll, currentAuth: "Proof" as const };
      const updateAll = updateStates(updateAllSpec);
      const invalidNonce = updateStates({ ...updateAllSpec, nonce: NONCE_MAX });
      const insufficientFunds = updateStates({ ...updateAllSpec, fee: FEE_MAX });
      const insufficientReplaceFee = updateStates({ ...updateAllSpec, fee: 5_000_000n });
      const insufficientFee = updateStates({ ...updateAllSpec, fee: 1000n });
      const crossNetworkReplay = singleAccountUpdate({
        feePayer: fish2,
        nonce: 1,
        fee: 10_000_000n,
        zkappAccount: singleZkappKeypair,
        memo: "Zkapp update all",
        update: zkappUpdateAll,
        network: { custom: "Invalid" },
      });
      // the fee payer's nonce 2 with Signature.dummy (Field.one, Scalar.one) for its authorization
      const invalidSignature = ((command) => ({ ...command, feePayer: { body: { ...command.feePayer.body, nonce: "2" }, authorization: SIGNATURE_DUMMY } }))(
        updateAll as { feePayer: { body: Record<string, unknown> } },
      );
      const tokens = tokenCommands(fish1, fish2, accountCreationFee);
      const nonexistentFeePayer = updateStates({ sender: genKeys(), nonce: 0, fee: 10_000_000n, zkappAccounts: zkappKeypairs, memo: "Non-existent account", update: NOOP_UPDATE, currentAuth: "None" });

      const waitForZkapp = (hash: string, label: string, since?: NetworkState) =>
        // Mina's wait_for_zkapp: with_timeout ~soft_slots:4 (hard: twice that), has_failures false
        t.waitFor({ ...zkappCommandToBeIncluded(hash, { hasFailures: false, label, ...(since && { since }) }), softTimeout: { slots: 4 }, hardTimeout: { slots: 8 } });
      const sendZkapp = async (command: unknown) => (await node.graphql.sendZkapp(command)).hash;
      const paymentReceiver = genKeys().publicKey;
      const sendPaymentFromZkappAccount = (sender: Keypair, nonce: number) =>
        node.graphql.sendSignedPayment(...spread(signPayment(sender.privateKey, { from: sender.publicKey, to: paymentReceiver, amount: accountCreationFee, fee: 1_000_000n, nonce, memo: "" })));

      const createHash = await t.sectionHard("Send a zkApp transaction to create zkApp accounts", () => sendZkapp(createAccounts));
      await t.sectionHard("Wait for zkapp to create accounts to be included in transition frontier", () => waitForZkapp(createHash, "create zkApp accounts"));
      await t.sectionHard("Send a valid payment from zkApp account", async () => {
        await sendPaymentFromZkappAccount(singleZkappKeypair, 0);
      });
      const permissionsHash = await t.sectionHard("Send a zkApp transaction to update permissions", () => sendZkapp(updatePermissions));
      await t.sectionHard("Wait for zkApp transaction to update permissions to be included in transition frontier", () => waitForZkapp(permissionsHash, "update permissions"));
      await t.sectionHard("Send an invalid payment from zkApp account", async () => {
        const expected = "fee_payer_not_permitted_to_send";
        let message: string;
        try {
          const sent = await sendPaymentFromZkappAccount(singleZkappKeypair, 1);
          throw new TestFailure(`Payment transaction succeeded, expected error "${expected}" (hash ${sent.hash})`, "hard", node.name);
        } catch (error) {
          if (!(error instanceof MinaLocalError)) throw error;
          message = error.message.toLowerCase();
        }
        if (!message.includes(expected)) throw new TestFailure(`Payment failed: ${message}, but expected "${expected}"`, "hard", node.name);
      });
      await t.sectionHard("Verify that updated permissions are in ledger accounts", async () => {
        for (const { publicKey } of zkappKeypairs) {
          t.log.info({ account_id: publicKey }, "Verifying permissions for account $account_id");
          const ledgerPermissions = (await accountOf(node, publicKey)).permissions;
          if (!ledgerPermissions || !permissionsEqual(permissionsJsonOf(ledgerPermissions), permissionsUpdated)) {
            t.log.error({ ledger_permissions: ledgerPermissions, updated_permissions: permissionsUpdated }, "Ledger, updated permissions differ");
            throw new TestFailure(`Ledger permissions do not match update permissions (account ${publicKey})`, "hard", node.name);
          }
        }
      });
      await t.sectionHard("Send a zkapp with a different chain id", () => sendInvalidZkapp(node, crossNetworkReplay, "Invalid_signature"));
      await t.sectionHard("Send a zkapp with an insufficient fee", () => sendInvalidZkapp(node, insufficientFee, "Insufficient fee"));
      // won't be accepted until the previous transactions are applied
      const updateAllHash = await t.sectionHard("Send a zkApp transaction to update all fields", () => sendZkapp(updateAll));
      await t.sectionHard("Send a zkapp with an insufficient replace fee", () => sendInvalidZkapp(node, insufficientReplaceFee, "Insufficient_replace_fee"));
      await t.sectionHard("Send a zkApp transaction with an invalid nonce", () => sendInvalidZkapp(node, invalidNonce, "Invalid_nonce"));
      await t.sectionHard("Send a zkApp transaction with insufficient_funds, fee too high", () => sendInvalidZkapp(node, insufficientFunds, "Insufficient_funds"));
      await t.sectionHard("Send a zkApp transaction with an invalid signature", () => sendInvalidZkapp(node, invalidSignature, "Invalid_signature"));
      await t.sectionHard("Send a zkApp transaction with a nonexistent fee payer", () => sendInvalidZkapp(node, nonexistentFeePayer, "Fee_payer_account_not_found"));
      await t.sectionHard("Wait for zkApp transaction to update all fields to be included in transition frontier", () => waitForZkapp(updateAllHash, "update all fields"));
      const beforeTokens = t.state();
      const mintHash = await t.sectionHard("Send a zkApp transaction to mint token", () => sendZkapp(tokens.mintToken));
      const mint2Hash = await t.sectionHard("Send a zkApp transaction to mint 2nd token", () => sendZkapp(tokens.mintToken2));
      const transferHash = await t.sectionHard("Send a zkApp transaction to transfer tokens", () => sendZkapp(tokens.tokenTransfer));
      const transfer2Hash = await t.sectionHard("Send a zkApp transaction to transfer tokens (2)", () => sendZkapp(tokens.tokenTransfer2));
      await t.sectionHard("Wait for zkApp transaction to mint token", () => waitForZkapp(mintHash, "mint token", beforeTokens));
      await t.sectionHard("Wait for zkApp transaction to mint 2nd token", () => waitForZkapp(mint2Hash, "mint 2nd token", beforeTokens));
      await t.sectionHard("Wait for zkApp transaction to transfer tokens", () => waitForZkapp(transferHash, "transfer tokens", beforeTokens));
      await t.sectionHard("Wait for zkApp transaction to transfer tokens (2)", () => waitForZkapp(transfer2Hash, "transfer tokens (2)", beforeTokens));

      const requested = options.broken ? { ...zkappUpdateAll, votingFor: randomStateHash() } : zkappUpdateAll;
      await t.sectionHard("Verify zkApp transaction updates in ledger", async () => {
        for (const { publicKey } of zkappKeypairs) {
          t.log.info({ account_id: publicKey }, "Verifying updates for account $account_id");
          const ledgerUpdate = ledgerUpdateOf(await accountOf(node, publicKey), node.name);
          const differs = incompatibleFields(ledgerUpdate, requested);
          if (differs.length > 0) {
            t.log.error({ ledger_update: ledgerUpdate, requested_update: requested, fields: differs.join(", ") }, "Ledger update and requested update are incompatible");
            throw new TestFailure(`Ledger update and requested update are incompatible (account ${publicKey}: ${differs.join(", ")})`, "hard", node.name);
          }
          t.log.info({}, "Ledger update and requested update are compatible");
        }
      });
    },
  });
}

/** Signature.dummy (mina_base/signature.ml: Field.one, Inner_curve.Scalar.one) in base58, as o1js' Signature.toBase58({ r: 1n, s: 1n }) writes it. */
const SIGNATURE_DUMMY = "7mWxjLYgbJUkZNcGouvhVj5tJ8yu9hoexb9ntvPK8t5LHqzmrL6QJjjKtf5SgmxB4QWkDw7qoMMbbNGtHVpsbJHPyTy2EzRQ";

const spread = (signed: ReturnType<typeof signPayment>) => [signed.payment, signed.signature] as const;

export default makeZkapps();
