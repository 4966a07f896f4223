import type { ChainNode, EpochData } from "../block.js";
import { encodeMemo, fieldDigest } from "../encoding.js";
import type { Genesis } from "../genesis.js";
import { totalCurrency } from "../ledger.js";
import type { ArchiveBlock, ArchiveInternalCommand, ArchiveUserCommand } from "./wire.js";

/** The protocol version the simulator's blocks carry (Mina's Berkeley protocol version 3.0.0). */
const PROTOCOL_VERSION = { transaction: 3, network: 0, patch: 0 };

function epochDataWire(genesis: Genesis, data: EpochData) {
  return {
    ledger: { hash: data.ledgerHash, total_currency: data.distribution.total.toString() },
    seed: data.seed,
    // the simulator has no checkpoints: it names the epoch's seed for both, as a genesis block does
    start_checkpoint: data.seed,
    lock_checkpoint: data.seed,
    epoch_length: String(genesis.slotsPerEpoch),
  };
}

/** The internal commands a block's ledger change implies: the coinbase, then the snark fee transfers (Mina's order). */
function internalCommands(genesis: Genesis, node: ChainNode, userCommands: number): ArchiveInternalCommand[] {
  const block = node.block;
  if (block.height === 1) return [];
  const hash = (...parts: string[]) =>
    `Ckp${fieldDigest("internal-command", block.stateHash, ...parts)
      .toString("hex")
      .slice(0, 48)}`;
  const fees = block.commands.reduce((sum, c) => sum + c.fee, 0n);
  // an empty diff after slot_tx_end has no coinbase (stop-slots.ts); else the block's, supercharged or not
  const commands: ArchiveInternalCommand[] =
    node.coinbase > 0n
      ? [{ sequence_no: userCommands, secondary_sequence_no: 0, command_type: "coinbase", receiver: block.coinbaseReceiver, fee: node.coinbase.toString(), hash: hash("coinbase"), status: "applied" }]
      : [];
  if (fees > 0n) {
    commands.push({ sequence_no: userCommands + 1, secondary_sequence_no: 0, command_type: "fee_transfer", receiver: block.creator, fee: fees.toString(), hash: hash("fees"), status: "applied" });
  }
  block.snarkWorks.forEach((work, i) => {
    commands.push({
      sequence_no: userCommands + commands.length,
      secondary_sequence_no: 0,
      command_type: "fee_transfer_via_coinbase",
      receiver: work.prover,
      fee: work.fee.toString(),
      hash: hash("snark", String(i)),
      status: "applied",
    });
  });
  return commands;
}

/**
 * A frontier block as the archive stores it. What the simulator does not model is filled as a
 * Mina genesis block has it: no VRF output (a digest of the slot and creator stands in), and
 * window densities that do not track missed slots.
 */
export function archiveBlockOf(genesis: Genesis, node: ChainNode): ArchiveBlock {
  const block = node.block;
  const userCmds: ArchiveUserCommand[] = block.commands.map((command, i) => {
    const status = node.statuses[i];
    return {
      sequence_no: i,
      command_type: command.kind,
      fee_payer: command.from,
      source: command.from,
      receiver: command.to,
      nonce: String(command.nonce),
      ...(command.kind === "payment" && { amount: command.amount.toString() }),
      fee: command.fee.toString(),
      valid_until: String(command.validUntil),
      memo: encodeMemo(command.memo),
      hash: command.hash,
      status: !status || status.applied ? "applied" : "failed",
      ...(status && !status.applied && { failure_reason: status.reason }),
    };
  });
  const epochData = epochDataWire(genesis, node.epochData);
  const subWindowDensity = String(genesis.slotsPerSubWindow);
  return {
    state_hash: block.stateHash,
    parent_hash: block.previousStateHash,
    creator: block.creator,
    block_winner: block.creator,
    last_vrf_output: fieldDigest("vrf", String(block.globalSlot), block.creator).toString("hex"),
    snarked_ledger_hash: block.snarkedLedgerHash,
    staking_epoch_data: epochData,
    next_epoch_data: epochData,
    min_window_density: String(genesis.slotsPerSubWindow * 11),
    sub_window_densities: Array.from({ length: 11 }, () => subWindowDensity),
    total_currency: totalCurrency(node.ledger).toString(),
    ledger_hash: block.stagedLedgerHash,
    height: String(block.height),
    global_slot_since_hard_fork: String(block.globalSlot),
    global_slot_since_genesis: String(block.globalSlot),
    timestamp: String(block.timestamp),
    user_cmds: userCmds,
    internal_cmds: internalCommands(genesis, node, userCmds.length),
    protocol_version: PROTOCOL_VERSION,
  };
}
