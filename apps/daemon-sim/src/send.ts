import { formatMina } from "@mina-local/engine";
import { GraphQLError } from "graphql";
import type { Daemon } from "./daemon.js";
import { decodeRawSignature, encodeMemo, encodeSignature, MEMO_MAX_BYTES } from "./encoding.js";
import { MINIMUM_USER_COMMAND_FEE } from "./genesis.js";
import { poolRefusesAt } from "./stop-slots.js";
import { signCommand, signedCommand, UINT32_MAX, type SignedCommand, type UnsignedCommand } from "./transaction.js";

const UINT64 = /^\d{1,20}$/;
const UINT32 = /^\d{1,10}$/;

function uint(value: unknown, field: string, pattern: RegExp): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (!pattern.test(text)) throw new GraphQLError(`Invalid \`${field}\` provided.`);
  return BigInt(text);
}

/**
 * sendPayment / sendDelegation with the real daemon's checks and error texts: fee minimum,
 * nonce inference, signature (given, or from a key this node holds), then the pool's diff
 * errors ("Couldn't send user command: [\"Insufficient_funds\"]": mina_graphql.ml's send_user_command
 * at develop 9f068b1c3b, "user command" with a space; Mina 1.x wrote "user_command"), the diff error
 * as Mina_commands.setup_and_submit_user_command writes it (Diff_error.to_yojson).
 */
export function sendUserCommand(daemon: Daemon, kind: "payment" | "delegation", args: Record<string, unknown>): SignedCommand {
  const frontier = daemon.frontier;
  if (!frontier || daemon.syncStatus === "BOOTSTRAP") throw new GraphQLError("Daemon is bootstrapping");
  const input = args.input as Record<string, unknown>;
  const from = String(input.from);
  const to = String(input.to);
  const fee = uint(input.fee, "fee", UINT64) ?? 0n;
  const amount = kind === "payment" ? (uint(input.amount, "amount", UINT64) ?? 0n) : 0n;
  const validUntil = Number(uint(input.validUntil, "validUntil", UINT32) ?? BigInt(UINT32_MAX));
  const memo = input.memo === undefined || input.memo === null ? "" : String(input.memo);
  if (Buffer.byteLength(memo, "utf8") > MEMO_MAX_BYTES) throw new GraphQLError("Invalid `memo` provided.");
  if (fee < MINIMUM_USER_COMMAND_FEE) {
    throw new GraphQLError(`Invalid user command. Fee ${formatMina(fee)} is less than the minimum fee, ${formatMina(MINIMUM_USER_COMMAND_FEE)}.`);
  }
  const inputNonce = uint(input.nonce, "nonce", UINT32);
  const signatureArg = args.signature as { field?: string | null; scalar?: string | null; rawSignature?: string | null } | undefined | null;
  const signature = signatureArg ? parseSignature(signatureArg) : undefined;

  const inputJson = (nonce: number | undefined) => ({
    payload: {
      common: {
        fee: formatMina(fee),
        fee_token: "1",
        fee_payer_pk: from,
        nonce: nonce === undefined ? null : String(nonce),
        valid_until: String(validUntil),
        memo: encodeMemo(memo),
      },
      body:
        kind === "payment"
          ? ["Payment", { source_pk: from, receiver_pk: to, token_id: "1", amount: amount.toString() }]
          : ["Stake_delegation", ["Set_delegate", { delegator: from, new_delegate: to }]],
    },
    signer: from,
    signature: signature ? ["Signature", encodeSignature(signature)] : ["Keypair", { public_key: from }],
  });
  const creationError = (nonce: number | undefined, message: string) =>
    new GraphQLError(`Couldn't send user command: Error creating user command: ${JSON.stringify(inputJson(nonce))} Error: ${message}`);

  const ledger = frontier.best.ledger;
  const account = ledger.get(from);
  const inferred = daemon.pool.inferredNonce(ledger, from);
  const requested = inputNonce === undefined ? undefined : Number(inputNonce);
  if (!account || inferred === undefined) {
    throw creationError(requested, "Couldn't infer nonce for transaction from specified `sender` since `sender` is not in the ledger or sent a transaction in transaction pool.");
  }
  if (requested !== undefined && (requested > inferred || requested < account.nonce)) {
    throw creationError(requested, `Input nonce ${requested} either different from inferred nonce ${inferred} or below minimum_nonce ${account.nonce}`);
  }
  const nonce = requested ?? inferred;
  const unsigned: UnsignedCommand = { kind, from, to, amount, fee, nonce, memo, validUntil };

  let command: SignedCommand | undefined;
  if (signature) {
    command = signedCommand({ ...unsigned, signature });
    if (!command) throw creationError(nonce, "Invalid_signature");
  } else {
    // Mina signs with an unlocked wallet key only (Wallets.find_unlocked), the block producer's key included
    const privateKey = daemon.unlocked.get(from);
    if (!privateKey) throw new GraphQLError("Couldn't find an unlocked key for specified `sender`. Did you unlock the account you're making a transaction from?");
    command = signCommand(unsigned, privateKey);
  }
  const diffError = poolRefusesAt(daemon.genesis, daemon.currentSlot()) ?? daemon.pool.check(ledger, command, daemon.currentSlot());
  if (diffError) throw new GraphQLError(`Couldn't send user command: ${JSON.stringify([diffError])}`);
  daemon.submitLocal(command);
  return command;
}

function parseSignature(input: { field?: string | null; scalar?: string | null; rawSignature?: string | null }): { field: string; scalar: string } {
  if (input.rawSignature) {
    const decoded = decodeRawSignature(input.rawSignature);
    if (!decoded) throw new GraphQLError("Invalid `rawSignature` provided: expected 128 hex digits (field then scalar, little-endian)");
    return decoded;
  }
  if (!input.field || !input.scalar || !/^\d+$/.test(input.field) || !/^\d+$/.test(input.scalar)) {
    throw new GraphQLError("Either field+scalar or rawSignature must by provided for signature");
  }
  return { field: input.field, scalar: input.scalar };
}
