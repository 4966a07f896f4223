/*
 * Mina's Transaction_snark.For_tests.deploy_snapp (src/lib/transaction_snark/transaction_snark.ml,
 * develop 9f068b1c3b, with its create_zkapp_command), the zkApp command Mina's peers-reliability
 * test sends to create a zkApp account: the sender (here also the fee payer) pays `amount`, the
 * new account receives `amount` less the account creation fee (create_zkapp_command's "zeroing
 * allotment": the fee is paid from the command's excess), and its update sets a verification key
 * and Mina's deploy permissions (user_default with edit_state and edit_action_state Proof).
 */
import { createKeypair, mkAccountUpdateBody, mkSignedZkappCommand, USER_DEFAULT_PERMISSIONS } from "./command-builder.js";

export { createKeypair };

/**
 * The verification key the deployed account gets. Mina's deploy_snapp sets the key of its
 * trivial snapp (create_trivial_snapp), which only compiling that circuit gives; this is
 * Pickles' dummy side-loaded verification key instead (Side_loaded_verification_key.dummy),
 * as o1js 2.15's `VerificationKey.dummy()` printed it on 2026-12-02. Its hash is
 * o1js' mocks.dummyVerificationKeyHash. The simulator verifies no proof, so it takes either alike.
 */
export const DUMMY_VERIFICATION_KEY = {
  data: "AgIBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBsBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALsq7cojes8ZcUc9M9RbZY9U7nhj8KnfU3yTEgqjtXQbAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC7Ku3KI3rPGXFHPTPUW2WPVO54Y/Cp31N8kxIKo7V0GwEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuyrtyiN6zxlxRz0z1Ftlj1TueGPwqd9TfJMSCqO1dBs=",
  hash: "3392518251768960475377392625298437850623664973002200885669375116181514017494",
} as const;

type Key = { publicKey: string; privateKey: string };

/** Deploy_snapp_spec.t, for one new zkApp account, the sender paying the fee (fee_payer None), no preconditions, Signature authorization. */
export interface DeploySnappSpec {
  sender: Key;
  /** the sender's nonce: the fee payer's */
  nonce: number;
  fee: bigint;
  /** nanomina; at least the account creation fee */
  amount: bigint;
  zkappAccount: Key;
  memo: string;
  /** the network's constraint_constants.account_creation_fee, nanomina */
  accountCreationFee: bigint;
}

/** deploy_snapp with new_zkapp_account = true and one zkApp key pair: [sender update; zkApp account update], each signed (full commitment). */
export function deploySnapp(spec: DeploySnappSpec): unknown {
  if (spec.amount < spec.accountCreationFee) throw new Error(`deploy_snapp: the amount ${spec.amount} does not pay the account creation fee ${spec.accountCreationFee}`);
  // create_zkapp_command: the sender is the fee payer, so its update has no nonce precondition and no nonce increment, and uses the full commitment
  const senderUpdate = mkAccountUpdateBody(spec.sender.publicKey, -spec.amount);
  const zkappUpdate = mkAccountUpdateBody(spec.zkappAccount.publicKey, spec.amount - spec.accountCreationFee, {
    verificationKey: DUMMY_VERIFICATION_KEY,
    permissions: { ...USER_DEFAULT_PERMISSIONS, editState: "Proof", editActionState: "Proof" },
  });
  return mkSignedZkappCommand({ memo: spec.memo, fee: spec.fee, feePayer: spec.sender, feePayerNonce: spec.nonce, accountUpdates: [senderUpdate, zkappUpdate], signers: [spec.zkappAccount] });
}
