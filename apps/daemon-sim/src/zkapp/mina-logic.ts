/*
 * Mina's own zkApp command logic as o1js 2.15 ships it in its copy of mina-signer (pure
 * JavaScript on bigints; the layout and hashing are generated from Mina's OCaml): the typed
 * command (ZkappCommand.fromJSON), the transaction commitments, signature verification, event and
 * action hashing, base58 field encodings. Not the mina-signer package: mina-signer 4.0.0's layout
 * has 32 app state fields (a newer protocol than Mina 3.x's 8, which o1js 2.x and the served
 * schema have), so its commitments differ from what o1js signs. o1js' package entry loads its
 * WebAssembly, so these modules are imported by path (the simulator's bundle inlines them; they
 * load no WebAssembly).
 */
import { transactionCommitments, verifyAccountUpdateSignature } from "../../node_modules/o1js/dist/node/mina-signer/src/sign-zkapp-command.js";
import { verifyFieldElement, Signature } from "../../node_modules/o1js/dist/node/mina-signer/src/signature.js";
import { PublicKey } from "../../node_modules/o1js/dist/node/mina-signer/src/curve-bigint.js";
import { Field } from "../../node_modules/o1js/dist/node/mina-signer/src/field-bigint.js";
import { hashWithPrefix } from "../../node_modules/o1js/dist/node/mina-signer/src/poseidon-bigint.js";
import { fieldEncodings } from "../../node_modules/o1js/dist/node/lib/util/base58.js";
import { Actions, ReceiptChainHash } from "../../node_modules/o1js/dist/node/bindings/mina-transaction/v1/transaction-leaves-bigint.js";
import { ZkappCommand, type Json } from "../../node_modules/o1js/dist/node/bindings/mina-transaction/gen/v1/transaction-bigint.js";
import { protocolVersions } from "../../node_modules/o1js/dist/node/bindings/crypto/constants.js";

export type ZkappCommandJson = Json.ZkappCommand;
export type TypedZkappCommand = ReturnType<typeof ZkappCommand.fromJSON>;
export type TypedAccountUpdate = TypedZkappCommand["accountUpdates"][number];

/** The network the simulator signs for (transaction.ts: Client({ network: "testnet" })). */
const NETWORK = "testnet";

/** Mina's Txn_version.current, as o1js carries it from Mina. */
export const TXN_VERSION: number = protocolVersions.txnVersion;

export function parseZkappCommand(json: ZkappCommandJson): TypedZkappCommand {
  return ZkappCommand.fromJSON(json);
}

export function commitmentsOf(command: TypedZkappCommand): { commitment: bigint; fullCommitment: bigint } {
  return transactionCommitments(command, NETWORK);
}

/** Zkapp_command_logic: the fee payer signs the full commitment. */
export function feePayerSignatureVerifies(command: TypedZkappCommand, fullCommitment: bigint): boolean {
  try {
    return verifyFieldElement(Signature.fromBase58(command.feePayer.authorization), fullCommitment, command.feePayer.body.publicKey, NETWORK);
  } catch {
    return false;
  }
}

export function accountUpdateSignatureVerifies(update: TypedAccountUpdate, commitments: { commitment: bigint; fullCommitment: bigint }): boolean {
  try {
    return verifyAccountUpdateSignature(update, commitments, NETWORK);
  } catch {
    return false;
  }
}

export function publicKeyToBase58(key: TypedAccountUpdate["body"]["publicKey"]): string {
  return PublicKey.toBase58(key);
}

/** Receipt.Chain_hash.empty (receipt.ml): what every genesis account holds. */
export function emptyReceiptChainHash(): bigint {
  return ReceiptChainHash.empty();
}

export function receiptChainHashToBase58(hash: bigint): string {
  return fieldEncodings(Field).ReceiptChainHash.toBase58(hash);
}

/**
 * Receipt.Chain_hash.cons_zkapp_command_commitment (receipt.ml, develop 9f068b1c3b): the index
 * of the account update (fee payer 0), the commitment and the previous hash, packed, hashed
 * with the receipt_chain_zkapp_command prefix.
 */
export function consZkappCommandCommitment(index: number, commitment: bigint, previous: bigint): bigint {
  // Mina_numbers.Index.to_input is a 32-bit packed chunk; packToFields puts it with the two fields
  return hashWithPrefix(RECEIPT_CHAIN_ZKAPP, packIndexInput(index, commitment, previous));
}

/** Hash_prefix.receipt_chain_zkapp_command ("CodaReceiptZkapp", hash_prefixes.ml), padded as Mina pads prefixes */
const RECEIPT_CHAIN_ZKAPP = "CodaReceiptZkapp****";

function packIndexInput(index: number, commitment: bigint, previous: bigint): bigint[] {
  // Input.Chunked: fields [commitment; previous] then packed [(index, 32)]: one more field
  return [commitment, previous, BigInt(index)];
}

/** Zkapp_account.Actions.empty_state_element: each of a new zkApp account's 5 action states. */
export function emptyActionState(): bigint {
  return Actions.emptyActionState();
}

/** Actions.push_events (the account's newest action state with this update's actions). */
export function pushActions(state: bigint, actions: bigint[][]): bigint {
  return Actions.updateSequenceState(state, Actions.hash(actions));
}
