/** The zkApp parts of a ledger account, in the JSON spelling of Mina's GraphQL (every value a string). */

import type { AuthRequired, PermissionsJson } from "@mina-local/engine";

export type { AuthRequired };
/** Mina's Permissions.t in GraphQL's JSON spelling (the engine's, shared with the executive's command builder). */
export type PermissionsState = PermissionsJson;

/**
 * Account.has_permission_to_send && Account.has_permission_to_increment_nonce (mina_base/account.ml,
 * develop 9f068b1c3b), what Mina's transaction pool asks of every fee payer (transaction_pool.ml
 * check_command: Fee_payer_not_permitted_to_send): access, send and increment_nonce accept a
 * signature (Permissions.Auth_required.check with Control.Tag.Signature).
 */
export function permitsSignedSend(permissions: PermissionsState): boolean {
  const bySignature = (auth: AuthRequired) => auth === "None" || auth === "Signature" || auth === "Either";
  return bySignature(permissions.access) && bySignature(permissions.send) && bySignature(permissions.incrementNonce);
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
  /** base58 state hash; absent: State_hash.dummy (Account.create's voting_for) */
  votingFor?: string;
}
