import { formatMina } from "@mina-local/engine";
import { type Block, type ChainNode, type CompletedWork } from "./block.js";
import { base58CheckEncode, epochSeedOf, fieldDigest, hashOf, ledgerHashOf, VERSION } from "./encoding.js";
import type { Genesis } from "./genesis.js";
import { DEFAULT_TOKEN_ID, ledgerHash, totalCurrency, type CommandStatus } from "./ledger.js";
import { commandToMinaJson, type SignedCommand } from "./transaction.js";

/**
 * The JSON a daemon of Mina develop 2023-09 (9f068b1c3b) writes for the values the simulator
 * logs: key order as each `to_yojson` writes it (nested objects are NOT sorted; only a line's
 * top-level metadata is). Shapes from Mina_block.Block.to_yojson (src/lib/mina_block/block.ml),
 * Frontier_base.Breadcrumb.to_yojson (transition_frontier/frontier_base/breadcrumb.ml),
 * Protocol_state / Blockchain_state / Consensus_state as the sample precomputed block of
 * src/lib/mina_block/sample_precomputed_block.ml shows them, Snarked_ledger_state
 * (src/lib/mina_state/snarked_ledger_state.ml), Envelope.Sender and Peer
 * (src/lib/network_peer/), With_status and Transaction_status (src/lib/mina_base/).
 * What the simulator does not model (aux hashes, VRF outputs, window densities) is derived
 * from the block so it is stable across nodes, and encoded as Mina encodes it. Amounts (total_currency,
 * payment amounts) are nanomina strings, fees MINA strings, as Currency.Amount / Currency.Fee write them.
 */

/** The default token id, the empty stack frame and the empty local-state ledger: constants of every Berkeley block (sample_precomputed_block.ml). */
const EMPTY_STACK_FRAME = "0x0641662E94D68EC970D0AFC059D02729BBF4A2CD88C548CCD9FB1E26E570C66C";
const ZERO_FIELD_HEX = `0x${"0".repeat(64)}`;
const EMPTY_LOCAL_LEDGER = "jw6bz2wud1N6itRUHZ5ypo3267stk4UgzkiuWtAMPRZo9g4Udyd";
/** src/config/protocol_version/current.mlh at 9f068b1c3b */
const CURRENT_PROTOCOL_VERSION = "3.0.0";
/** Mina's sub_windows_per_window (Genesis_constants, every network of 2023) */
const SUB_WINDOWS_PER_WINDOW = 11;

const positive = (magnitude: string) => ({ magnitude, sgn: ["Pos"] });

/** Envelope.Sender.to_yojson: `"Local"` or `{"Remote": {host, peer_id, libp2p_port}}` (Peer.to_yojson's order). */
export type Sender = "Local" | { Remote: { host: string; peer_id: string; libp2p_port: number } };

export function remoteSender(host: string, peerId: string, libp2pPort: number): Sender {
  return { Remote: { host, peer_id: peerId, libp2p_port: libp2pPort } };
}

/** User_command.t to_yojson: `["Signed_command", {payload, signer, signature}]`. */
export function userCommandJson(command: SignedCommand): unknown {
  return ["Signed_command", commandToMinaJson(command)];
}

/** Transaction_status.to_yojson: `["Applied"]`, or `["Failed", [[["<Failure>"]]]]` (a Failure.Collection: one list per account update). */
export function statusJson(status: CommandStatus | undefined): unknown {
  return !status || status.applied ? ["Applied"] : ["Failed", [[[status.reason]]]];
}

/** With_status.to_yojson User_command.Valid.to_yojson: `{data, status}`. */
export function withStatusJson(command: SignedCommand, status: CommandStatus | undefined): unknown {
  return { data: userCommandJson(command), status: statusJson(status) };
}

function registers(ledger: string) {
  return {
    first_pass_ledger: ledger,
    second_pass_ledger: ledger,
    pending_coinbase_stack: {
      data: "4QNrZFBTDQCPfEZqBZsaPYx8qdaNFv1nebUyCUsQW9QUJqyuD3un",
      state: { init: "4Yx5U3t3EYQycZ91yj4478bHkLwGkhDHnPbCY9TxgUk69SQityej", curr: "4Yx5U3t3EYQycZ91yj4478bHkLwGkhDHnPbCY9TxgUk69SQityej" },
    },
    local_state: {
      stack_frame: EMPTY_STACK_FRAME,
      call_stack: ZERO_FIELD_HEX,
      transaction_commitment: ZERO_FIELD_HEX,
      full_transaction_commitment: ZERO_FIELD_HEX,
      excess: positive("0"),
      supply_increase: positive("0"),
      ledger: EMPTY_LOCAL_LEDGER,
      success: true,
      account_update_index: "0",
      failure_status_tbl: [],
      will_succeed: true,
    },
  };
}

