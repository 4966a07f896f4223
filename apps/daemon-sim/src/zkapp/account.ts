/** The zkApp parts of a ledger account, in the JSON spelling of Mina's GraphQL (every value a string). */

import type { AuthRequired, PermissionsJson } from "@mina-local/engine";

export type { AuthRequired };
/** Mina's Permissions.t in GraphQL's JSON spelling (the engine's, shared with the executive's command builder). */
export type PermissionsState = PermissionsJson;

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
