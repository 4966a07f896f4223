import { describe, expect, it } from "vitest";
import { lotteryDraw, runLottery, winProbability } from "./lottery.js";

describe("lottery", () => {
  it("never lets zero stake win", () => {
    for (let slot = 0; slot < 2000; slot++) expect(runLottery("seed", slot, "B62qzero", 0n, 1000n).won).toBe(false);
  });

  it("is deterministic in (seed, slot, key) and differs between keys", () => {
    expect(lotteryDraw("seed", 7, "B62qa")).toBe(lotteryDraw("seed", 7, "B62qa"));
    expect(lotteryDraw("seed", 7, "B62qa")).not.toBe(lotteryDraw("seed", 7, "B62qb"));
    expect(lotteryDraw("seed", 7, "B62qa")).not.toBe(lotteryDraw("other", 7, "B62qa"));
  });

  it("uses Mina's threshold 1 - (1 - 0.75)^(stake share)", () => {
    expect(winProbability(1n, 1n)).toBeCloseTo(0.75, 9);
    expect(winProbability(1n, 2n)).toBeCloseTo(0.5, 9);
    expect(winProbability(0n, 2n)).toBe(0);
  });

  it("wins roughly in proportion to the threshold", () => {
    const slots = 4000;
    const wins = (stake: bigint) => Array.from({ length: slots }, (_, slot) => runLottery("seed", slot, `B62q${stake}`, stake, 100n).won).filter(Boolean).length;
    const big = wins(75n);
    const small = wins(25n);
    expect(big / slots).toBeGreaterThan(winProbability(75n, 100n) - 0.04);
    expect(big / slots).toBeLessThan(winProbability(75n, 100n) + 0.04);
    expect(small / slots).toBeGreaterThan(winProbability(25n, 100n) - 0.04);
    expect(small / slots).toBeLessThan(winProbability(25n, 100n) + 0.04);
    expect(big).toBeGreaterThan(small);
  });
});
