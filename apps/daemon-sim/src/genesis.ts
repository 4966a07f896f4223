import { DEFAULT_COINBASE, ACCOUNT_CREATION_FEE, GENESIS_WINNER_ACCOUNT, addsGenesisWinner, parseMina, describeIssues, type RuntimeConfig, RuntimeConfigSchema } from "@mina-local/engine";
import { fieldDigest, stateHashOf, epochSeedOf } from "./encoding.js";
import type { Account, Ledger } from "./ledger.js";

/** Everything a node derives from the runtime config: the consensus constants and the genesis ledger. */
export interface Genesis {
  k: number;
  delta: number;
  slotsPerEpoch: number;
  slotsPerSubWindow: number;
  blockWindowMs: number;
  /** ms since the Unix epoch */
  genesisTimestamp: number;
  coinbase: bigint;
  accountCreationFee: bigint;
  /** user commands per block and the size of a ledger proof's batch: 2^transaction_capacity_log_2 */
  transactionCapacity: number;
  /** the runtime config's proof.level: Mina verifies zkApp proofs only at full */
  proofLevel: "full" | "check" | "none";
  workDelay: number;
  txpoolMaxSize: number;
  ledger: Ledger;
  /** hash of the genesis block: also the chain id every peer must share */
  genesisStateHash: string;
  genesisSeed: string;
}

/** Mina's minimum user-command fee (0.001 MINA). */
export const MINIMUM_USER_COMMAND_FEE = 1_000_000n;

/** Parses the runtime config JSON; errors name the file and the field. */
export function genesisFromRuntimeConfig(input: unknown, file: string): { ok: true; genesis: Genesis } | { ok: false; error: string } {
  const parsed = RuntimeConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeIssues(file, parsed.error).join("\n") };
  const config: RuntimeConfig = parsed.data;
  const timestamp = Date.parse(config.genesis.genesis_state_timestamp);
  if (Number.isNaN(timestamp)) {
    return { ok: false, error: `${file}: genesis.genesis_state_timestamp: "${config.genesis.genesis_state_timestamp}" is not a date (expected ISO 8601, e.g. 2024-01-01T00:00:00Z)` };
  }
  const ledger = new Map<string, Account>();
  for (const [index, entry] of config.ledger.accounts.entries()) {
    const balance = parseMina(entry.balance) ?? 0n;
    const timing = entry.timing && {
      initialMinimumBalance: parseMina(entry.timing.initial_minimum_balance) ?? 0n,
      cliffTime: Number(entry.timing.cliff_time),
      cliffAmount: parseMina(entry.timing.cliff_amount) ?? 0n,
      vestingPeriod: Number(entry.timing.vesting_period),
      vestingIncrement: parseMina(entry.timing.vesting_increment) ?? 0n,
    };
    if (timing && timing.vestingPeriod < 1) return { ok: false, error: `${file}: ledger.accounts[${index}].timing.vesting_period: must be at least 1 slot` };
    if (ledger.has(entry.pk)) return { ok: false, error: `${file}: ledger.accounts[${index}].pk: duplicate account ${entry.pk}` };
    const account: Account = { publicKey: entry.pk, balance, nonce: Number(entry.nonce ?? "0"), delegate: entry.delegate ?? entry.pk, ...(timing && { timing }) };
    ledger.set(entry.pk, account);
  }
  // Mina's daemon adds its genesis winner unless told otherwise, when the proof level is full (genesis_ledger_helper.ml)
  if (addsGenesisWinner(config) && !ledger.has(GENESIS_WINNER_ACCOUNT.pk)) {
    ledger.set(GENESIS_WINNER_ACCOUNT.pk, { publicKey: GENESIS_WINNER_ACCOUNT.pk, balance: parseMina(GENESIS_WINNER_ACCOUNT.balance) ?? 0n, nonce: 0, delegate: GENESIS_WINNER_ACCOUNT.delegate });
  }
  const coinbase = config.proof.coinbase_amount === undefined ? DEFAULT_COINBASE : (parseMina(config.proof.coinbase_amount) ?? DEFAULT_COINBASE);
  const accountCreationFee =
    config.proof.account_creation_fee === undefined ? ACCOUNT_CREATION_FEE : (parseMina(config.proof.account_creation_fee) ?? ACCOUNT_CREATION_FEE);
  // The chain id covers everything consensus depends on, so nodes started from different configs never mix.
  const identity = JSON.stringify({ genesis: config.genesis, proof: config.proof, accounts: config.ledger.accounts });
  return {
    ok: true,
    genesis: {
      k: config.genesis.k,
      delta: config.genesis.delta,
      slotsPerEpoch: config.genesis.slots_per_epoch,
      slotsPerSubWindow: config.genesis.slots_per_sub_window,
      blockWindowMs: config.proof.block_window_duration_ms,
      genesisTimestamp: timestamp,
      coinbase,
      accountCreationFee,
      transactionCapacity: 2 ** config.proof.transaction_capacity["2_to_the"],
      proofLevel: config.proof.level,
      workDelay: config.proof.work_delay,
      txpoolMaxSize: config.daemon?.txpool_max_size ?? 3000,
      ledger,
      genesisStateHash: stateHashOf(fieldDigest("genesis", identity)),
      genesisSeed: epochSeedOf(fieldDigest("seed", identity)),
    },
  };
}

export interface SlotTime {
  globalSlot: number;
  epoch: number;
  slot: number;
  startTime: number;
  endTime: number;
}

export function slotTime(genesis: Genesis, globalSlot: number): SlotTime {
  const startTime = genesis.genesisTimestamp + globalSlot * genesis.blockWindowMs;
  return {
    globalSlot,
    epoch: Math.floor(globalSlot / genesis.slotsPerEpoch),
    slot: globalSlot % genesis.slotsPerEpoch,
    startTime,
    endTime: startTime + genesis.blockWindowMs,
  };
}

/** The current global slot (0 before genesis). */
export function currentGlobalSlot(genesis: Genesis, now: number): number {
  return Math.max(0, Math.floor((now - genesis.genesisTimestamp) / genesis.blockWindowMs));
}
