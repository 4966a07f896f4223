import { z } from "zod";
import { parseMina } from "./currency.js";
import { MinaLocalError, err, ok, type Result } from "./errors.js";
import { RESERVED_NODE_NAME } from "./archive.js";
import { NODE_NAME_PATTERN } from "./roles.js";

/** Mina's Test_config, with Mina's field names and defaults (see the reference notes on Mina's test executive). */

/** Mina's balances and amounts are unsigned 64-bit counts of nanomina. */
const MAX_NANOMINA = 2n ** 64n - 1n;

const minaAmount = z.string().refine(
  (s) => {
    const nanomina = parseMina(s);
    return nanomina !== undefined && nanomina <= MAX_NANOMINA;
  },
  { message: 'expected an amount of MINA such as "1000" or "0.025" (at most 9 decimals, never negative, at most 18446744073.709551615)' },
);

const nodeName = z.string().regex(NODE_NAME_PATTERN, {
  message: "expected lowercase letters, digits and '-', starting with a letter, at most 40 characters (it becomes a Docker service and DNS name)",
});

const slotCount = z.number().int().nonnegative();

export const TimingSchema = z.strictObject({
  initial_minimum_balance: minaAmount,
  cliff_time: slotCount,
  cliff_amount: minaAmount,
  vesting_period: z.number().int().positive(),
  vesting_increment: minaAmount,
});

/** Mina's Auth_required, as runtime_config.ml writes it. */
const AuthRequired = z.enum(["None", "Either", "Proof", "Signature", "Impossible"]);

/**
 * Mina's Permissions (src/lib/runtime_config/runtime_config.ml, Json_layout.Accounts.Single.Permissions,
 * at 9f068b1c3b): every field optional, as in Mina's file; `set_verification_key` also takes
 * Mina's newer `{ auth, txn_version }` form.
 */
export const PermissionsSchema = z.strictObject({
  edit_state: AuthRequired.optional(),
  send: AuthRequired.optional(),
  receive: AuthRequired.optional(),
  access: AuthRequired.optional(),
  set_delegate: AuthRequired.optional(),
  set_permissions: AuthRequired.optional(),
  set_verification_key: z.union([AuthRequired, z.strictObject({ auth: AuthRequired, txn_version: z.string().regex(/^\d+$/) })]).optional(),
  set_zkapp_uri: AuthRequired.optional(),
  edit_action_state: AuthRequired.optional(),
  set_token_symbol: AuthRequired.optional(),
  increment_nonce: AuthRequired.optional(),
  set_voting_for: AuthRequired.optional(),
  set_timing: AuthRequired.optional(),
});

const fieldElement = z.string().regex(/^\d+$/, { message: "expected a field element as a decimal string" });

/** Mina's Zkapp_account (runtime_config.ml, Json_layout.Accounts.Single.Zkapp_account, at 9f068b1c3b). */
export const ZkappAccountSchema = z.strictObject({
  app_state: z.array(fieldElement).max(8),
  verification_key: z.string().min(1).optional(),
  zkapp_version: z.number().int().nonnegative(),
  action_state: z.array(fieldElement).length(5),
  last_action_slot: z.number().int().nonnegative(),
  proved_state: z.boolean(),
  zkapp_uri: z.string(),
});

export const GenesisAccountSchema = z.strictObject({
  account_name: z.string().min(1),
  balance: minaAmount,
  timing: TimingSchema.optional(),
  permissions: PermissionsSchema.optional(),
  zkapp: ZkappAccountSchema.optional(),
});

/** Mina's Test_config.Epoch_data (test_config.ml): a ledger as a prefix of the genesis ledger, and a seed. */
export const EpochLedgerSchema = z.strictObject({
  epoch_ledger: z.array(GenesisAccountSchema).min(1),
  /** a field element in Base58Check, as Mina's epoch seeds are written */
  epoch_seed: z.string().regex(/^2[1-9A-HJ-NP-Za-km-z]{50,52}$/, { message: "expected an epoch seed in Base58Check (2va9...)" }),
});

export const EpochDataSchema = z.strictObject({
  staking: EpochLedgerSchema,
  next: EpochLedgerSchema.optional(),
});

/** Mina's default fork point (test_config.ml's proof_config_default; "any state hash would do"). */
export const DEFAULT_FORK = { blockchain_length: 0, global_slot_since_genesis: 0, state_hash: "3NKSvjaGSKiQuAt8BP1b1VCpLbJc9RcEFjYCaBYsJJFdrtd6tpaV" } as const;

export const ForkSchema = z.strictObject({
  blockchain_length: z.number().int().nonnegative(),
  global_slot_since_genesis: z.number().int().nonnegative(),
  state_hash: z.string().regex(/^3N[1-9A-HJ-NP-Za-km-z]{50}$/, { message: "expected a state hash (3N...)" }),
});

