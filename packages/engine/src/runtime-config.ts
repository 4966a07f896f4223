import { z } from "zod";

/**
 * Mina's runtime config file (the JSON every daemon reads with -config-file), with
 * Mina's own field names (src/lib/runtime_config/runtime_config.ml; the fields Mina's
 * integration-test engine writes: src/lib/testing/integration_test_lib/runtime_config_builder.ml
 * at MinaProtocol/mina 2e362993ab). Amounts are decimal MINA strings, as in Mina's files.
 */
const amount = z.string().regex(/^\d+(\.\d{1,9})?$/);

export const RuntimeTimingSchema = z.object({
  initial_minimum_balance: amount,
  cliff_time: z.string().regex(/^\d+$/),
  cliff_amount: amount,
  vesting_period: z.string().regex(/^\d+$/),
  vesting_increment: amount,
});

export const RuntimeAccountSchema = z.object({
  pk: z.string().startsWith("B62"),
  sk: z.string().nullable().optional(),
  balance: amount,
  delegate: z.string().startsWith("B62").optional(),
  timing: RuntimeTimingSchema.optional(),
  nonce: z.string().regex(/^\d+$/).optional(),
  /** Mina's Permissions and Zkapp_account records, as the test config gives them */
  permissions: z.record(z.string(), z.unknown()).optional(),
  zkapp: z.record(z.string(), z.unknown()).optional(),
});

export const RuntimeForkSchema = z.object({
  blockchain_length: z.number().int().nonnegative(),
  global_slot_since_genesis: z.number().int().nonnegative(),
  state_hash: z.string(),
});

export const RuntimeEpochLedgerSchema = z.object({ accounts: z.array(RuntimeAccountSchema), seed: z.string() });

export const RuntimeConfigSchema = z.object({
  genesis: z.object({
    k: z.number().int().positive(),
    delta: z.number().int().nonnegative(),
    slots_per_epoch: z.number().int().positive(),
    slots_per_sub_window: z.number().int().positive(),
    grace_period_slots: z.number().int().nonnegative().optional(),
    /** Mina's format: `2023-11-11 13:25:54.414332Z` (Core.Time.to_string_abs, UTC) */
    genesis_state_timestamp: z.string(),
  }),
  proof: z.object({
    level: z.enum(["none", "check", "full"]),
    transaction_capacity: z.object({ "2_to_the": z.number().int().positive() }),
    work_delay: z.number().int().nonnegative(),
    block_window_duration_ms: z.number().int().positive(),
    coinbase_amount: amount.optional(),
    account_creation_fee: amount.optional(),
    /** Mina's supercharged_coinbase_factor (runtime_config.ml Proof_keys); left out, the build's (1 in every profile of develop 9f068b1c3b) */
    supercharged_coinbase_factor: z.number().int().nonnegative().optional(),
    fork: RuntimeForkSchema.optional(),
  }),
  daemon: z
    .object({
      txpool_max_size: z.number().int().positive(),
      slot_tx_end: z.number().int().nonnegative(),
      slot_chain_end: z.number().int().nonnegative(),
      hard_fork_genesis_slot_delta: z.number().int().nonnegative(),
      network_id: z.string(),
    })
    .partial()
    .optional(),
  ledger: z.object({
    name: z.string().optional(),
    add_genesis_winner: z.boolean().optional(),
    accounts: z.array(RuntimeAccountSchema),
  }),
  epoch_data: z.object({ staking: RuntimeEpochLedgerSchema, next: RuntimeEpochLedgerSchema.optional() }).optional(),
});

export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
export type RuntimeAccount = z.infer<typeof RuntimeAccountSchema>;

/**
 * Mina's genesis winner: the account that wins the genesis block's slot, which a daemon adds
 * to the genesis ledger when `add_genesis_winner` is unset and the proof level is full
 * (genesis_ledger_helper.ml at 9f068b1c3b). Public key from docs/specs/consensus/README.md,
 * balance 1000 nanomina from Consensus_state_hooks.genesis_winner_account (proof_of_stake.ml).
 */
export const GENESIS_WINNER_ACCOUNT = {
  pk: "B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg",
  balance: "0.000001",
  delegate: "B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg",
} as const;

/** Whether a daemon adds the genesis winner to this ledger (genesis_ledger_helper.ml's rule). */
export function addsGenesisWinner(config: Pick<RuntimeConfig, "ledger" | "proof">): boolean {
  return config.ledger.add_genesis_winner ?? config.proof.level === "full";
}

/** Mina's timestamp format (`Core.Time.to_string_abs ~zone:Zone.utc`): `2023-11-11 13:25:54.414000Z`. */
export function minaTimestampOf(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000Z`;
}
