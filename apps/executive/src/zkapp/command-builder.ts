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
const DEFAULT_TOKEN = "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf";
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
}

/**
 * mk_account_update_body (Signature authorization, default token, no token use): the network
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
      tokenId: DEFAULT_TOKEN,
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
      mayUseToken: { parentsOwnToken: false, inheritFromParent: false },
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