/** Snarked_ledger_state.t to_yojson (a transaction snark statement; sok_digest is unit: null). */
export function statementJson(source: string, target: string): unknown {
  return {
    source: registers(source),
    target: registers(target),
    connecting_ledger_left: source,
    connecting_ledger_right: target,
    supply_increase: positive("0"),
    fee_excess: [
      { token: DEFAULT_TOKEN_ID, amount: positive("0") },
      { token: DEFAULT_TOKEN_ID, amount: positive("0") },
    ],
    sok_digest: null,
  };
}

/**
 * The statement of one of the simulator's scan-state jobs: the ledgers before and after the
 * job's transaction, derived from the chain and the work id so every node writes the same
 * statement for the same job.
 */
export function jobStatementJson(chainId: string, workId: number): unknown {
  const ledgerAt = (n: number) => ledgerHashOf(fieldDigest("job-ledger", chainId, String(n)));
  return statementJson(ledgerAt(workId), ledgerAt(workId + 1));
}

/** One_or_two.to_yojson: `["One", x]` or `["Two", [x, y]]`. */
function oneOrTwo<T>(items: readonly T[]): unknown {
  return items.length === 1 ? ["One", items[0]] : ["Two", [items[0], items[1]]];
}

/** Snark_pool_diff.compact to_yojson: `{work: <statements>, fee, prover}`; a Fee is MINA in Mina's JSON ("0.025"). */
export function compactSnarkWorkJson(chainId: string, work: CompletedWork): unknown {
  return { work: oneOrTwo(work.workIds.map((id) => jobStatementJson(chainId, id))), fee: formatMina(work.fee), prover: work.prover };
}

/** Snark_pool.Resource_pool.Diff.t to_yojson: `["Add_solved_work", <statements>, {proof, fee: {fee, prover}}]`; proofs are opaque. */
export function snarkPoolDiffJson(chainId: string, work: CompletedWork): unknown {
  return [
    "Add_solved_work",
    oneOrTwo(work.workIds.map((id) => jobStatementJson(chainId, id))),
    { proof: oneOrTwo(work.workIds.map(() => "<opaque>")), fee: { fee: formatMina(work.fee), prover: work.prover } },
  ];
}

/** Transaction_snark_work.Statement.compact_json: the statements' hashes as ints (the simulator's work ids). */
export function workIdsJson(workIds: readonly number[]): number[] {
  return [...workIds];
}

const digest = (...parts: string[]) => fieldDigest("mina-json", ...parts);

function epochDataJson(ledgerHash: string, total: bigint, seed: string, startCheckpoint: string, lockCheckpoint: string, length: number) {
  return {
    ledger: { hash: ledgerHash, total_currency: total.toString() },
    seed,
    start_checkpoint: startCheckpoint,
    lock_checkpoint: lockCheckpoint,
    epoch_length: String(length),
  };
}

