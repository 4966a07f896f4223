/**
 * The parts of Mina's proof-of-stake consensus state the simulator tracks per block, updated as
 * Mina updates them (src/lib/consensus/proof_of_stake.ml, develop 9f068b1c3b: `update_pair`,
 * `Min_window_density.update_min_window_density`, `negative_one`; constants.ml for the grace
 * period): the epoch count, the epoch data's checkpoints and length, and the window densities.
 * Seeds and epoch ledgers stay the simulator's own (see block.ts).
 */
import type { Genesis } from "./genesis.js";

/** Mina's State_hash.(of_hash zero). */
export const ZERO_STATE_HASH = "3NK2tkzqqK5spR2sZ7tujjqPksL45M3UUrcA4WhCkeiPtnugyE2x";

/** Mina's compile-time sub_windows_per_window of the devnet, lightnet and mainnet builds (src/config/*.mlh). */
export const SUB_WINDOWS_PER_WINDOW = 11;

export interface EpochCheckpoints {
  startCheckpoint: string;
  lockCheckpoint: string;
  epochLength: number;
}

export interface ConsensusTrack {
  epochCount: number;
  minWindowDensity: number;
  subWindowDensities: number[];
  stakingEpoch: EpochCheckpoints;
  nextEpoch: EpochCheckpoints;
}

/** Mina's `negative_one`: the state the genesis block is the first update of. */
export function negativeOne(genesis: Genesis): ConsensusTrack {
  const epoch: EpochCheckpoints = { startCheckpoint: ZERO_STATE_HASH, lockCheckpoint: ZERO_STATE_HASH, epochLength: 1 };
  return {
    epochCount: 0,
    minWindowDensity: genesis.slotsPerSubWindow * SUB_WINDOWS_PER_WINDOW,
    subWindowDensities: [0, ...new Array<number>(SUB_WINDOWS_PER_WINDOW - 1).fill(genesis.slotsPerSubWindow)],
    stakingEpoch: epoch,
    nextEpoch: epoch,
  };
}

/** Mina's grace period: min(3 days, one epoch) in slots, during which the min window density stays. */
export function gracePeriodEnd(genesis: Genesis): number {
  const threeDaysMs = 3 * 24 * 60 * 60 * 1000;
  return Math.min(Math.floor(threeDaysMs / genesis.blockWindowMs), genesis.slotsPerEpoch);
}

/** The consensus state of a block at `nextSlot` whose parent (state hash `parentHash`, at `prevSlot`) had `prev`. */
export function updateConsensus(genesis: Genesis, prev: ConsensusTrack, prevSlot: number, nextSlot: number, parentHash: string): ConsensusTrack {
  const epochOf = (slot: number) => Math.floor(slot / genesis.slotsPerEpoch);
  let { stakingEpoch, nextEpoch, epochCount } = prev;
  if (epochOf(nextSlot) > epochOf(prevSlot)) {
    stakingEpoch = nextEpoch;
    nextEpoch = { startCheckpoint: parentHash, lockCheckpoint: ZERO_STATE_HASH, epochLength: 1 };
    epochCount += 1;
  } else {
    nextEpoch = { ...nextEpoch, epochLength: nextEpoch.epochLength + 1 };
  }
  // the seed update range: the first two thirds of the epoch (Slot.in_seed_update_range)
  if (nextSlot % genesis.slotsPerEpoch < Math.floor(genesis.slotsPerEpoch / 3) * 2) nextEpoch = { ...nextEpoch, lockCheckpoint: parentHash };
  const window = updateMinWindowDensity(genesis, prev, prevSlot, nextSlot);
  return { epochCount, stakingEpoch, nextEpoch, ...window };
}

function updateMinWindowDensity(genesis: Genesis, prev: ConsensusTrack, prevSlot: number, nextSlot: number): Pick<ConsensusTrack, "minWindowDensity" | "subWindowDensities"> {
  const prevGlobalSubWindow = Math.floor(prevSlot / genesis.slotsPerSubWindow);
  const nextGlobalSubWindow = Math.floor(nextSlot / genesis.slotsPerSubWindow);
  const prevRelative = prevGlobalSubWindow % SUB_WINDOWS_PER_WINDOW;
  const nextRelative = nextGlobalSubWindow % SUB_WINDOWS_PER_WINDOW;
  const sameSubWindow = prevGlobalSubWindow === nextGlobalSubWindow;
  const overlapping = prevGlobalSubWindow + SUB_WINDOWS_PER_WINDOW >= nextGlobalSubWindow;
  const current = prev.subWindowDensities.map((density, i) => {
    const withinRange = prevRelative < nextRelative ? i > prevRelative && i < nextRelative : i > prevRelative || i < nextRelative;
    if (sameSubWindow) return density;
    if (overlapping && !withinRange) return density;
    return 0;
  });
  const currentDensity = current.reduce((sum, d) => sum + d, 0);
  const minWindowDensity = sameSubWindow || nextSlot < gracePeriodEnd(genesis) ? prev.minWindowDensity : Math.min(currentDensity, prev.minWindowDensity);
  const subWindowDensities = current.map((density, i) => (i === nextRelative ? (sameSubWindow ? density + 1 : 1) : density));
  return { minWindowDensity, subWindowDensities };
}
