import { formatMina } from "@mina-local/engine";
import Client from "mina-signer";
import { z } from "zod";
import { encodeMemo, encodeSignature } from "./encoding.js";

/** A signed payment or stake delegation, as the pool, blocks and gossip carry it. */
export interface SignedCommand {
  kind: "payment" | "delegation";
  from: string;
  /** receiver of a payment, new delegate of a delegation */
  to: string;
  /** nanomina; 0 for a delegation */
  amount: bigint;
  fee: bigint;
  nonce: number;
  /** the memo's text (Mina encodes it for display) */
  memo: string;
  validUntil: number;
  signature: { field: string; scalar: string };
  /** the Berkeley transaction hash of the signed command (mina-signer's hashPayment / hashStakeDelegation with `berkeley: true`), as a develop 2023-09 daemon computes it */
  hash: string;
}

export const UINT32_MAX = 4294967295;

const signer = new Client({ network: "testnet" });
/** The simulator emulates Mina develop 2023-09 (Berkeley): its transaction hashes are Berkeley's, not mainnet 1.x's. */
const BERKELEY = { berkeley: true } as const;

/** The public key of a base58 private key ("EK..."), undefined when it is not one. */
export function publicKeyOfPrivateKey(privateKey: string): string | undefined {
  try {
    return signer.derivePublicKey(privateKey);
  } catch {
    return undefined;
  }
}

const decimal = z.string().regex(/^\d+$/);

/** The wire form (gossip, persisted state): amounts and nonces as decimal strings. */
export const SignedCommandWireSchema = z.object({
  kind: z.enum(["payment", "delegation"]),
  from: z.string().startsWith("B62"),
  to: z.string().startsWith("B62"),
  amount: decimal,
  fee: decimal,
  nonce: decimal,
  memo: z.string(),
  validUntil: decimal,
  signature: z.object({ field: decimal, scalar: decimal }),
  hash: z.string(),
});
export type SignedCommandWire = z.infer<typeof SignedCommandWireSchema>;

export function commandToWire(command: SignedCommand): SignedCommandWire {
  return {
    kind: command.kind,
    from: command.from,
    to: command.to,
    amount: command.amount.toString(),
    fee: command.fee.toString(),
    nonce: String(command.nonce),
    memo: command.memo,
    validUntil: String(command.validUntil),
    signature: command.signature,
    hash: command.hash,
  };
}

/** Decodes a wire command and checks its signature and hash: peers are not trusted. */
export function commandFromWire(wire: SignedCommandWire): SignedCommand | undefined {
  const command = signedCommand({
    kind: wire.kind,
    from: wire.from,
    to: wire.to,
    amount: BigInt(wire.amount),
    fee: BigInt(wire.fee),
    nonce: Number(wire.nonce),
    memo: wire.memo,
    validUntil: Number(wire.validUntil),
    signature: wire.signature,
  });
  return command && command.hash === wire.hash ? command : undefined;
}

export type UnsignedCommand = Omit<SignedCommand, "signature" | "hash">;

function signerPayload(command: UnsignedCommand) {
  const common = {
    to: command.to,
    from: command.from,
    fee: command.fee.toString(),
    nonce: String(command.nonce),
    memo: command.memo,
    validUntil: String(command.validUntil),
  };
  return command.kind === "payment" ? { ...common, amount: command.amount.toString() } : common;
}

/** Verifies the signature with mina-signer; the command with its hash, or undefined when the signature is not valid. */
export function signedCommand(command: UnsignedCommand & { signature: { field: string; scalar: string } }): SignedCommand | undefined {
  const payload = signerPayload(command);
  const signed = { data: payload, signature: command.signature, publicKey: command.from };
  try {
    if (command.kind === "payment") {
      const payment = signed as Parameters<typeof signer.verifyPayment>[0];
      if (!signer.verifyPayment(payment)) return undefined;
      return { ...command, hash: signer.hashPayment(payment, BERKELEY) };
    }
    if (!signer.verifyStakeDelegation(signed)) return undefined;
    return { ...command, hash: signer.hashStakeDelegation(signed, BERKELEY) };
  } catch {
    // mina-signer throws on malformed keys or field elements: that is an invalid signature too
    return undefined;
  }
}

/** Signs with a key the node holds (block producer key, unlocked account). */
export function signCommand(command: UnsignedCommand, privateKey: string): SignedCommand {
  const payload = signerPayload(command);
  if (command.kind === "payment") {
    const signed = signer.signPayment(payload as Parameters<typeof signer.signPayment>[0], privateKey);
    return { ...command, signature: signed.signature, hash: signer.hashPayment(signed, BERKELEY) };
  }
  const signed = signer.signStakeDelegation(payload, privateKey);
  return { ...command, signature: signed.signature, hash: signer.hashStakeDelegation(signed, BERKELEY) };
}

export function publicKeyOf(privateKey: string): string {
  return signer.derivePublicKey(privateKey);
}

/**
 * Signed_command.to_yojson (`{payload, signer, signature}`); User_command wraps it as `["Signed_command", ...]`.
 * Mina's JSON of a Fee is MINA (Currency.Fee.Stable.V1 takes Codable.Make_of_string's to_mina_string: "0.1"),
 * of an Amount nanomina (Currency.Amount.Stable.V1 derives yojson from the uint64: "5000000000"),
 * src/lib/currency/currency.ml at 9f068b1c3b.
 */
export function commandToMinaJson(command: SignedCommand) {
  const body = command.kind === "payment" ? ["Payment", { receiver_pk: command.to, amount: command.amount.toString() }] : ["Stake_delegation", ["Set_delegate", { new_delegate: command.to }]];
  return {
    payload: {
      common: {
        fee: formatMina(command.fee),
        fee_payer_pk: command.from,
        nonce: String(command.nonce),
        valid_until: String(command.validUntil),
        memo: encodeMemo(command.memo),
      },
      body,
    },
    signer: command.from,
    signature: encodeSignature(command.signature),
  };
}
