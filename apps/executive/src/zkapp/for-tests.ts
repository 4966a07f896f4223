/*
 * Transaction_snark.For_tests (src/lib/transaction_snark/transaction_snark.ml, develop
 * 9f068b1c3b): the zkApp commands Mina's zkapps test builds with deploy_snapp, update_states and
 * single_account_update, from create_zkapp_command's shapes. Mina proves its proof-authorized
 * updates with its trivial test circuit; here they carry Pickles' dummy proof
 * (command-builder.ts DUMMY_PROOF) and deploy Pickles' dummy verification key: the simulator
 * verifies no proof (at proof level check or none Mina's verifier does not either).
 */
import { USER_DEFAULT_PERMISSIONS, type AuthRequired, type PermissionsJson } from "@mina-local/engine";
import { o1jsModule } from "./o1js.js";
import { DUMMY_VERIFICATION_KEY, mkAccountUpdateBody, mkSignedZkappCommand, NOOP_UPDATE, type AuthorizationKind, type Keypair, type Network, type UpdateJson } from "./command-builder.js";

/** deploy_snapp's default permissions: user_default with edit_state and edit_action_state Proof. */
export const DEPLOY_PERMISSIONS: PermissionsJson = { ...USER_DEFAULT_PERMISSIONS, editState: "Proof", editActionState: "Proof" };

/**
 * deploy_snapp (Signature authorization, new zkApp accounts): the sender pays `amount`; the
 * first zkApp account gets what is left after one account creation fee per account (the
 * "zeroing allotment"), so the fees come out of the excess; each account gets the verification
 * key and DEPLOY_PERMISSIONS, signed by its own key.
 */
export function deploySnapp(spec: { sender: Keypair; nonce: number; fee: bigint; amount: bigint; zkappAccounts: Keypair[]; memo: string; accountCreationFee: bigint }): unknown {
  const allotment = spec.amount - spec.accountCreationFee * BigInt(spec.zkappAccounts.length);
  if (allotment < 0n) throw new Error(`deploy_snapp: ${spec.amount} does not pay ${spec.zkappAccounts.length} account creation fees of ${spec.accountCreationFee}`);
  const update: Partial<UpdateJson> = { verificationKey: DUMMY_VERIFICATION_KEY, permissions: DEPLOY_PERMISSIONS };
  return mkSignedZkappCommand({
    memo: spec.memo,
    fee: spec.fee,
    feePayer: spec.sender,
    feePayerNonce: spec.nonce,
    accountUpdates: [mkAccountUpdateBody(spec.sender.publicKey, -spec.amount), ...spec.zkappAccounts.map((k, i) => mkAccountUpdateBody(k.publicKey, i === 0 ? allotment : 0n, { update }))],
    keys: spec.zkappAccounts,
  });
}

/** Update_states_spec's authorization_kind of current_auth: None -> None_given, Proof -> Proof (the vk hash), else Signature. */
function authorizationOf(currentAuth: AuthRequired): AuthorizationKind {
  return currentAuth === "None" ? "None_given" : currentAuth === "Proof" ? { proof: DUMMY_VERIFICATION_KEY.hash } : "Signature";
}

/**
 * update_states with no receivers and no new account: no sender update; one update per zkApp
 * account, balance unchanged, authorized as `currentAuth` says (Signature: by the account's key).
 */
export function updateStates(spec: { sender: Keypair; nonce: number | bigint; fee: bigint; zkappAccounts: Keypair[]; memo: string; update: Partial<UpdateJson>; currentAuth: AuthRequired }): unknown {
  const authorization = authorizationOf(spec.currentAuth);
  return mkSignedZkappCommand({
    memo: spec.memo,
    fee: spec.fee,
    feePayer: spec.sender,
    feePayerNonce: spec.nonce,
    accountUpdates: spec.zkappAccounts.map((k) => mkAccountUpdateBody(k.publicKey, 0n, { update: { ...NOOP_UPDATE, ...spec.update }, authorization })),
    keys: authorization === "Signature" ? spec.zkappAccounts : [],
  });
}

/**
 * single_account_update ~chain: one update of the zkApp account, authorized for another chain.
 * Mina proves it for that chain; here it is signed for that network (Mina_signature_kind
 * Other_network), which Mina's verifier refuses at every proof level.
 */
export function singleAccountUpdate(spec: { feePayer: Keypair; nonce: number; fee: bigint; zkappAccount: Keypair; memo: string; update: Partial<UpdateJson>; network: Network }): unknown {
  return mkSignedZkappCommand({
    memo: spec.memo,
    fee: spec.fee,
    feePayer: spec.feePayer,
    feePayerNonce: spec.nonce,
    accountUpdates: [mkAccountUpdateBody(spec.zkappAccount.publicKey, 0n, { update: { ...NOOP_UPDATE, ...spec.update } })],
    keys: [spec.zkappAccount],
    updatesNetwork: spec.network,
  });
}

/** The base field's modulus (Pasta Fp, Mina's Snark_params.Tick.Field). */
const FIELD_MODULUS = 0x40000000000000000000000000000000224698fc094cf91b992d30ed00000001n;

/** Snark_params.Tick.Field.gen: a random field element, decimal. */
export function randomField(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (BigInt(`0x${Buffer.from(bytes).toString("hex")}`) % FIELD_MODULUS).toString();
}

const base58 = await o1jsModule<{ fieldEncodings(field: unknown): { StateHash: { toBase58(hash: bigint): string } } }>("dist/node/lib/util/base58.js");
const fields = await o1jsModule<{ Field: unknown }>("dist/node/mina-signer/src/field-bigint.js");

/** State_hash.gen: a random state hash in base58. */
export function randomStateHash(): string {
  return base58.fieldEncodings(fields.Field).StateHash.toBase58(BigInt(randomField()));
}

/** Permissions.gen ~auth_tag:Proof: each permission one that a proof satisfies (Auth_required.gen_for_proof_authorization: None, Either or Proof). */
export function randomProofPermissions(): PermissionsJson {
  const pick = (): AuthRequired => (["None", "Either", "Proof"] as const)[crypto.getRandomValues(new Uint8Array(1))[0]! % 3] as AuthRequired;
  return {
    editState: pick(),
    access: pick(),
    send: pick(),
    receive: pick(),
    setDelegate: pick(),
    setPermissions: pick(),
    setVerificationKey: { auth: pick(), txnVersion: USER_DEFAULT_PERMISSIONS.setVerificationKey.txnVersion },
    setZkappUri: pick(),
    editActionState: pick(),
    setTokenSymbol: pick(),
    incrementNonce: pick(),
    setVotingFor: pick(),
    setTiming: pick(),
  };
}
