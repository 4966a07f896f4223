/*
 * Applies a zkApp command to the simulator's ledger as Mina's transaction logic does, for the
 * subset the simulator supports: MINA and custom tokens (the token owner's approval through the
 * call forest, Token_owner_not_caller), signature authorizations (proofs are taken
 * as verified when the network's proof level is not `full`, as Mina's verifier does then),
 * balance changes, app state, permissions, verification key, zkApp URI, token symbol, delegate,
 * nonce increments, voting-for, events (no ledger effect) and actions (the action state), the
 * account preconditions on balance, nonce, state, action state, proved state, delegate and
 * is-new, the network preconditions on blockchain length and global slot, valid-while, and
 * account creation with its fee. Every rule names its place in Mina's
 * src/lib/transaction_logic/zkapp_command_logic.ml (develop 9f068b1c3b), cited as `logic.ml`.
 */
import type { Account } from "../ledger.js";
import { accountKey, DEFAULT_TOKEN_ID, isDefaultToken, minimumBalanceAt } from "../ledger.js";
import { USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import type { AuthRequired, PermissionsState, ZkappState } from "./account.js";
import {
  accountUpdateSignatureVerifies,
  consZkappCommandCommitment,
  deriveTokenId,
  emptyActionState,
  emptyReceiptChainHash,
  feePayerSignatureVerifies,
  pushActions,
  txnVersion,
  type TypedZkappCommand,
} from "./mina-logic.js";
import type { AccountUpdateJson, ZkappCommandJsonShape } from "./command.js";

export interface ZkappContext {
  globalSlot: number;
  blockchainLength: number;
  accountCreationFee: bigint;
}

/** Mina's Transaction_status: Applied, or Failed with one failure list per account update (index 0: the fee payer). */
export type ZkappStatus = { applied: true } | { applied: false; failures: string[][] };

export type ZkappApplyResult = { ok: true; status: ZkappStatus; fee: bigint } | { ok: false; error: string };

const FIELD_COUNT = 8;

type Commitments = { commitment: bigint; fullCommitment: bigint };

/**
 * The fee payer part is checked before the command can be in a block (a command whose fee payer
 * cannot pay, or whose nonce or signature is wrong, is invalid, not failed); the account updates
 * then apply all together or not at all (logic.ml: a failed command keeps only the fee payer's part).
 */
export function applyZkappCommand(ledger: Map<string, Account>, json: ZkappCommandJsonShape, typed: TypedZkappCommand, commitments: Commitments, ctx: ZkappContext): ZkappApplyResult {
  const paid = applyFeePayerPart(ledger, json, typed, commitments, ctx);
  if (!paid.ok) return paid;
  return { ok: true, status: applyAccountUpdatesPart(ledger, json, typed, commitments, ctx), fee: paid.fee };
}

/**
 * Mina's first pass (Transaction_logic.apply_transactions_first_pass, the staged ledger applies
 * it to all of a block's transactions before any second pass): the fee payer's update.
 */
export function applyFeePayerPart(
  ledger: Map<string, Account>,
  json: ZkappCommandJsonShape,
  typed: TypedZkappCommand,
  commitments: Commitments,
  ctx: ZkappContext,
): { ok: true; fee: bigint } | { ok: false; error: string } {
  const feePayerKey = json.feePayer.body.publicKey;
  const payer = ledger.get(feePayerKey);
  if (!payer) return { ok: false, error: `fee payer ${feePayerKey} is not in the ledger` };
  const fee = BigInt(json.feePayer.body.fee);
  const nonce = Number(json.feePayer.body.nonce);
  // logic.ml: the fee payer's nonce precondition is its nonce; it always increments it (Fee_payer_nonce_must_increase) and signs (Fee_payer_must_be_signed)
  if (payer.nonce !== nonce) return { ok: false, error: `nonce ${nonce} of the zkApp command is not the fee payer's nonce ${payer.nonce}` };
  if (json.feePayer.body.validUntil !== null && json.feePayer.body.validUntil !== undefined && Number(json.feePayer.body.validUntil) < ctx.globalSlot) {
    return { ok: false, error: `the zkApp command expired at slot ${json.feePayer.body.validUntil}` };
  }
  if (!feePayerSignatureVerifies(typed, commitments.fullCommitment)) return { ok: false, error: "the fee payer's signature does not verify (Invalid_signature)" };
  // logic.ml "Apply balance change" for the fee payer's update (is_start): paying the fee is a send, under its send permission
  if (!allows((payer.permissions ?? USER_DEFAULT_PERMISSIONS).send, false, true)) {
    return { ok: false, error: `the fee payer's send permission does not accept a signature (Update_not_permitted_balance)` };
  }
  if (payer.balance < fee) return { ok: false, error: `fee payer ${feePayerKey} cannot pay the fee ${fee}` };
  if (payer.balance - fee < minimumBalanceAt(payer.timing, ctx.globalSlot)) return { ok: false, error: `the fee would break the vesting schedule of ${feePayerKey}` };
  // logic.ml "Update receipt chain hash": the fee payer's update (index 0) is signed
  ledger.set(feePayerKey, { ...payer, balance: payer.balance - fee, nonce: payer.nonce + 1, ...consReceipt(payer, payer.nonce + 1, 0, commitments.fullCommitment) });
  return { ok: true, fee };
}

/** Mina's second pass (apply_transactions_second_pass): the account updates, all or none. */
export function applyAccountUpdatesPart(ledger: Map<string, Account>, json: ZkappCommandJsonShape, typed: TypedZkappCommand, commitments: Commitments, ctx: ZkappContext): ZkappStatus {
  const scratch = new Map(ledger);
  const failures: string[][] = [[]];
  let excess = 0n;
  const callers = callerIds(json.accountUpdates);
  json.accountUpdates.forEach((update, i) => {
    const typedUpdate = typed.accountUpdates[i];
    const signed = update.body.authorizationKind.isSigned;
    const signatureVerifies = signed && typedUpdate !== undefined && accountUpdateSignatureVerifies(typedUpdate, commitments);
    const result = applyAccountUpdate(scratch, update, i + 1, { signatureVerifies, callerId: callers[i] ?? DEFAULT_TOKEN_ID }, commitments.fullCommitment, ctx);
    failures.push(result.failures);
    excess += result.excessDelta;
  });
  // logic.ml: on the last account update the local excess must be zero (Invalid_fee_excess)
  if (excess !== 0n) failures[failures.length - 1]?.push("Invalid_fee_excess");
  if (failures.every((f) => f.length === 0)) {
    for (const [key, account] of scratch) ledger.set(key, account);
    return { applied: true };
  }
  // a failed command: every account update is marked Cancelled beside its own failures (Transaction_status.Failure.Cancelled)
  return { applied: false, failures: failures.map((f, i) => (i === 0 || f.length > 0 ? f : ["Cancelled"])) };
}

/**
 * Each account update's caller_id (logic.ml get_next_account_update): the token it may use. A
 * frame's caller is derive_token_id of the parent's account id and its caller_caller the
 * parent's own caller_id (the top level's are both the default token); Parents_own_token takes
 * the caller, Inherit_from_parent the caller_caller, No the default token. The parent of an
 * update is the nearest earlier one a call depth above it (command.ts checks the depths).
 */
export function callerIds(updates: readonly AccountUpdateJson[]): string[] {
  const callerIdOf: string[] = [];
  const parents: number[] = [];
  updates.forEach((update, i) => {
    const { callDepth, mayUseToken } = update.body;
    parents.length = callDepth;
    const parent = parents[callDepth - 1];
    const parentBody = parent === undefined ? undefined : updates[parent]?.body;
    // derived only for an update that takes it: a Poseidon hash each, on every block's replay
    const caller = () => (parentBody ? deriveTokenId(parentBody.publicKey, parentBody.tokenId) : DEFAULT_TOKEN_ID);
    const callerCaller = parent === undefined ? DEFAULT_TOKEN_ID : (callerIdOf[parent] ?? DEFAULT_TOKEN_ID);
    callerIdOf.push(mayUseToken.inheritFromParent ? callerCaller : mayUseToken.parentsOwnToken ? caller() : DEFAULT_TOKEN_ID);
    parents[callDepth] = i;
  });
  return callerIdOf;
}

/**
 * The account's receipt chain hash when the simulator knows it: Receipt.Chain_hash.empty for an
 * account that never sent, the one a zkApp command computed while no signed command came since
 * (the simulator does not hash signed command payloads into it). Undefined otherwise.
 */
export function knownReceiptChainHash(account: Account): bigint | undefined {
  if (account.receiptChainHash === undefined) return account.nonce === 0 ? emptyReceiptChainHash() : undefined;
  return account.receiptChainHashAtNonce === account.nonce ? BigInt(account.receiptChainHash) : undefined;
}

/** Receipt.Chain_hash.cons_zkapp_command_commitment on the known hash; an unknown one stays unknown. */
function consReceipt(account: Account, nonceAfter: number, index: number, fullCommitment: bigint): Pick<Account, "receiptChainHash" | "receiptChainHashAtNonce"> {
  const known = knownReceiptChainHash(account);
  if (known === undefined) return { receiptChainHash: undefined, receiptChainHashAtNonce: undefined };
  return { receiptChainHash: consZkappCommandCommitment(index, fullCommitment, known).toString(), receiptChainHashAtNonce: nonceAfter };
}

/** Controller.check (permissions.ml Auth_required.check): which authorizations satisfy a permission. */
function allows(auth: AuthRequired, proofVerifies: boolean, signatureVerifies: boolean): boolean {
  switch (auth) {
    case "None":
      return true;
    case "Impossible":
      return false;
    case "Signature":
      return signatureVerifies;
    case "Proof":
      return proofVerifies;
    case "Either":
      return signatureVerifies || proofVerifies;
  }
}

const inRange = (value: bigint, range: { lower: string; upper: string } | null | undefined) => !range || (value >= BigInt(range.lower) && value <= BigInt(range.upper));

function newZkapp(): ZkappState {
  const empty = emptyActionState().toString();
  return { appState: Array<string>(FIELD_COUNT).fill("0"), verificationKey: null, zkappVersion: "0", actionState: Array<string>(5).fill(empty), lastActionSlot: 0, provedState: false, zkappUri: "" };
}

function applyAccountUpdate(
  ledger: Map<string, Account>,
  update: AccountUpdateJson,
  index: number,
  authorization: { signatureVerifies: boolean; callerId: string },
  fullCommitment: bigint,
  ctx: ZkappContext,
): { failures: string[]; excessDelta: bigint } {
  const body = update.body;
  const { signatureVerifies, callerId } = authorization;
  const failures: string[] = [];
  const check = (ok: boolean, failure: string) => {
    if (!ok && !failures.includes(failure)) failures.push(failure);
  };
  const tokenIsDefault = isDefaultToken(body.tokenId);
  const key = accountKey(body.publicKey, body.tokenId);
  const existing = ledger.get(key);
  const isNew = existing === undefined;
  // logic.ml "token owner not caller": a custom token's update needs its owner as its caller
  check(tokenIsDefault || body.tokenId === callerId, "Token_owner_not_caller");
  // logic.ml: a new default-token account delegates to itself; Account.create gives another token's none
  let a: Account =
    existing ??
    (tokenIsDefault ? { publicKey: body.publicKey, balance: 0n, nonce: 0, delegate: body.publicKey } : { publicKey: body.publicKey, tokenId: body.tokenId, balance: 0n, nonce: 0, delegate: null });
  const permissions: PermissionsState = a.permissions ?? USER_DEFAULT_PERMISSIONS;
  // proofs: Mina's verifier checks them only at proof level full; sendZkapp refuses proofs there
  // (command.ts unsupportedPart), so a proof that reaches a block is one Mina would accept unchecked
  const proofVerifies = body.authorizationKind.isProved;
  const zkapp = a.zkapp;

  // logic.ml "Check account precondition" (Zkapp_precondition.Account.check): each field that is set
  const pre = body.preconditions.account;
  check(inRange(a.balance, pre.balance), "Account_balance_precondition_unsatisfied");
  check(inRange(BigInt(a.nonce), pre.nonce), "Account_nonce_precondition_unsatisfied");
  // an unknown receipt chain hash (see knownReceiptChainHash) satisfies no precondition on it
  check(pre.receiptChainHash === null || pre.receiptChainHash === undefined || BigInt(pre.receiptChainHash) === knownReceiptChainHash(a), "Account_receipt_chain_hash_precondition_unsatisfied");
  check(pre.delegate === null || pre.delegate === undefined || pre.delegate === a.delegate, "Account_delegate_precondition_unsatisfied");
  const state = zkapp?.appState ?? Array<string>(FIELD_COUNT).fill("0");
  (pre.state ?? []).forEach((expected, i) => check(expected === null || BigInt(expected) === BigInt(state[i] ?? "0"), `Account_app_state_${i}_precondition_unsatisfied`));
  const actionStates = zkapp?.actionState ?? newZkapp().actionState;
  check(pre.actionState === null || pre.actionState === undefined || actionStates.some((s) => BigInt(s) === BigInt(pre.actionState as string)), "Account_action_state_precondition_unsatisfied");
  check(pre.provedState === null || pre.provedState === undefined || pre.provedState === (zkapp?.provedState ?? false), "Account_proved_state_precondition_unsatisfied");
  check(pre.isNew === null || pre.isNew === undefined || pre.isNew === isNew, "Account_is_new_precondition_unsatisfied");
  // logic.ml: Protocol_state_precondition_unsatisfied, Valid_while_precondition_unsatisfied (the fields the simulator tracks; sendZkapp refuses the others)
  const network = body.preconditions.network;
  check(inRange(BigInt(ctx.blockchainLength), network.blockchainLength) && inRange(BigInt(ctx.globalSlot), network.globalSlotSinceGenesis), "Protocol_state_precondition_unsatisfied");
  check(inRange(BigInt(ctx.globalSlot), body.preconditions.validWhile), "Valid_while_precondition_unsatisfied");

  // logic.ml: Zkapp_command_replay_check_failed unless the update increments a constrained nonce, uses the full commitment, or is not signed
  const nonceConstant = pre.nonce !== null && pre.nonce !== undefined && pre.nonce.lower === pre.nonce.upper;
  check((body.incrementNonce && nonceConstant) || body.useFullCommitment || !signatureVerifies, "Zkapp_command_replay_check_failed");

  // logic.ml "Set account timing": set_timing permission
  if (body.update.timing !== null && body.update.timing !== undefined) {
    check(allows(permissions.setTiming, proofVerifies, signatureVerifies), "Update_not_permitted_timing");
    const t = body.update.timing;
    a = {
      ...a,
      timing: {
        initialMinimumBalance: BigInt(t.initialMinimumBalance),
        cliffTime: Number(t.cliffTime),
        cliffAmount: BigInt(t.cliffAmount),
        vestingPeriod: Number(t.vestingPeriod),
        vestingIncrement: BigInt(t.vestingIncrement),
      },
    };
  }

  // logic.ml "Compute the change to the account balance": a new account pays the creation fee from its balance change when implicit
  const magnitude = BigInt(body.balanceChange.magnitude);
  const balanceChange = body.balanceChange.sgn === "Negative" ? -magnitude : magnitude;
  const payCreationFee = isNew && body.implicitAccountCreationFee;
  // logic.ml: the implicit fee is paid in MINA, so only by a default-token update
  check(!body.implicitAccountCreationFee || tokenIsDefault, "Cannot_pay_creation_fee_in_token");
  const actualChange = payCreationFee ? balanceChange - ctx.accountCreationFee : balanceChange;
  check(!(payCreationFee && actualChange < 0n), "Amount_insufficient_to_create_account");
  // logic.ml "Apply balance change": Overflow when the balance would go below zero; receive or send permission
  const balance = a.balance + actualChange;
  check(balance >= 0n, "Overflow");
  check(actualChange === 0n || allows(actualChange > 0n ? permissions.receive : permissions.send, proofVerifies, signatureVerifies), "Update_not_permitted_balance");
  a = { ...a, balance: balance >= 0n ? balance : 0n };
  // logic.ml "Check timing with current balance": Source_minimum_balance_violation
  check(a.balance >= minimumBalanceAt(a.timing, ctx.globalSlot), "Source_minimum_balance_violation");
  // logic.ml: the access permission
  check(allows(permissions.access, proofVerifies, signatureVerifies), "Update_not_permitted_access");

  // logic.ml "Transform into a zkApp account", then the zkApp fields
  let z: ZkappState = zkapp ?? newZkapp();
  const appState = body.update.appState;
  if (appState.some((v) => v !== null)) {
    check(allows(permissions.editState, proofVerifies, signatureVerifies), "Update_not_permitted_app_state");
    // proved_state: true when a proof sets all 8 fields, false when anything else sets some (logic.ml "proved_state")
    const all = appState.every((v) => v !== null);
    z = { ...z, appState: z.appState.map((old, i) => appState[i] ?? old), provedState: proofVerifies && all ? true : proofVerifies ? z.provedState : false };
  }
  if (body.update.verificationKey !== null && body.update.verificationKey !== undefined) {
    // Mina 3.x: the permission's auth applies while its txnVersion is current, else it falls back to Signature (Permissions.Verification_key_perm)
    const vkAuth = Number(permissions.setVerificationKey.txnVersion) === txnVersion() ? permissions.setVerificationKey.auth : "Signature";
    check(allows(vkAuth, proofVerifies, signatureVerifies), "Update_not_permitted_verification_key");
    z = { ...z, verificationKey: { data: body.update.verificationKey.data, hash: body.update.verificationKey.hash }, zkappVersion: String(txnVersion()) };
  }
  if (body.actions.length > 0) {
    // logic.ml update_action_state: push onto s1; shift when the last action was in an earlier slot
    check(allows(permissions.editActionState, proofVerifies, signatureVerifies), "Update_not_permitted_action_state");
    const [s1, s2, s3, s4] = z.actionState.map((s) => BigInt(s)) as [bigint, bigint, bigint, bigint, bigint];
    const pushed = pushActions(
      s1,
      body.actions.map((action) => action.map((f) => BigInt(f))),
    );
    const thisSlot = z.lastActionSlot === ctx.globalSlot;
    const next = thisSlot ? [pushed, ...z.actionState.slice(1).map((s) => BigInt(s))] : [pushed, s1, s2, s3, s4];
    z = { ...z, actionState: next.map(String), lastActionSlot: ctx.globalSlot };
  }
  if (body.update.zkappUri !== null && body.update.zkappUri !== undefined) {
    check(allows(permissions.setZkappUri, proofVerifies, signatureVerifies), "Update_not_permitted_zkapp_uri");
    z = { ...z, zkappUri: body.update.zkappUri };
  }
  if (body.update.tokenSymbol !== null && body.update.tokenSymbol !== undefined) {
    check(allows(permissions.setTokenSymbol, proofVerifies, signatureVerifies), "Update_not_permitted_token_symbol");
    a = { ...a, tokenSymbol: body.update.tokenSymbol };
  }
  if (body.update.delegate !== null && body.update.delegate !== undefined) {
    // logic.ml "Update delegate": only accounts of the default token can delegate
    check(allows(permissions.setDelegate, proofVerifies, signatureVerifies) && tokenIsDefault, "Update_not_permitted_delegate");
    a = { ...a, delegate: body.update.delegate };
  }
  if (body.incrementNonce) {
    check(allows(permissions.incrementNonce, proofVerifies, signatureVerifies), "Update_not_permitted_nonce");
    a = { ...a, nonce: a.nonce + 1 };
  }
  if (body.update.votingFor !== null && body.update.votingFor !== undefined) {
    check(allows(permissions.setVotingFor, proofVerifies, signatureVerifies), "Update_not_permitted_voting_for");
    a = { ...a, votingFor: body.update.votingFor };
  }
  // logic.ml "Update receipt chain hash": when a signature or a proof verified, with the update's index
  if (signatureVerifies || proofVerifies) a = { ...a, ...consReceipt(a, a.nonce, index, fullCommitment) };
  // logic.ml "Finally, update permissions": last, so the checks above used the old ones
  if (body.update.permissions !== null && body.update.permissions !== undefined) {
    check(allows(permissions.setPermissions, proofVerifies, signatureVerifies), "Update_not_permitted_permissions");
    a = { ...a, permissions: body.update.permissions };
  }
  // Account.unmake_zkapp: an account whose zkApp fields are all default keeps none
  const touched = z !== (zkapp ?? undefined) && JSON.stringify(z) !== JSON.stringify(newZkapp());
  if (touched || zkapp) a = { ...a, zkapp: z };
  ledger.set(key, a);
  // logic.ml local_delta: the excess (MINA) takes the negated (requested) balance change of a
  // default-token update only; a new account of any token without the implicit fee pays its fee from it
  const excessDelta = (tokenIsDefault ? -balanceChange : 0n) - (isNew && !body.implicitAccountCreationFee ? ctx.accountCreationFee : 0n);
  return { failures, excessDelta };
}
