/*
 * Mina's own zkApp command logic as o1js 2.15 ships it in its copy of mina-signer (pure
 * JavaScript on bigints; the layout and hashing are generated from Mina's OCaml): the typed
 * command (ZkappCommand.fromJSON), the transaction commitments, signature verification, event and
 * action hashing, base58 field encodings. Not the mina-signer package: mina-signer 4.0.0's layout
 * has 32 app state fields (a newer protocol than Mina 3.x's 8, which o1js 2.x and the served
 * schema have), so its commitments differ from what o1js signs. o1js' package entry loads its
 * WebAssembly, so these modules are loaded by their path in o1js (o1js.ts; they load no
 * WebAssembly).
 *
 * They load on demand, not with the simulator: they add ~10 MB to a node's RSS (README,
 * Footprint), and most nodes never see a zkApp command. Every entry point that receives one
 * (sendZkapp, a gossiped zkApp command, a block or frontier carrying one, an account's receipt
 * chain hash) awaits `loadMinaLogic()` first; the synchronous functions below throw an internal
 * error when it has not, so a path that misses it fails in tests instead of answering wrongly.
 */
import { o1jsRoot, o1jsModule } from "./o1js.js";

/** A zkApp command as Mina's GraphQL and o1js write it (Json.ZkappCommand of o1js' generated layout). */
export type ZkappCommandJson = object;
declare const typedCommand: unique symbol;
declare const typedUpdate: unique symbol;
declare const typedKey: unique symbol;
type TypedPublicKey = { readonly [typedKey]: true };
/** An account update in o1js' typed (bigint) layout: only passed back to o1js here. */
export type TypedAccountUpdate = { readonly [typedUpdate]: true; body: { publicKey: TypedPublicKey } };
/** ZkappCommand.fromJSON's value (the fields the simulator reads; the rest go back to o1js). */
export type TypedZkappCommand = { readonly [typedCommand]: true; feePayer: { authorization: string; body: { publicKey: TypedPublicKey } }; accountUpdates: TypedAccountUpdate[] };
type Commitments = { commitment: bigint; fullCommitment: bigint };

// the functions used, as o1js 2.15 declares them in the .d.ts beside each module
async function loadModules() {
  const [zkappSigning, signatures, curve, fields, poseidon, base58, leaves, transaction, constants] = await Promise.all([
    o1jsModule<{
      transactionCommitments(command: TypedZkappCommand, network: string): Commitments;
      verifyAccountUpdateSignature(update: TypedAccountUpdate, commitments: Commitments, network: string): boolean;
    }>("dist/node/mina-signer/src/sign-zkapp-command.js"),
    o1jsModule<{ verifyFieldElement(signature: unknown, message: bigint, publicKey: TypedPublicKey, network: string): boolean; Signature: { fromBase58(base58: string): unknown } }>(
      "dist/node/mina-signer/src/signature.js",
    ),
    o1jsModule<{ PublicKey: { toBase58(key: TypedPublicKey): string; fromBase58(base58: string): { x: bigint; isOdd: boolean } } }>("dist/node/mina-signer/src/curve-bigint.js"),
    o1jsModule<{ Field: unknown }>("dist/node/mina-signer/src/field-bigint.js"),
    o1jsModule<{
      hashWithPrefix(prefix: string, input: bigint[]): bigint;
      packToFields(input: { fields?: bigint[]; packed?: [bigint, number][] }): bigint[];
      prefixes: { deriveTokenId: string };
    }>("dist/node/mina-signer/src/poseidon-bigint.js"),
    o1jsModule<{ fieldEncodings(field: unknown): { ReceiptChainHash: { toBase58(hash: bigint): string } } }>("dist/node/lib/util/base58.js"),
    o1jsModule<{
      Actions: { emptyActionState(): bigint; updateSequenceState(state: bigint, actionsHash: bigint): bigint; hash(actions: bigint[][]): bigint };
      ReceiptChainHash: { empty(): bigint };
      TokenId: { toJSON(id: bigint): string; fromJSON(base58: string): bigint };
    }>("dist/node/bindings/mina-transaction/v1/transaction-leaves-bigint.js"),
    o1jsModule<{ ZkappCommand: { fromJSON(json: ZkappCommandJson): TypedZkappCommand } }>("dist/node/bindings/mina-transaction/gen/v1/transaction-bigint.js"),
    o1jsModule<{ protocolVersions: { txnVersion: number } }>("dist/node/bindings/crypto/constants.js"),
  ]);
  return {
    ...zkappSigning,
    ...signatures,
    ...curve,
    ...poseidon,
    receiptChainHashEncoding: base58.fieldEncodings(fields.Field).ReceiptChainHash,
    ...leaves,
    ...transaction,
    ...constants,
  };
}

let loaded: Awaited<ReturnType<typeof loadModules>> | undefined;
let loading: Promise<void> | undefined;