/** Protocol_state.value_to_yojson of a block in the frontier. */
export function protocolStateJson(genesis: Genesis, node: ChainNode): unknown {
  const block = node.block;
  const epoch = Math.floor(block.globalSlot / genesis.slotsPerEpoch);
  const slotInEpoch = block.globalSlot % genesis.slotsPerEpoch;
  const total = totalCurrency(node.ledger);
  const vrf = `${digest("vrf", block.stateHash).toString("base64url")}=`;
  const densities = Array.from({ length: SUB_WINDOWS_PER_WINDOW }, (_, i) => (i === 0 ? "1" : "0"));
  return {
    previous_state_hash: block.previousStateHash,
    body: {
      genesis_state_hash: genesis.genesisStateHash,
      blockchain_state: {
        staged_ledger_hash: {
          non_snark: {
            ledger_hash: block.stagedLedgerHash,
            aux_hash: base58CheckEncode(VERSION.stagedLedgerAuxHash, digest("aux", block.stateHash)),
            pending_coinbase_aux: base58CheckEncode(VERSION.pendingCoinbaseAux, digest("pending-coinbase-aux", block.stateHash)),
          },
          pending_coinbase_hash: hashOf(VERSION.pendingCoinbaseHash, digest("pending-coinbase", block.stateHash)),
        },
        genesis_ledger_hash: genesisLedgerHash(genesis),
        ledger_proof_statement: statementJson(block.snarkedLedgerHash, block.snarkedLedgerHash),
        timestamp: String(block.timestamp),
        body_reference: digest("body", block.stateHash).toString("hex"),
      },
      consensus_state: {
        blockchain_length: String(block.height),
        epoch_count: String(epoch),
        min_window_density: String(SUB_WINDOWS_PER_WINDOW * genesis.slotsPerSubWindow),
        sub_window_densities: densities,
        last_vrf_output: vrf,
        total_currency: total.toString(),
        curr_global_slot: { slot_number: String(block.globalSlot), slots_per_epoch: String(genesis.slotsPerEpoch) },
        global_slot_since_genesis: String(block.globalSlot),
        staking_epoch_data: epochDataJson(node.epochData.ledgerHash, node.epochData.distribution.total, node.epochData.seed, genesis.genesisStateHash, genesis.genesisStateHash, Math.max(1, epoch)),
        next_epoch_data: epochDataJson(
          node.epochData.next.hash,
          node.epochData.next.distribution.total,
          epochSeedOf(digest("next-seed", block.stateHash)),
          genesis.genesisStateHash,
          block.previousStateHash,
          slotInEpoch + 1,
        ),
        has_ancestor_in_same_checkpoint_window: true,
        block_stake_winner: block.creator,
        block_creator: block.creator,
        coinbase_receiver: block.coinbaseReceiver,
        supercharge_coinbase: node.superchargeCoinbase,
      },
      constants: {
        k: String(genesis.k),
        slots_per_epoch: String(genesis.slotsPerEpoch),
        slots_per_sub_window: String(genesis.slotsPerSubWindow),
        delta: String(genesis.delta),
        genesis_state_timestamp: String(genesis.genesisTimestamp),
      },
    },
  };
}

function genesisLedgerHash(genesis: Genesis): string {
  return ledgerHash(genesis.ledger);
}

/** Mina_block.to_yojson (Block.Stable.V2.to_yojson): the protocol state, the rest opaque. */
export function blockJson(genesis: Genesis, node: ChainNode): unknown {
  return {
    protocol_state: protocolStateJson(genesis, node),
    protocol_state_proof: "<opaque>",
    staged_ledger_diff: "<opaque>",
    delta_transition_chain_proof: "<opaque>",
    current_protocol_version: CURRENT_PROTOCOL_VERSION,
    proposed_protocol_version: "<None>",
  };
}

/** State_hash.State_hashes.to_yojson: `{state_body_hash, state_hash}`. */
export function stateHashesJson(block: Block): unknown {
  return { state_body_hash: hashOf(VERSION.stateBodyHash, digest("body-hash", block.stateHash)), state_hash: block.stateHash };
}

/** Frontier_base.Breadcrumb.to_yojson. */
export function breadcrumbJson(genesis: Genesis, node: ChainNode, receivedAt: Date | undefined): unknown {
  return {
    validated_transition: { data: blockJson(genesis, node), hash: stateHashesJson(node.block) },
    staged_ledger: "<opaque>",
    just_emitted_a_proof: node.block.justEmittedAProof,
    transition_receipt_time: receivedAt ? iso8601Basic(receivedAt) : "<not available>",
  };
}

/** Core's Time.to_string_iso8601_basic ~zone:utc: `2023-09-12T10:49:49.123000Z`. */
function iso8601Basic(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}

/** Gossip_net.Message.msg_to_yojson, with Network_pool.With_nonce `{message, nonce}` around pool diffs. */
export function newStateMessageJson(genesis: Genesis, node: ChainNode): unknown {
  return ["New_state", blockJson(genesis, node)];
}

export function transactionPoolDiffMessageJson(commands: readonly SignedCommand[]): unknown {
  return ["Transaction_pool_diff", { message: commands.map(userCommandJson), nonce: 0 }];
}

export function snarkPoolDiffMessageJson(chainId: string, work: CompletedWork): unknown {
  return ["Snark_pool_diff", { message: snarkPoolDiffJson(chainId, work), nonce: 0 }];
}
