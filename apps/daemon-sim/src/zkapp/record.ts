import { z } from "zod";
import type { Account } from "../ledger.js";
import { applyAccountUpdatesPart, applyFeePayerPart, applyZkappCommand, type ZkappContext, type ZkappStatus } from "./apply.js";
import { ZkappCommandJsonSchema, type ZkappCommandJsonShape } from "./command.js";
import { accountUpdateSignatureVerifies, commitmentsOf, feePayerSignatureVerifies, parseZkappCommand, type TypedZkappCommand } from "./mina-logic.js";

/** A zkApp command as the pool, blocks and gossip carry it: Mina's JSON and Mina's transaction hash. */
export interface ZkappCommandRecord {
  hash: string;
  json: ZkappCommandJsonShape;
}

export const ZkappCommandRecordSchema = z.object({ hash: z.string().startsWith("5J"), json: ZkappCommandJsonSchema });

const derived = new WeakMap<ZkappCommandRecord, { typed: TypedZkappCommand; commitments: { commitment: bigint; fullCommitment: bigint } }>();

/** The typed command and its commitments (Mina's, via mina-signer), computed once per record. */
export function commitmentsOfRecord(record: ZkappCommandRecord): { typed: TypedZkappCommand; commitments: { commitment: bigint; fullCommitment: bigint } } {
  let found = derived.get(record);
  if (!found) {
    const typed = parseZkappCommand(record.json as never);
    found = { typed, commitments: commitmentsOf(typed) };
    derived.set(record, found);
  }
  return found;
}

/**
 * Verifier.Common.check (verifier/common.ml, develop 9f068b1c3b) for the signatures: the fee
 * payer's against the full commitment, each signed account update's against the commitment
 * it uses. The keys whose signature does not verify, in Mina's order (fee payer first).
 */
export function keysWithInvalidSignatures(record: ZkappCommandRecord): string[] {
  const { typed, commitments } = commitmentsOfRecord(record);
  const keys: string[] = [];
  if (!feePayerSignatureVerifies(typed, commitments.fullCommitment)) keys.push(record.json.feePayer.body.publicKey);
  record.json.accountUpdates.forEach((update, i) => {
    const typedUpdate = typed.accountUpdates[i];
    if (update.body.authorizationKind.isSigned && (!typedUpdate || !accountUpdateSignatureVerifies(typedUpdate, commitments))) keys.push(update.body.publicKey);
  });
  return keys;
}

/** Mina's first pass only: what makes the command valid (the pool's checks and a producer's choice). */
export function applyRecordFeePayer(ledger: Map<string, Account>, record: ZkappCommandRecord, ctx: ZkappContext) {
  const { typed, commitments } = commitmentsOfRecord(record);
  return applyFeePayerPart(ledger, record.json, typed, commitments, ctx);
}

export function applyRecord(ledger: Map<string, Account>, record: ZkappCommandRecord, ctx: ZkappContext) {
  const { typed, commitments } = commitmentsOfRecord(record);
  return applyZkappCommand(ledger, record.json, typed, commitments, ctx);
}

export const feePayerOf = (record: ZkappCommandRecord) => record.json.feePayer.body.publicKey;
export const nonceOf = (record: ZkappCommandRecord) => Number(record.json.feePayer.body.nonce);
export const feeOf = (record: ZkappCommandRecord) => BigInt(record.json.feePayer.body.fee);

export type ZkappBlockResult = { ok: true; ledger: Map<string, Account>; statuses: ZkappStatus[]; fees: bigint } | { ok: false; error: string };

/**
 * A block's zkApp commands, after its signed commands (the simulator's order; Mina orders a
 * block's user commands by the pool's fee order), on a copy of `ledger`, in Mina's two passes
 * (staged_ledger.ml: first pass over all the block's transactions, then the second): every fee
 * payer part first, then every command's account updates. Each fee payer part must apply, else
 * the block is invalid.
 */
export function applyZkappCommands(ledger: ReadonlyMap<string, Account>, records: readonly ZkappCommandRecord[], ctx: ZkappContext): ZkappBlockResult {
  const next = new Map(ledger);
  let fees = 0n;
  for (const record of records) {
    const { typed, commitments } = commitmentsOfRecord(record);
    const paid = applyFeePayerPart(next, record.json, typed, commitments, ctx);
    if (!paid.ok) return { ok: false, error: `zkApp command ${record.hash}: ${paid.error}` };
    fees += paid.fee;
  }
  const statuses = records.map((record) => {
    const { typed, commitments } = commitmentsOfRecord(record);
    return applyAccountUpdatesPart(next, record.json, typed, commitments, ctx);
  });
  return { ok: true, ledger: next, statuses, fees };
}
