/*
 * Mina's Zkapp_command_builder (src/lib/zkapp_command_builder/zkapp_command_builder.ml, develop
 * 9f068b1c3b), the combinators Mina's integration tests build zkApp commands with, producing
 * Mina's zkApp command JSON (what sendZkapp takes and o1js prints). Signing
 * (replace_authorizations) uses the mina-signer o1js 2.15 carries: its layout is Mina 3.x's
 * (8 app state fields); the mina-signer package's (4.0.0) is a newer protocol's (32).
 */
import type { PermissionsJson } from "@mina-local/engine";
import { o1jsMinaSigner, o1jsModule } from "./o1js.js";
import dummies from "./pickles-dummies.json" with { type: "json" };

const Client = await o1jsMinaSigner();
const zkappSigning = await o1jsModule<{ signZkappCommand(command: unknown, privateKey: string, network: Network): unknown }>("dist/node/mina-signer/src/sign-zkapp-command.js");

/** The network the simulator signs for (daemon-sim: Client({ network: "testnet" })); a custom one is another chain (Mina_signature_kind.Other_network). */
export type Network = "testnet" | "mainnet" | { custom: string };

/** The verification key hash of an update authorized by a signature (o1js' mocks.dummyVerificationKeyHash, from Mina). */
const DUMMY_VK_HASH = "3392518251768960475377392625298437850623664973002200885669375116181514017494";
/** Token_id.default in base58 */
export const DEFAULT_TOKEN = "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf";
const nulls = (n: number) => Array<null>(n).fill(null);
const epochData = () => ({ ledger: { hash: null, totalCurrency: null }, seed: null, startCheckpoint: null, lockCheckpoint: null, epochLength: null });

/** Pickles.Side_loaded.Verification_key.dummy with its hash (pickles-dummies.json says how it was computed). */
export const DUMMY_VERIFICATION_KEY: { data: string; hash: string } = dummies.verificationKey;
/** A Pickles proof of the right shape that proves nothing (o1js' dummyBase64Proof). */
export const DUMMY_PROOF: string = dummies.proof;

/** Account_update.Update.t as JSON: null is Keep. */
export interface UpdateJson {
  appState: (string | null)[];
  delegate: string | null;
  verificationKey: { data: string; hash: string } | null;
  permissions: PermissionsJson | null;
  zkappUri: string | null;
  tokenSymbol: string | null;
  timing: { initialMinimumBalance: string; cliffTime: string; cliffAmount: string; vestingPeriod: string; vestingIncrement: string } | null;
  votingFor: string | null;
}

/** Account_update.Update.noop / dummy: every field Keep. */
export const NOOP_UPDATE: Readonly<UpdateJson> = Object.freeze({
  appState: nulls(8),
  delegate: null,
  verificationKey: null,
  permissions: null,
  zkappUri: null,
  tokenSymbol: null,
  timing: null,
  votingFor: null,
});

/** Account_update.Authorization_kind: Signature, Proof of the account's verification key hash, or None_given. */
export type AuthorizationKind = "Signature" | { proof: string } | "None_given";

export type AccountUpdateJson = ReturnType<typeof mkAccountUpdateBody>;

export interface AccountUpdateOptions {
  incrementNonce?: boolean;
  /** Account precondition Nonce n */
  nonce?: number;
  permissions?: PermissionsJson;
  /** the other fields of the update (permissions above wins) */
  update?: Partial<UpdateJson>;
  /** Signature by default; a proof authorization names the verification key hash and carries DUMMY_PROOF */
  authorization?: AuthorizationKind;
  useFullCommitment?: boolean;
  /** the default token unless set */
  tokenId?: string;
  /** Account_update.May_use_token: No unless set */
  mayUseToken?: MayUseToken;
}

export type MayUseToken = "No" | "Parents_own_token" | "Inherit_from_parent";

/**
 * mk_account_update_body (Signature authorization, the default token and May_use_token No unless set): the network
 * precondition accepts everything, valid_while is Ignore, use_full_commitment is true,
 * implicit_account_creation_fee false. `balanceChange` in nanomina, negative for a debit.
 */
export function mkAccountUpdateBody(publicKey: string, balanceChange: bigint, options: AccountUpdateOptions = {}) {
  const magnitude = balanceChange < 0n ? -balanceChange : balanceChange;
  const kind = options.authorization ?? "Signature";
  const update: UpdateJson = { ...NOOP_UPDATE, ...options.update, ...(options.permissions && { permissions: options.permissions }) };
  return {
    body: {
      publicKey,
      tokenId: options.tokenId ?? DEFAULT_TOKEN,
      update,
      balanceChange: { magnitude: magnitude.toString(), sgn: balanceChange < 0n ? "Negative" : "Positive" },
      incrementNonce: options.incrementNonce ?? false,
      events: [],
      actions: [],
      callData: "0",
      callDepth: 0,
      preconditions: {
        network: {
          snarkedLedgerHash: null,
          blockchainLength: null,
          minWindowDensity: null,
          totalCurrency: null,
          globalSlotSinceGenesis: null,
          stakingEpochData: epochData(),
          nextEpochData: epochData(),
        },
        account: {
          balance: null,
          nonce: options.nonce === undefined ? null : { lower: String(options.nonce), upper: String(options.nonce) },
          receiptChainHash: null,
          delegate: null,
          state: nulls(8),
          actionState: null,
          provedState: null,
          isNew: null,
        },
        validWhile: null,
      },
      useFullCommitment: options.useFullCommitment ?? true,
      implicitAccountCreationFee: false,
      mayUseToken: { parentsOwnToken: options.mayUseToken === "Parents_own_token", inheritFromParent: options.mayUseToken === "Inherit_from_parent" },
      authorizationKind:
        kind === "Signature"
          ? { isSigned: true, isProved: false, verificationKeyHash: DUMMY_VK_HASH }
          : kind === "None_given"
            ? { isSigned: false, isProved: false, verificationKeyHash: DUMMY_VK_HASH }
            : { isSigned: false, isProved: true, verificationKeyHash: kind.proof },
    },
    authorization: { proof: typeof kind === "object" ? DUMMY_PROOF : null, signature: null as string | null },
  };
}