export const BlockProducerSchema = z.strictObject({
  node_name: nodeName,
  account_name: z.string().min(1),
});

const MAX_SNARK_WORKERS = 16;

export const SnarkCoordinatorSchema = z.strictObject({
  node_name: nodeName,
  account_name: z.string().min(1),
  worker_nodes: z.number().int().min(0).max(MAX_SNARK_WORKERS),
});

export const ProofConfigSchema = z.strictObject({
  block_window_duration_ms: z.number().int().min(500).max(3_600_000).default(120_000),
  /** log2 of the number of transactions that fit in a block's scan state */
  transaction_capacity_log_2: z.number().int().min(1).max(10).default(3),
  work_delay: z.number().int().min(0).max(10).default(1),
  /** Mina's proof_config.supercharged_coinbase_factor (Runtime_config.Proof_keys); unset: the image's own (1 at develop 9f068b1c3b) */
  supercharged_coinbase_factor: z.number().int().min(0).max(100).optional(),
  /**
   * Mina's default is "full"; left out, the run uses the image's own profile (what its
   * `mina advanced compile-time-constants` says), else Mina's "full". A level the image was
   * not built for is refused before anything is deployed.
   */
  level: z.enum(["none", "check", "full"]).optional(),
  fork: ForkSchema.default({ ...DEFAULT_FORK }),
});

export const TestConfigSchema = z
  .strictObject({
    requires_graphql: z.boolean().default(true),
    genesis_ledger: z.array(GenesisAccountSchema).min(1),
    block_producers: z.array(BlockProducerSchema).min(1),
    snark_coordinator: SnarkCoordinatorSchema.optional(),
    snark_worker_fee: minaAmount.default("0.025"),
    num_archive_nodes: z.number().int().min(0).max(4).default(0),
    log_precomputed_blocks: z.boolean().default(false),
    proof_config: ProofConfigSchema.prefault({}),
    k: z.number().int().min(1).max(290).default(20),
    delta: z.number().int().min(0).max(20).default(0),
    slots_per_epoch: z.number().int().min(8).max(7140).default(480),
    slots_per_sub_window: z.number().int().min(1).max(11).default(2),
    /** Mina's test_config.ml default (140); the runtime config's genesis.grace_period_slots */
    grace_period_slots: z.number().int().min(0).max(100_000).default(140),
    txpool_max_size: z.number().int().min(1).max(100_000).default(3000),
    /** the runtime config's daemon.* fields Mina's runtime_config_builder writes (unset: Mina's None) */
    slot_tx_end: z.number().int().nonnegative().optional(),
    slot_chain_end: z.number().int().nonnegative().optional(),
    hard_fork_genesis_slot_delta: z.number().int().nonnegative().optional(),
    network_id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: "expected a network id such as \"testnet\" (letters, digits, '_', '.', '-')" })
      .optional(),
    epoch_data: EpochDataSchema.optional(),
    /**
     * The ledger's add_genesis_winner. Left out (Mina's engine): the daemon adds Mina's genesis
     * winner account when the proof level is full (genesis_ledger_helper.ml).
     */
    add_genesis_winner: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    const accounts = new Set<string>();
    config.genesis_ledger.forEach((account, i) => {
      if (accounts.has(account.account_name)) {
        ctx.addIssue({ code: "custom", path: ["genesis_ledger", i, "account_name"], message: `duplicate account name ${JSON.stringify(account.account_name)}` });
      }
      accounts.add(account.account_name);
    });
    const nodes = new Map<string, string>();
    const claimNode = (name: string, path: (string | number)[]) => {
      if (!NODE_NAME_PATTERN.test(name)) {
        ctx.addIssue({ code: "custom", path, message: `node name ${JSON.stringify(name)} is not a valid Docker service name (lowercase letters, digits and '-', at most 40 characters)` });
      }
      if (RESERVED_NODE_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path, message: `node name "${name}" is reserved for the generated seeds and archive nodes (seed, seed-<n>, archive-<n>, postgres-<n>)` });
      }
      const earlier = nodes.get(name);
      if (earlier) ctx.addIssue({ code: "custom", path, message: `duplicate node name ${JSON.stringify(name)} (also used at ${earlier})` });
      else nodes.set(name, formatPath(path));
    };
    const accountOwners = new Map<string, string>();
    const claimAccount = (account: string, path: (string | number)[]) => {
      if (!accounts.has(account)) {
        ctx.addIssue({ code: "custom", path, message: `no genesis account named ${JSON.stringify(account)}` });
        return;
      }
      const owner = accountOwners.get(account);
      if (owner) ctx.addIssue({ code: "custom", path, message: `account ${JSON.stringify(account)} is already the key of ${owner}; every node needs its own` });
      else accountOwners.set(account, formatPath(path));
    };
    config.block_producers.forEach((bp, i) => {
      claimNode(bp.node_name, ["block_producers", i, "node_name"]);
      claimAccount(bp.account_name, ["block_producers", i, "account_name"]);
    });
    if (config.snark_coordinator) {
      const sc = config.snark_coordinator;
      claimNode(sc.node_name, ["snark_coordinator", "node_name"]);
      claimAccount(sc.account_name, ["snark_coordinator", "account_name"]);
      // zod runs this refinement even when worker_nodes failed its own range check: bound the loop
      const workers = Number.isInteger(sc.worker_nodes) && sc.worker_nodes > 0 ? Math.min(sc.worker_nodes, MAX_SNARK_WORKERS) : 0;
      for (let w = 0; w < workers; w++) claimNode(snarkWorkerName(sc.node_name, w), ["snark_coordinator", "worker_nodes"]);
    }
    if (config.slots_per_epoch % config.slots_per_sub_window !== 0) {
      ctx.addIssue({ code: "custom", path: ["slots_per_epoch"], message: `must be a multiple of slots_per_sub_window (${config.slots_per_sub_window})` });
    }
    if (config.slot_tx_end !== undefined && config.slot_chain_end !== undefined && config.slot_chain_end < config.slot_tx_end) {
      ctx.addIssue({ code: "custom", path: ["slot_chain_end"], message: `must not come before slot_tx_end (${config.slot_tx_end})` });
    }
    if (config.epoch_data) checkEpochData(config.genesis_ledger, config.epoch_data, ctx);
    if (config.k * 3 > config.slots_per_epoch) {
      ctx.addIssue({ code: "custom", path: ["k"], message: `k (${config.k}) must be at most a third of slots_per_epoch (${config.slots_per_epoch}), as in Mina's consensus constants` });
    }
  });