/** Loads o1js' modules once (later calls share the first load; a failed load is tried again). */
export function loadMinaLogic(): Promise<void> {
  loading ??= loadModules().then(
    (modules) => {
      loaded = modules;
    },
    (error: unknown) => {
      loading = undefined;
      throw new Error(`loading o1js' zkApp logic from ${o1jsRoot()} failed: ${(error as Error).message}`, { cause: error });
    },
  );
  return loading;
}

export function minaLogicLoaded(): boolean {
  return loaded !== undefined;
}

function logic(): NonNullable<typeof loaded> {
  if (!loaded) throw new Error("internal error: o1js' zkApp logic (zkapp/mina-logic.ts) was used before loadMinaLogic() finished; the entry point that received this zkApp command must await it");
  return loaded;
}

/** The network the simulator signs for (transaction.ts: Client({ network: "testnet" })). */
const NETWORK = "testnet";

/** Mina's Txn_version.current, as o1js carries it from Mina. */
export function txnVersion(): number {
  return logic().protocolVersions.txnVersion;
}

export function parseZkappCommand(json: ZkappCommandJson): TypedZkappCommand {
  return logic().ZkappCommand.fromJSON(json);
}

export function commitmentsOf(command: TypedZkappCommand): { commitment: bigint; fullCommitment: bigint } {
  return logic().transactionCommitments(command, NETWORK);
}

/** Zkapp_command_logic: the fee payer signs the full commitment. */
export function feePayerSignatureVerifies(command: TypedZkappCommand, fullCommitment: bigint): boolean {
  // outside the try: a missing load is an internal error, not an invalid signature
  const { verifyFieldElement, Signature } = logic();
  try {
    return verifyFieldElement(Signature.fromBase58(command.feePayer.authorization), fullCommitment, command.feePayer.body.publicKey, NETWORK);
  } catch {
    return false;
  }
}

export function accountUpdateSignatureVerifies(update: TypedAccountUpdate, commitments: { commitment: bigint; fullCommitment: bigint }): boolean {
  const { verifyAccountUpdateSignature } = logic();
  try {
    return verifyAccountUpdateSignature(update, commitments, NETWORK);
  } catch {
    return false;
  }
}

export function publicKeyToBase58(key: TypedAccountUpdate["body"]["publicKey"]): string {
  return logic().PublicKey.toBase58(key);
}

/** Receipt.Chain_hash.empty (receipt.ml): what every genesis account holds. */
export function emptyReceiptChainHash(): bigint {
  return logic().ReceiptChainHash.empty();
}

export function receiptChainHashToBase58(hash: bigint): string {
  return logic().receiptChainHashEncoding.toBase58(hash);
}

/**
 * Receipt.Chain_hash.cons_zkapp_command_commitment (receipt.ml, develop 9f068b1c3b): the index
 * of the account update (fee payer 0), the commitment and the previous hash, packed, hashed
 * with the receipt_chain_zkapp_command prefix.
 */
export function consZkappCommandCommitment(index: number, commitment: bigint, previous: bigint): bigint {
  // Mina_numbers.Index.to_input is a 32-bit packed chunk; packToFields puts it with the two fields
  return logic().hashWithPrefix(RECEIPT_CHAIN_ZKAPP, packIndexInput(index, commitment, previous));
}

/** Hash_prefix.receipt_chain_zkapp_command ("CodaReceiptZkapp", hash_prefixes.ml), padded as Mina pads prefixes */
const RECEIPT_CHAIN_ZKAPP = "CodaReceiptZkapp****";

function packIndexInput(index: number, commitment: bigint, previous: bigint): bigint[] {
  // Input.Chunked: fields [commitment; previous] then packed [(index, 32)]: one more field
  return [commitment, previous, BigInt(index)];
}

/** Zkapp_account.Actions.empty_state_element: each of a new zkApp account's 5 action states. */
export function emptyActionState(): bigint {
  return logic().Actions.emptyActionState();
}

/** Actions.push_events (the account's newest action state with this update's actions). */
export function pushActions(state: bigint, actions: bigint[][]): bigint {
  const { Actions } = logic();
  return Actions.updateSequenceState(state, Actions.hash(actions));
}

/**
 * Account_id.derive_token_id (mina_base/account_id.ml, develop 9f068b1c3b): the token an account
 * owns, the hash with the derive_token_id prefix of the owner's account id (Public_key.Compressed
 * to_input, the x coordinate with is_odd packed, then the token id field). Base58 in and out.
 */
export function deriveTokenId(ownerPublicKey: string, ownerTokenId: string): string {
  const { PublicKey, TokenId, hashWithPrefix, packToFields, prefixes } = logic();
  const { x, isOdd } = PublicKey.fromBase58(ownerPublicKey);
  return TokenId.toJSON(hashWithPrefix(prefixes.deriveTokenId, packToFields({ fields: [x, TokenId.fromJSON(ownerTokenId)], packed: [[isOdd ? 1n : 0n, 1]] })));
}
