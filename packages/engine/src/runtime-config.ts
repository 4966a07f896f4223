import { z } from "zod";

/**
 * Mina's runtime config file (the JSON every daemon reads with -config-file), with
 * Mina's own field names. Amounts are decimal MINA strings, as in Mina's files.
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
});

export const RuntimeConfigSchema = z.object({
  genesis: z.object({
    k: z.number().int().positive(),
    delta: z.number().int().nonnegative(),
    slots_per_epoch: z.number().int().positive(),
    slots_per_sub_window: z.number().int().positive(),
    genesis_state_timestamp: z.string(),
  }),
  proof: z.object({
    level: z.enum(["none", "check", "full"]),
    transaction_capacity: z.object({ "2_to_the": z.number().int().positive() }),
    work_delay: z.number().int().nonnegative(),
    block_window_duration_ms: z.number().int().positive(),
    coinbase_amount: amount.optional(),
    account_creation_fee: amount.optional(),
  }),
  daemon: z.object({ txpool_max_size: z.number().int().positive() }).partial().optional(),
  ledger: z.object({
    name: z.string().optional(),
    add_genesis_winner: z.boolean().optional(),
    accounts: z.array(RuntimeAccountSchema),
  }),
});

export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
export type RuntimeAccount = z.infer<typeof RuntimeAccountSchema>;
