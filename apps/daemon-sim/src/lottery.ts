import { createHash } from "node:crypto";

/** Mina's active-slot coefficient. */
export const ACTIVE_SLOT_COEFFICIENT = 0.75;

/** Mina's threshold: a key holding `stake` of `total` wins a slot with probability 1 - (1 - f)^(stake / total). */
export function winProbability(stake: bigint, total: bigint): number {
  if (stake <= 0n || total <= 0n) return 0;
  const share = Number((stake * 1_000_000_000n) / total) / 1e9;
  return 1 - Math.pow(1 - ACTIVE_SLOT_COEFFICIENT, share);
}

/**
 * The draw in [0, 1): SHA-256 of (epoch seed, global slot, producer key). It stands in for
 * Mina's VRF output: reproducible by every peer, so a received block's win can be checked,
 * but not secret (a real VRF cannot be predicted by others).
 */
export function lotteryDraw(epochSeed: string, globalSlot: number, producer: string): number {
  const digest = createHash("sha256").update(`${epochSeed}|${globalSlot}|${producer}`).digest();
  // 53 bits: exactly representable in a double
  const high = digest.readUInt32BE(0) >>> 5;
  const low = digest.readUInt32BE(4) >>> 6;
  return (high * 2 ** 26 + low) / 2 ** 53;
}

export interface LotteryResult {
  won: boolean;
  draw: number;
  threshold: number;
}

export function runLottery(epochSeed: string, globalSlot: number, producer: string, stake: bigint, total: bigint): LotteryResult {
  const threshold = winProbability(stake, total);
  const draw = lotteryDraw(epochSeed, globalSlot, producer);
  return { won: draw < threshold, draw, threshold };
}
