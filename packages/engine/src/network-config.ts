import { DEFAULT_POSTGRES_IMAGE, archiveAddress, archiveNodeName, archiveSeedName, postgresSpec, postgresUri, type ArchiveSpec } from "./archive.js";
import { formatMina, parseMina } from "./currency.js";
import { libp2pIdentityFrom, minaKeypairFrom, type Keypair, type Libp2pIdentity } from "./keys.js";
import { secureRandomBytes, type RandomBytes } from "./random.js";
import { MINA_PORTS, type NodeRole } from "./roles.js";
import { GENESIS_WINNER_ACCOUNT, minaTimestampOf, type RuntimeAccount, type RuntimeConfig } from "./runtime-config.js";
import { snarkWorkerName, type GenesisAccount, type TestConfig } from "./test-config.js";

export type ProofLevel = "none" | "check" | "full";

export interface Images {
  mina: string;
  /** `mina-archive run` runs in it; default: the Mina image (the simulator image carries an archive process) */
  archive?: string;
  /** PostgreSQL of the archive nodes; default `postgres:16` */
  postgres?: string;
}

export interface NetworkAccount {
  name: string;
  keypair: Keypair;
  /** nanomina */
  balance: bigint;
}

export interface NodeSpec {
  name: string;
  role: NodeRole;
  image: string;
  libp2p: Libp2pIdentity;
  /** the genesis account whose key the node holds (block producers, snark coordinator) */
  account?: NetworkAccount;
  /** the coordinator a snark worker works for */
  coordinator?: string;
  /** decimal MINA, for the snark coordinator */
  snarkWorkerFee?: string;
  /** a seed that feeds an archive node: `-archive-address <archive service>:3086` */
  archiveAddress?: string;
  /** an archive node: the `-postgres-uri` of its PostgreSQL */
  postgresUri?: string;
}

export interface GenesisConstants {
  k: number;
  delta: number;
  slotsPerEpoch: number;
  slotsPerSubWindow: number;
  blockWindowDurationMs: number;
  genesisStateTimestamp: string;
  txpoolMaxSize: number;
  transactionCapacityLog2: number;
  workDelay: number;
}

/** Everything a network needs, fully expanded: what the compose generator turns into files. */
export interface NetworkConfig {
  testnetName: string;
  images: Images;
  constants: GenesisConstants;
  accounts: NetworkAccount[];
  /** seeds first (the seed, then one per archive node), then block producers, snark coordinator, snark workers, archive nodes */
  nodes: NodeSpec[];
  /** per archive node, its PostgreSQL, archive process and feeding seed (Mina's layout) */
  archives: ArchiveSpec[];
  /** libp2p multiaddrs of the seed nodes, passed to every other node with -peer */
  seedPeers: string[];
  snarkWorkerFee: string;
  logPrecomputedBlocks: boolean;
  requiresGraphql: boolean;
  runtimeConfig: RuntimeConfig;
  /**
   * The run's one password for every node's key files (MINA_PRIVKEY_PASS and MINA_LIBP2P_PASS):
   * 32 hex digits drawn from the same randomness as the keys. It protects nothing (it sits in
   * the compose file next to the keys); real Mina daemons just refuse unencrypted key files.
   */
  keyPassword: string;
}

export interface ExpandOptions {
  random?: RandomBytes;
  now?: Date;
  testnetName?: string;
  /**
   * the proof level when the test leaves `proof_config.level` out: the image's own profile
   * (read at run start); default Mina's "full" (test_config.ml's proof_config_default)
   */
  proofLevel?: ProofLevel;
}

export function peerMultiaddr(node: Pick<NodeSpec, "name" | "libp2p">): string {
  return `/dns4/${node.name}/tcp/${MINA_PORTS.external}/p2p/${node.libp2p.peerId}`;
}

/** Test_config + images -> network config. Pure: randomness and the clock are injected. */
export function expandNetworkConfig(config: TestConfig, images: Images, options: ExpandOptions = {}): NetworkConfig {
  const random = options.random ?? secureRandomBytes;
  const now = options.now ?? new Date();

  const accounts: NetworkAccount[] = config.genesis_ledger.map((account) => ({
    name: account.account_name,
    keypair: minaKeypairFrom(random),
    balance: parseMina(account.balance) ?? 0n,
  }));
  const accountByName = new Map(accounts.map((a) => [a.name, a]));
  const node = (name: string, role: NodeRole, extra: Partial<NodeSpec> = {}): NodeSpec => ({
    name,
    role,
    image: role === "archive" && images.archive ? images.archive : images.mina,
    libp2p: libp2pIdentityFrom(random),
    ...extra,
  });

  const seed = node("seed", "seed");
  const nodes: NodeSpec[] = [seed];
  for (const bp of config.block_producers) nodes.push(node(bp.node_name, "block-producer", { account: accountByName.get(bp.account_name) }));
  const sc = config.snark_coordinator;
  if (sc) {
    nodes.push(node(sc.node_name, "snark-coordinator", { account: accountByName.get(sc.account_name), snarkWorkerFee: config.snark_worker_fee }));
    for (let w = 0; w < sc.worker_nodes; w++) nodes.push(node(snarkWorkerName(sc.node_name, w), "snark-worker", { coordinator: sc.node_name }));
  }
  // drawn after the other nodes, so that a seed gives the same keys as before archive nodes existed
  const archives: ArchiveSpec[] = [];
  const archiveSeeds: NodeSpec[] = [];
  for (let index = 1; index <= config.num_archive_nodes; index++) {
    const archive: ArchiveSpec = {
      index,
      archiveNode: archiveNodeName(index),
      seedNode: archiveSeedName(index),
      postgres: postgresSpec(index, images.postgres ?? DEFAULT_POSTGRES_IMAGE),
    };
    archives.push(archive);
    nodes.push(node(archive.archiveNode, "archive", { postgresUri: postgresUri(archive.postgres) }));
    archiveSeeds.push(node(archive.seedNode, "seed", { archiveAddress: archiveAddress(archive) }));
  }
  nodes.splice(1, 0, ...archiveSeeds);

  const constants: GenesisConstants = {
    k: config.k,
    delta: config.delta,
    slotsPerEpoch: config.slots_per_epoch,
    slotsPerSubWindow: config.slots_per_sub_window,
    blockWindowDurationMs: config.proof_config.block_window_duration_ms,
    genesisStateTimestamp: now.toISOString(),
    txpoolMaxSize: config.txpool_max_size,
    transactionCapacityLog2: config.proof_config.transaction_capacity_log_2,
    workDelay: config.proof_config.work_delay,
  };

  return {
    testnetName: options.testnetName ?? "mina-local",
    images,
    constants,
    accounts,
    nodes,
    archives,
    // Mina's engine gives every node but the first seed `-peer <first seed>`, the archive seeds too
    seedPeers: [peerMultiaddr(seed)],
    snarkWorkerFee: config.snark_worker_fee,
    logPrecomputedBlocks: config.log_precomputed_blocks,
    requiresGraphql: config.requires_graphql,
    runtimeConfig: runtimeConfigOf(config, accounts, constants, config.proof_config.level ?? options.proofLevel ?? "full"),
    // drawn after every key, so that a seed gives the same keys as before
    keyPassword: Buffer.from(random(16)).toString("hex"),
  };
}

