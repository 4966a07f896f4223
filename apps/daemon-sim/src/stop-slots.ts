import type { Genesis } from "./genesis.js";

/**
 * Mina's stop slots (the runtime config's daemon.slot_tx_end and daemon.slot_chain_end; the
 * RFC "Stop processing transactions / stop the network after a certain slot", used for the
 * Berkeley hard fork). Each rule names the MinaProtocol/mina source it follows. Mina compares
 * global slots since the hard fork; without a fork (the simulator does not model proof.fork)
 * they are the global slots since genesis.
 */

type StopSlots = Pick<Genesis, "slotTxEnd" | "slotChainEnd">;

/**
 * block_producer.ml's generate_next_state (00afb34538): a won slot at or after slot_chain_end
 * produces no block ("Reached slot_chain_end $slot_chain_end, not producing blocks").
 */
export function reachedSlotChainEnd(stops: StopSlots, globalSlot: number): boolean {
  return stops.slotChainEnd !== undefined && globalSlot >= stops.slotChainEnd;
}

/**
 * block_producer.ml's generate_next_state (00afb34538): at or after slot_tx_end the producer
 * takes Staged_ledger_diff.empty_diff ("Reached slot_tx_end $slot_tx_end, producing empty
 * block"): no user command, no snark work, and no coinbase (the empty diff's coinbase is Zero).
 */
export function producesEmptyDiff(stops: StopSlots, globalSlot: number): boolean {
  return stops.slotTxEnd !== undefined && globalSlot >= stops.slotTxEnd;
}

/** The coinbase of a block of `globalSlot`: Mina's coinbase, none in an empty diff after slot_tx_end. */
export function coinbaseAt(genesis: Pick<Genesis, "coinbase" | "slotTxEnd">, globalSlot: number): bigint {
  return producesEmptyDiff(genesis, globalSlot) ? 0n : genesis.coinbase;
}

/**
 * network_pool/indexed_pool.ml (add_from_gossip_exn; Command_error.After_slot_tx_end): at or
 * after slot_tx_end by the node's clock, the pool takes no command, from its GraphQL or from
 * gossip, before any other check.
 */
export function poolRefusesAt(stops: StopSlots, currentGlobalSlot: number): "After_slot_tx_end" | undefined {
  return producesEmptyDiff(stops, currentGlobalSlot) ? "After_slot_tx_end" : undefined;
}

/**
 * transition_handler/validator.ml's validate_transition (newest): a received block of a slot at
 * or after slot_chain_end is rejected ("block after slot_chain_end"); one at or after
 * slot_tx_end must carry the empty diff ("not empty staged ledger diff after slot_tx_end").
 * The reason is Mina's `$reason` of "Validation error: external transition with state hash
 * $state_hash was rejected for reason $reason".
 */
export function stopSlotRejection(stops: StopSlots, block: { globalSlot: number; commands: readonly unknown[]; snarkWorks: readonly unknown[] }): string | undefined {
  if (reachedSlotChainEnd(stops, block.globalSlot)) return "block after slot_chain_end";
  if (producesEmptyDiff(stops, block.globalSlot) && (block.commands.length > 0 || block.snarkWorks.length > 0)) {
    return "not empty staged ledger diff after slot_tx_end";
  }
  return undefined;
}
