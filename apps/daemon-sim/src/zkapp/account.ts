/** The zkApp parts of a ledger account, in the JSON spelling of Mina's GraphQL (every value a string). */

export type AuthRequired = "None" | "Either" | "Proof" | "Signature" | "Impossible";

export interface PermissionsState {
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

export interface ZkappState {
  /** 8 field elements, decimal */
  appState: string[];
  verificationKey: { data: string; hash: string } | null;
  zkappVersion: string;
  /** 5 field elements, decimal, newest first */
  actionState: string[];
  lastActionSlot: number;
  provedState: boolean;
  zkappUri: string;
}

/** What Account holds beyond a plain account; absent fields mean Mina's defaults. */
export interface ZkappFields {
  permissions?: PermissionsState;
  zkapp?: ZkappState;
  /** decimal field element; absent: Receipt.Chain_hash.empty, valid only while the account never sent */
  receiptChainHash?: string;
  /** the nonce the account had when receiptChainHash was computed: a signed command since (which the simulator does not hash in) makes it stale */
  receiptChainHashAtNonce?: number;
  tokenSymbol?: string;
}

/** Permissions.user_default (mina_base/permissions.ml), setVerificationKey at Txn_version.current (Mina 3.x). */
export function userDefaultPermissions(txnVersion: number): PermissionsState {
  return {
    editState: "Signature",
    access: "None",
    send: "Signature",
    receive: "None",
    setDelegate: "Signature",
    setPermissions: "Signature",
    setVerificationKey: { auth: "Signature", txnVersion: String(txnVersion) },
    setZkappUri: "Signature",
    editActionState: "Signature",
    setTokenSymbol: "Signature",
    incrementNonce: "Signature",
    setVotingFor: "Signature",
    setTiming: "Signature",
  };
}
