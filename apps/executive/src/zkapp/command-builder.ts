/*
 * Mina's Zkapp_command_builder (src/lib/zkapp_command_builder/zkapp_command_builder.ml, develop
 * 9f068b1c3b), the combinators Mina's integration tests build zkApp commands with, producing
 * Mina's zkApp command JSON (what sendZkapp takes and o1js prints). Signing
 * (replace_authorizations) uses the mina-signer o1js 2.15 carries: its layout is Mina 3.x's
 * (8 app state fields); the mina-signer package's (4.0.0) is a newer protocol's (32).
 */
import type { PermissionsJson } from "@mina-local/engine";
import { o1jsMinaSigner } from "./o1js.js";

const Client = await o1jsMinaSigner();

/** The verification key hash of an update authorized by a signature (o1js' mocks.dummyVerificationKeyHash, from Mina). */
const DUMMY_VK_HASH = "3392518251768960475377392625298437850623664973002200885669375116181514017494";
const DEFAULT_TOKEN = "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf";
const nulls = (n: number) => Array<null>(n).fill(null);
const epochData = () => ({ ledger: { hash: null, totalCurrency: null }, seed: null, startCheckpoint: null, lockCheckpoint: null, epochLength: null });

export type AccountUpdateJson = ReturnType<typeof mkAccountUpdateBody>;

/**
 * mk_account_update_body (Signature authorization, default token, no token use): the network
 * precondition accepts everything, valid_while is Ignore, use_full_commitment is true,
 * implicit_account_creation_fee false. `balanceChange` in nanomina, negative for a debit.
 */
export function mkAccountUpdateBody(publicKey: string, balanceChange: bigint, options: { incrementNonce?: boolean; nonce?: number; permissions?: PermissionsJson } = {}) {
  const magnitude = balanceChange < 0n ? -balanceChange : balanceChange;
  return {
    body: {
      publicKey,
      tokenId: DEFAULT_TOKEN,
      update: { appState: nulls(8), delegate: null, verificationKey: null, permissions: options.permissions ?? null, zkappUri: null, tokenSymbol: null, timing: null, votingFor: null },
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
      useFullCommitment: true,
      implicitAccountCreationFee: false,
      mayUseToken: { parentsOwnToken: false, inheritFromParent: false },
      authorizationKind: { isSigned: true, isProved: false, verificationKeyHash: DUMMY_VK_HASH },
    },
    authorization: { proof: null, signature: null as string | null },
  };
}

const signer = new Client({ network: "testnet" });

/**
 * mk_zkapp_command then replace_authorizations: the fee payer (valid_until None) and its own
 * account updates signed with its key (the updates of other keys would need their signatures
 * too: not needed by the ported tests, refused).
 */
export function mkSignedZkappCommand(options: { memo: string; fee: bigint; feePayer: { publicKey: string; privateKey: string }; feePayerNonce: number; accountUpdates: AccountUpdateJson[] }): unknown {
  const other = options.accountUpdates.find((u) => u.body.publicKey !== options.feePayer.publicKey);
  if (other) throw new Error(`account update of ${other.body.publicKey}: only the fee payer's own updates are signed here`);
  const signed = signer.signZkappCommand(
    {
      feePayer: { feePayer: options.feePayer.publicKey, fee: options.fee.toString(), nonce: String(options.feePayerNonce), memo: options.memo },
      zkappCommand: { feePayer: { body: { publicKey: options.feePayer.publicKey, fee: "0", nonce: "0", validUntil: null }, authorization: "" }, accountUpdates: options.accountUpdates, memo: "" },
    } as never,
    options.feePayer.privateKey,
  ) as unknown as { data: { zkappCommand: unknown } };
  return signed.data.zkappCommand;
}
