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
  /** Mina's supercharged_coinbase_factor: the coinbase of a block whose winner has no locked tokens is multiplied by it */
  superchargedCoinbaseFactor: number;
  accountCreationFee: bigint;
  /** user commands per block and the size of a ledger proof's batch: 2^transaction_capacity_log_2 */
  transactionCapacity: number;
  /** the runtime config's proof.level: Mina verifies zkApp proofs only at full */
  proofLevel: "full" | "check" | "none";
  workDelay: number;
  txpoolMaxSize: number;
  ledger: Ledger;
  /**
   * The runtime config's daemon.slot_tx_end / daemon.slot_chain_end (Runtime_config.Daemon;
   * unset: Mina's None, no stop slot). Global slots since the hard fork, which are the global
   * slots since genesis here: the simulator does not model proof.fork.
   */
  slotTxEnd?: number;
  slotChainEnd?: number;
  /**
   * The runtime config's epoch_data (genesis_ledger_helper.ml's Epoch_data.load at 9f068b1c3b):
   * the genesis staking epoch ledger and seed, and the next one (unset: the staking one, as
   * proof_of_stake.ml's Consensus_state.create_genesis takes it). No epoch_data: both are the
   * genesis ledger.
   */
  epochLedgers?: { staking: EpochLedger; next?: EpochLedger };
  /** hash of the genesis block: also the chain id every peer must share */
  genesisStateHash: string;
  genesisSeed: string;
}

export interface EpochLedger {
  ledger: Ledger;
  seed: string;
}

/**
 * Mina's supercharged_coinbase_factor at develop 9f068b1c3b: 1 in every build profile
 * (src/config/supercharged_coinbase_factor/one.mlh, imported by devnet, mainnet, lightnet,
 * dev...), so an unlocked winner's coinbase is the plain coinbase unless the runtime config's
 * proof.supercharged_coinbase_factor says otherwise (genesis_ledger_helper_lib.ml).
 */
export const DEFAULT_SUPERCHARGED_COINBASE_FACTOR = 1;

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
  const ledger = ledgerOf(config.ledger.accounts, `${file}: ledger.accounts`);
  if (typeof ledger === "string") return { ok: false, error: ledger };
  // Mina's daemon adds its genesis winner unless told otherwise, when the proof level is full (genesis_ledger_helper.ml)
  const withWinner = (l: Map<string, Account>) => {
    if (addsGenesisWinner(config) && !l.has(GENESIS_WINNER_ACCOUNT.pk)) {
      l.set(GENESIS_WINNER_ACCOUNT.pk, { publicKey: GENESIS_WINNER_ACCOUNT.pk, balance: parseMina(GENESIS_WINNER_ACCOUNT.balance) ?? 0n, nonce: 0, delegate: GENESIS_WINNER_ACCOUNT.delegate });
    }
    return l;
  };
  withWinner(ledger);
  let epochLedgers: Genesis["epochLedgers"];
  if (config.epoch_data) {
    // genesis_ledger_helper.ml (Epoch_data.load): each epoch ledger is loaded as the genesis ledger is, with its seed
    const staking = ledgerOf(config.epoch_data.staking.accounts, `${file}: epoch_data.staking.accounts`);
    if (typeof staking === "string") return { ok: false, error: staking };
    const nextData = config.epoch_data.next;
    const next = nextData && ledgerOf(nextData.accounts, `${file}: epoch_data.next.accounts`);
    if (typeof next === "string") return { ok: false, error: next };
    epochLedgers = {
      staking: { ledger: withWinner(staking), seed: config.epoch_data.staking.seed },
      ...(next && nextData && { next: { ledger: withWinner(next), seed: nextData.seed } }),
    };
  }
  const coinbase = config.proof.coinbase_amount === undefined ? DEFAULT_COINBASE : (parseMina(config.proof.coinbase_amount) ?? DEFAULT_COINBASE);
  const accountCreationFee = config.proof.account_creation_fee === undefined ? ACCOUNT_CREATION_FEE : (parseMina(config.proof.account_creation_fee) ?? ACCOUNT_CREATION_FEE);
  // The chain id covers everything consensus depends on, so nodes started from different configs never mix.
  const identity = JSON.stringify({ genesis: config.genesis, proof: config.proof, accounts: config.ledger.accounts, ...(config.epoch_data && { epoch_data: config.epoch_data }) });
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
      superchargedCoinbaseFactor: config.proof.supercharged_coinbase_factor ?? DEFAULT_SUPERCHARGED_COINBASE_FACTOR,
      accountCreationFee,
      transactionCapacity: 2 ** config.proof.transaction_capacity["2_to_the"],
      proofLevel: config.proof.level,
      workDelay: config.proof.work_delay,
      txpoolMaxSize: config.daemon?.txpool_max_size ?? 3000,
      ledger,
      ...(config.daemon?.slot_tx_end !== undefined && { slotTxEnd: config.daemon.slot_tx_end }),
      ...(config.daemon?.slot_chain_end !== undefined && { slotChainEnd: config.daemon.slot_chain_end }),
      ...(epochLedgers && { epochLedgers }),
      genesisStateHash: stateHashOf(fieldDigest("genesis", identity)),
      genesisSeed: epochSeedOf(fieldDigest("seed", identity)),
    },
  };
}

/** A runtime config ledger's accounts (genesis or epoch ledger) as the simulator's ledger; an error names the field. */
function ledgerOf(accounts: RuntimeConfig["ledger"]["accounts"], where: string): Map<string, Account> | string {
  const ledger = new Map<string, Account>();
  for (const [index, entry] of accounts.entries()) {
    const balance = parseMina(entry.balance) ?? 0n;
    const timing = entry.timing && {
      initialMinimumBalance: parseMina(entry.timing.initial_minimum_balance) ?? 0n,
      cliffTime: Number(entry.timing.cliff_time),
      cliffAmount: parseMina(entry.timing.cliff_amount) ?? 0n,
      vestingPeriod: Number(entry.timing.vesting_period),
      vestingIncrement: parseMina(entry.timing.vesting_increment) ?? 0n,
    };
    if (timing && timing.vestingPeriod < 1) return `${where}[${index}].timing.vesting_period: must be at least 1 slot`;
    if (ledger.has(entry.pk)) return `${where}[${index}].pk: duplicate account ${entry.pk}`;
    const account: Account = { publicKey: entry.pk, balance, nonce: Number(entry.nonce ?? "0"), delegate: entry.delegate ?? entry.pk, ...(timing && { timing }) };
    ledger.set(entry.pk, account);
  }
  return ledger;
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
