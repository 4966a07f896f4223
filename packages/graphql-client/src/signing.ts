/**
 * Commands signed here with mina-signer (testnet network id, as the daemon's test networks
 * use), in exactly the shape `sendSignedPayment` / `sendSignedDelegation` send to the node.
 */
import { MinaLocalError } from "@mina-local/engine";
import Client from "mina-signer";
import type { Signature, SignableDelegation, SignablePayment } from "./types.js";

/**
 * Hashes as a Berkeley-era daemon computes them (Mina's transaction_hash.ml v2: Blake2b of the
 * signed command's bin_prot, develop 9f068b1c3b), the era of the GraphQL schema we speak; mina-signer's
 * default is the 1.x hash, which such a daemon never returns.
 */
const HASH_OPTIONS = { berkeley: true } as const;

/** Mina's default: a command valid in every slot. */
export const VALID_UNTIL_FOREVER = 4_294_967_295n;

const signer = new Client({ network: "testnet" });

export interface PaymentToSign {
  from: string;
  to: string;
  amount: bigint;
  fee: bigint;
  /** the sender's next nonce (an account's `inferredNonce`) */
  nonce: number | bigint;
  memo?: string;
  validUntil?: number | bigint;
}

export type DelegationToSign = Omit<PaymentToSign, "amount">;

export interface SignedPayment {
  /** every field fixed as signed: pass it unchanged to `sendSignedPayment` */
  payment: SignablePayment;
  signature: Signature;
  /** the command's hash as Mina computes it (mina-signer's `hashPayment`, Berkeley's v2 hash) */
  hash: string;
}

export interface SignedDelegation {
  delegation: SignableDelegation;
  signature: Signature;
  hash: string;
}

/** A command signed by another key than its sender's would only be refused later by the node, with less context. */
function checkSigner(operation: string, privateKey: string, from: string): void {
  if (signer.derivePublicKey(privateKey) !== from) {
    throw new MinaLocalError("invalid-arguments", `the private key is not the key of the sender ${from}`, {
      where: operation,
      hint: "sign with the private key of the `from` account",
    });
  }
}

export function signPayment(privateKey: string, payment: PaymentToSign): SignedPayment {
  checkSigner("signPayment", privateKey, payment.from);
  const fixed: SignablePayment = {
    from: payment.from,
    to: payment.to,
    amount: payment.amount,
    fee: payment.fee,
    nonce: BigInt(payment.nonce),
    memo: payment.memo ?? "",
    validUntil: BigInt(payment.validUntil ?? VALID_UNTIL_FOREVER),
  };
  const signed = signer.signPayment(fixed, privateKey);
  return { payment: fixed, signature: signed.signature, hash: signer.hashPayment(signed, HASH_OPTIONS) };
}

export function signStakeDelegation(privateKey: string, delegation: DelegationToSign): SignedDelegation {
  checkSigner("signStakeDelegation", privateKey, delegation.from);
  const fixed: SignableDelegation = {
    from: delegation.from,
    to: delegation.to,
    fee: delegation.fee,
    nonce: BigInt(delegation.nonce),
    memo: delegation.memo ?? "",
    validUntil: BigInt(delegation.validUntil ?? VALID_UNTIL_FOREVER),
  };
  const signed = signer.signStakeDelegation(fixed, privateKey);
  return { delegation: fixed, signature: signed.signature, hash: signer.hashStakeDelegation(signed, HASH_OPTIONS) };
}
