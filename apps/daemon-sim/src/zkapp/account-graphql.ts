import type { Account } from "../ledger.js";
import { notComputed } from "../graphql.js";
import { knownReceiptChainHash } from "./apply.js";
import { loadMinaLogic, receiptChainHashToBase58 } from "./mina-logic.js";

/**
 * An account's zkApp fields as Mina's GraphQL answers them: None (null) for an account without a
 * zkApp, the defaults for permissions and token symbol. The receipt chain hash is known for an
 * account a zkApp command touched, and for one that never sent (Receipt.Chain_hash.empty); the
 * simulator does not hash signed commands into it, so for a sender it answers an error.
 */
export function accountZkappFields(account: Account, defaultPermissions: unknown) {
  const zkapp = account.zkapp;
  return {
    tokenSymbol: account.tokenSymbol ?? "",
    permissions: account.permissions ?? defaultPermissions,
    zkappState: zkapp ? zkapp.appState : null,
    zkappUri: zkapp ? zkapp.zkappUri : null,
    verificationKey: zkapp?.verificationKey ? { verificationKey: zkapp.verificationKey.data, hash: zkapp.verificationKey.hash } : null,
    provedState: zkapp ? zkapp.provedState : null,
    actionState: zkapp ? zkapp.actionState : null,
    ...receiptChainHashField(account),
  };
}

function receiptChainHashField(account: Account): { receiptChainHash: () => Promise<string> } {
  return {
    // asked for by o1js' fetchAccount: o1js' logic loads then (mina-logic.ts), not with the node
    receiptChainHash: async () => {
      await loadMinaLogic();
      const known = knownReceiptChainHash(account);
      if (known === undefined) throw notComputed("Account", "receiptChainHash");
      return receiptChainHashToBase58(known);
    },
  };
}
