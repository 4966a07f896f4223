import { describe, expect, it } from "vitest";
import { gracePeriodEnd, negativeOne, SUB_WINDOWS_PER_WINDOW, updateConsensus, ZERO_STATE_HASH, type ConsensusTrack } from "./consensus-state.js";
import type { Genesis } from "./genesis.js";

// slots_per_epoch 48 (seed update range: slots 0-31), 2 slots per sub-window, 1 s slots
const genesis = { slotsPerEpoch: 48, slotsPerSubWindow: 2, blockWindowMs: 1000 } as Genesis;

function chain(slots: number[]): ConsensusTrack[] {
  const states = [updateConsensus(genesis, negativeOne(genesis), 0, 0, "3Npre")];
  for (let i = 1; i < slots.length; i++) states.push(updateConsensus(genesis, states[i - 1] as ConsensusTrack, slots[i - 1] as number, slots[i] as number, `3N${i - 1}`));
  return states;
}

describe("Mina's consensus state, block by block (proof_of_stake.ml)", () => {
  it("starts from negative_one: zero checkpoints, full window density, the genesis block in sub-window 0", () => {
    const [g] = chain([0]);
    expect(g).toEqual({
      epochCount: 0,
      minWindowDensity: 2 * SUB_WINDOWS_PER_WINDOW,
      subWindowDensities: [1, ...new Array(SUB_WINDOWS_PER_WINDOW - 1).fill(2)],
      stakingEpoch: { startCheckpoint: ZERO_STATE_HASH, lockCheckpoint: ZERO_STATE_HASH, epochLength: 1 },
      nextEpoch: { startCheckpoint: ZERO_STATE_HASH, lockCheckpoint: "3Npre", epochLength: 2 },
    });
  });

  it("counts the epoch's blocks, locks the checkpoint only in the first two thirds, and rolls next into staking at an epoch change", () => {
    const states = chain([0, 5, 31, 32, 47, 49]);
    expect(states.map((s) => s.nextEpoch.epochLength)).toEqual([2, 3, 4, 5, 6, 1]);
    // slot 31 is the last of the seed update range: its parent's hash is the lock checkpoint
    expect(states[2]?.nextEpoch.lockCheckpoint).toBe("3N1");
    expect(states[4]?.nextEpoch.lockCheckpoint).toBe("3N1");
    const first = states[5] as ConsensusTrack;
    expect(first.epochCount).toBe(1);
    expect(first.stakingEpoch).toEqual(states[4]?.nextEpoch);
    expect(first.nextEpoch).toEqual({ startCheckpoint: "3N4", lockCheckpoint: "3N4", epochLength: 1 });
  });

  it("keeps the min window density through the grace period, then takes the window's density", () => {
    expect(gracePeriodEnd(genesis)).toBe(48);
    const sparse = chain([0, 10, 30, 50, 60]);
    expect(sparse.slice(0, 3).map((s) => s.minWindowDensity)).toEqual([22, 22, 22]);
    // at slot 50 the window (sub-windows 14..24] of the previous ones holds the blocks at 30 only
    expect(sparse[3]?.minWindowDensity).toBe(1);
    expect(sparse[3]?.subWindowDensities.reduce((a, b) => a + b, 0)).toBe(2);
  });
});