/** Zkapp_command_builder.mk_node: an account update with the calls under it. */
export interface CallTree {
  accountUpdate: AccountUpdateJson;
  calls: CallTree[];
}

export const mkNode = (accountUpdate: AccountUpdateJson, calls: CallTree[] = []): CallTree => ({ accountUpdate, calls });

/** mk_forest, written as Mina's JSON writes a call forest: depth first, each update with its call depth. */
export function mkForest(trees: CallTree[], depth = 0): AccountUpdateJson[] {
  return trees.flatMap((tree) => [{ ...tree.accountUpdate, body: { ...tree.accountUpdate.body, callDepth: depth } }, ...mkForest(tree.calls, depth + 1)]);
}

const poseidon = await o1jsModule<{
  hashWithPrefix(prefix: string, input: bigint[]): bigint;
  packToFields(input: { fields?: bigint[]; packed?: [bigint, number][] }): bigint[];
  prefixes: { deriveTokenId: string };
}>("dist/node/mina-signer/src/poseidon-bigint.js");
const curve = await o1jsModule<{ PublicKey: { fromBase58(base58: string): { x: bigint; isOdd: boolean } } }>("dist/node/mina-signer/src/curve-bigint.js");
const leaves = await o1jsModule<{ TokenId: { toJSON(id: bigint): string; fromJSON(base58: string): bigint } }>("dist/node/bindings/mina-transaction/v1/transaction-leaves-bigint.js");

/**
 * Account_id.derive_token_id ~owner:(Account_id.create owner token) (mina_base/account_id.ml,
 * develop 9f068b1c3b): the hash with the derive_token_id prefix of the owner's public key (x,
 * is_odd packed) and token id. Base58 in and out.
 */
export function deriveTokenId(ownerPublicKey: string, ownerTokenId: string = DEFAULT_TOKEN): string {
  const { x, isOdd } = curve.PublicKey.fromBase58(ownerPublicKey);
  const input = poseidon.packToFields({ fields: [x, leaves.TokenId.fromJSON(ownerTokenId)], packed: [[isOdd ? 1n : 0n, 1]] });
  return leaves.TokenId.toJSON(poseidon.hashWithPrefix(poseidon.prefixes.deriveTokenId, input));
}

const signer = new Client({ network: "testnet" });

export interface Keypair {
  publicKey: string;
  privateKey: string;
}

/**
 * mk_zkapp_command then replace_authorizations ~keymap: the fee payer (valid_until None) signs
 * the full commitment, and every signed account update is signed by its key in `keys` (the fee
 * payer's own updates by the fee payer); an update whose key is missing is refused, as Mina's
 * replace_authorizations fails. `updatesNetwork` signs the other keys' updates for another
 * network (Mina's cross-network replay: the fee payer signs for this one).
 */
export function mkSignedZkappCommand(options: {
  memo: string;
  fee: bigint;
  feePayer: Keypair;
  feePayerNonce: number | bigint;
  accountUpdates: AccountUpdateJson[];
  keys?: Keypair[];
  updatesNetwork?: Network;
}): unknown {
  const keys = options.keys ?? [];
  const unsigned = options.accountUpdates.find((u) => u.body.authorizationKind.isSigned && u.body.publicKey !== options.feePayer.publicKey && !keys.some((k) => k.publicKey === u.body.publicKey));
  if (unsigned) throw new Error(`account update of ${unsigned.body.publicKey}: signed, but its key is not in the keymap`);
  const signed = signer.signZkappCommand(
    {
      feePayer: { feePayer: options.feePayer.publicKey, fee: options.fee.toString(), nonce: String(options.feePayerNonce), memo: options.memo },
      zkappCommand: { feePayer: { body: { publicKey: options.feePayer.publicKey, fee: "0", nonce: "0", validUntil: null }, authorization: "" }, accountUpdates: options.accountUpdates, memo: "" },
    } as never,
    options.feePayer.privateKey,
  ) as unknown as { data: { zkappCommand: unknown } };
  let command = signed.data.zkappCommand;
  for (const key of keys) if (key.publicKey !== options.feePayer.publicKey) command = zkappSigning.signZkappCommand(command, key.privateKey, options.updatesNetwork ?? "testnet");
  return command;
}

/** Signature_lib.Keypair.create () */
export function genKeys(): Keypair {
  return signer.genKeys();
}
