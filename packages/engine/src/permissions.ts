/*
 * Mina's account permissions in the JSON spelling of its GraphQL API and zkApp command JSON
 * (camelCase field names, Auth_required by its constructor name), shared by the simulator (what
 * an account holds before any zkApp command sets its permissions) and the executive's zkApp
 * command builder (what Mina's tests derive their updates from).
 */

/** Permissions.Auth_required.t (src/lib/mina_base/permissions.ml). */
export type AuthRequired = "None" | "Either" | "Proof" | "Signature" | "Impossible";

/** Permissions.t as JSON; setVerificationKey is Mina 3.x's (auth, txn_version) pair. */
export interface PermissionsJson {
  editState: AuthRequired;
  access: AuthRequired;
  send: AuthRequired;
  receive: AuthRequired;
  setDelegate: AuthRequired;
  setPermissions: AuthRequired;
  setVerificationKey: { auth: AuthRequired; txnVersion: string };
  setZkappUri: AuthRequired;
  editActionState: AuthRequired;
  setTokenSymbol: AuthRequired;
  incrementNonce: AuthRequired;
  setVotingFor: AuthRequired;
  setTiming: AuthRequired;
}

/** Mina_numbers.Txn_version.current of Mina 3.x (o1js 2.x's protocolVersions.txnVersion, which o1js takes from Mina). */
export const TXN_VERSION_CURRENT = 3;

/**
 * Permissions.user_default (src/lib/mina_base/permissions.ml, develop 9f068b1c3b): every
 * authorization Signature but receive and access (None). Mina 3.x (MinaProtocol/mina
 * compatible) pairs set_verification_key with the transaction version it was set at:
 * (Signature, Txn_version.current).
 */
export const USER_DEFAULT_PERMISSIONS: Readonly<PermissionsJson> = Object.freeze({
  editState: "Signature",
  access: "None",
  send: "Signature",
  receive: "None",
  setDelegate: "Signature",
  setPermissions: "Signature",
  setVerificationKey: Object.freeze({ auth: "Signature", txnVersion: String(TXN_VERSION_CURRENT) }),
  setZkappUri: "Signature",
  editActionState: "Signature",
  setTokenSymbol: "Signature",
  incrementNonce: "Signature",
  setVotingFor: "Signature",
  setTiming: "Signature",
} as const);
