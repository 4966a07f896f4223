import { z } from "zod";

/**
 * What the simulator daemon started with `-archive-address <host>:<port>` sends its archive
 * process, for every block it adds to its frontier (produced, gossiped or caught up).
 *
 * A real daemon speaks Mina's Async RPC (`Archive_rpc.t`, a Bin_prot transition-frontier
 * diff) to a real `mina-archive`; the simulator's pair uses this instead, and no real
 * component ever sees it. Transport: one TCP connection; each message is one line of JSON
 * (UTF-8, `\n`-terminated), and the archive answers each line, in order, with one line:
 * `{"ok":true}` once the block is committed to PostgreSQL, or `{"ok":false,"error":"..."}`.
 * The daemon keeps a block until it is acknowledged, and sends it again after a reconnect
 * (the archive ignores a block it already has, as Mina's `add_block_aux` does).
 *
 * The message is a subset of Mina's extensional block (src/app/archive/lib/extensional.ml,
 * `Block.Stable.V2` at 9f068b1c3b) under Mina's field names: the columns of `blocks`,
 * `user_commands`, `internal_commands` and their join tables. Amounts and fees are decimal
 * nanomina strings, as Mina's archive stores them.
 */
const decimal = z.string().regex(/^\d+$/);
const publicKey = z.string().startsWith("B62");

export const EpochDataWireSchema = z.object({
  ledger: z.object({ hash: z.string(), total_currency: decimal }),
  seed: z.string(),
  start_checkpoint: z.string(),
  lock_checkpoint: z.string(),
  epoch_length: decimal,
});

export const ArchiveUserCommandSchema = z.object({
  sequence_no: z.number().int().nonnegative(),
  command_type: z.enum(["payment", "delegation"]),
  fee_payer: publicKey,
  source: publicKey,
  receiver: publicKey,
  nonce: decimal,
  /** absent for a delegation */
  amount: decimal.optional(),
  fee: decimal,
  valid_until: decimal.optional(),
  memo: z.string(),
  hash: z.string(),
  status: z.enum(["applied", "failed"]),
  failure_reason: z.string().optional(),
});

export const ArchiveInternalCommandSchema = z.object({
  sequence_no: z.number().int().nonnegative(),
  secondary_sequence_no: z.number().int().nonnegative(),
  command_type: z.enum(["fee_transfer_via_coinbase", "fee_transfer", "coinbase"]),
  receiver: publicKey,
  fee: decimal,
  hash: z.string(),
  status: z.enum(["applied", "failed"]),
});

export const ArchiveBlockSchema = z.object({
  state_hash: z.string(),
  parent_hash: z.string(),
  creator: publicKey,
  block_winner: publicKey,
  last_vrf_output: z.string(),
  snarked_ledger_hash: z.string(),
  staking_epoch_data: EpochDataWireSchema,
  next_epoch_data: EpochDataWireSchema,
  min_window_density: decimal,
  sub_window_densities: z.array(decimal),
  total_currency: decimal,
  ledger_hash: z.string(),
  height: decimal,
  global_slot_since_hard_fork: decimal,
  global_slot_since_genesis: decimal,
  /** ms since the Unix epoch, as a decimal string (Mina's Block_time) */
  timestamp: decimal,
  user_cmds: z.array(ArchiveUserCommandSchema),
  internal_cmds: z.array(ArchiveInternalCommandSchema),
  protocol_version: z.object({ transaction: z.number().int(), network: z.number().int(), patch: z.number().int() }),
});
export type ArchiveBlock = z.infer<typeof ArchiveBlockSchema>;
export type ArchiveUserCommand = z.infer<typeof ArchiveUserCommandSchema>;
export type ArchiveInternalCommand = z.infer<typeof ArchiveInternalCommandSchema>;

export const ArchiveMessageSchema = z.object({ block: ArchiveBlockSchema });
export type ArchiveMessage = z.infer<typeof ArchiveMessageSchema>;

export const ArchiveAckSchema = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]);
export type ArchiveAck = z.infer<typeof ArchiveAckSchema>;