const names = (accounts: readonly { account_name: string }[]) => accounts.map((a) => a.account_name);
const isPrefix = (prefix: readonly string[], of: readonly string[]) => prefix.length <= of.length && prefix.every((name, i) => of[i] === name);

/** Mina's checks (runtime_config_builder.ml): every epoch ledger is a prefix of the genesis ledger, staking a prefix of next. */
function checkEpochData(genesis: readonly { account_name: string }[], epoch: z.infer<typeof EpochDataSchema>, ctx: z.RefinementCtx): void {
  const genesisNames = names(genesis);
  if (!isPrefix(names(epoch.staking.epoch_ledger), genesisNames)) {
    ctx.addIssue({ code: "custom", path: ["epoch_data", "staking", "epoch_ledger"], message: `Staking epoch ledger not a prefix of genesis ledger (genesis: ${genesisNames.join(", ")})` });
  }
  if (epoch.next) {
    if (!isPrefix(names(epoch.staking.epoch_ledger), names(epoch.next.epoch_ledger))) {
      ctx.addIssue({ code: "custom", path: ["epoch_data", "next", "epoch_ledger"], message: "Staking epoch ledger not a prefix of next epoch ledger" });
    }
    if (!isPrefix(names(epoch.next.epoch_ledger), genesisNames)) {
      ctx.addIssue({ code: "custom", path: ["epoch_data", "next", "epoch_ledger"], message: `Next epoch ledger not a prefix of genesis ledger (genesis: ${genesisNames.join(", ")})` });
    }
  }
}

export type TestConfigInput = z.input<typeof TestConfigSchema>;
export type TestConfig = z.output<typeof TestConfigSchema>;
export type GenesisAccount = z.output<typeof GenesisAccountSchema>;
export type Timing = z.output<typeof TimingSchema>;
export type Permissions = z.output<typeof PermissionsSchema>;
export type ZkappAccount = z.output<typeof ZkappAccountSchema>;
export type EpochData = z.output<typeof EpochDataSchema>;

export function snarkWorkerName(coordinator: string, index: number): string {
  return `${coordinator}-worker-${index}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

/** Control characters would break "one error per line" (a key could forge an error line). */
const escapeControl = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Every zod issue as "<source>: <path>: <message>", one per line; an unknown field is named, quoted, in its message. */
export function describeIssues(source: string, error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${source}: ${formatPath(issue.path)}: unknown field ${JSON.stringify(key)} (see the fields and defaults in packages/engine/README.md)`);
    }
    return [`${source}: ${escapeControl(formatPath(issue.path))}: ${escapeControl(issue.message)}`];
  });
}

/** Validates a test config and fills Mina's defaults; the error lists every problem with its field. */
export function parseTestConfig(input: unknown, source = "test config"): Result<TestConfig> {
  const parsed = TestConfigSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const lines = describeIssues(source, parsed.error);
  return err(
    new MinaLocalError("invalid-config", lines.join("\n"), {
      hint: "fix the fields named above; defaults and allowed values are listed in packages/engine/README.md",
    }),
  );
}