function timingOf(timing: GenesisAccount["timing"]): RuntimeAccount["timing"] {
  return (
    timing && {
      initial_minimum_balance: timing.initial_minimum_balance,
      cliff_time: String(timing.cliff_time),
      cliff_amount: timing.cliff_amount,
      vesting_period: String(timing.vesting_period),
      vesting_increment: timing.vesting_increment,
    }
  );
}

/**
 * Every field Mina's runtime_config_builder.ml (MinaProtocol/mina 2e362993ab) writes, under
 * Mina's names: accounts as genesis_ledger.ml builds them (pk, sk, balance, delegate = own
 * key, timing, permissions, zkapp), the epoch ledgers with the genesis winner first.
 */
function runtimeConfigOf(config: TestConfig, accounts: NetworkAccount[], constants: GenesisConstants, level: ProofLevel): RuntimeConfig {
  const byName = new Map(accounts.map((a) => [a.name, a]));
  const account = (entry: GenesisAccount, balance: string = entry.balance): RuntimeAccount => {
    const keypair = byName.get(entry.account_name)?.keypair;
    if (!keypair) throw new Error(`no keypair for account ${entry.account_name}: expandNetworkConfig builds one per genesis account`);
    const timing = timingOf(entry.timing);
    return {
      pk: keypair.publicKey,
      sk: keypair.privateKey,
      balance,
      delegate: keypair.publicKey,
      ...(timing && { timing }),
      ...(entry.permissions && { permissions: entry.permissions }),
      ...(entry.zkapp && { zkapp: entry.zkapp }),
    };
  };
  // Mina adds the winner to the epoch ledgers explicitly: nothing else would (runtime_config_builder.ml)
  const epochLedger = (data: NonNullable<TestConfig["epoch_data"]>["staking"]) => ({
    accounts: [
      { ...GENESIS_WINNER_ACCOUNT },
      // the genesis account's keys, with the epoch entry's own balance, timing, permissions and zkApp (Mina's `{ genesis_account with ... }`)
      ...data.epoch_ledger.map((entry) => account(entry, formatMina(parseMina(entry.balance) ?? 0n))),
    ],
    seed: data.epoch_seed,
  });
  const daemon: NonNullable<RuntimeConfig["daemon"]> = {
    txpool_max_size: constants.txpoolMaxSize,
    ...(config.slot_tx_end !== undefined && { slot_tx_end: config.slot_tx_end }),
    ...(config.slot_chain_end !== undefined && { slot_chain_end: config.slot_chain_end }),
    ...(config.hard_fork_genesis_slot_delta !== undefined && { hard_fork_genesis_slot_delta: config.hard_fork_genesis_slot_delta }),
    ...(config.network_id !== undefined && { network_id: config.network_id }),
  };
  return {
    daemon,
    genesis: {
      k: constants.k,
      delta: constants.delta,
      slots_per_epoch: constants.slotsPerEpoch,
      slots_per_sub_window: constants.slotsPerSubWindow,
      grace_period_slots: config.grace_period_slots,
      genesis_state_timestamp: minaTimestampOf(new Date(constants.genesisStateTimestamp)),
    },
    proof: {
      level,
      transaction_capacity: { "2_to_the": constants.transactionCapacityLog2 },
      work_delay: constants.workDelay,
      block_window_duration_ms: constants.blockWindowDurationMs,
      ...(config.proof_config.supercharged_coinbase_factor !== undefined && { supercharged_coinbase_factor: config.proof_config.supercharged_coinbase_factor }),
      fork: { ...config.proof_config.fork },
    },
    ledger: {
      name: "mina-local-test-ledger",
      ...(config.add_genesis_winner !== undefined && { add_genesis_winner: config.add_genesis_winner }),
      accounts: config.genesis_ledger.map((entry) => account(entry, formatMina(parseMina(entry.balance) ?? 0n))),
    },
    ...(config.epoch_data && {
      epoch_data: {
        staking: epochLedger(config.epoch_data.staking),
        ...(config.epoch_data.next && { next: epochLedger(config.epoch_data.next) }),
      },
    }),
  };
}
