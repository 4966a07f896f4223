import { describe, expect, it } from "vitest";
import { commonPrefixOf, compareBestChains } from "./chains.js";

const chain = (from: number, hashes: string[]) => hashes.map((stateHash, i) => ({ stateHash, height: from + i }));

describe("compareBestChains", () => {
  it("sees chains that agree up to the tip", () => {
    const result = compareBestChains({ a: chain(3, ["h3", "h4", "h5"]), b: chain(3, ["h3", "h4", "h5"]) }, 2);
    expect(result).toEqual({ tips: { a: 5, b: 5 }, highestTip: 5, agreedUpTo: 5, finalityConflicts: [] });
  });

  it("compares only the heights every chain holds (a node one block ahead)", () => {
    const result = compareBestChains({ a: chain(3, ["h3", "h4", "h5", "h6"]), b: chain(2, ["h2", "h3", "h4", "h5"]) }, 3);
    expect(result.agreedUpTo).toBe(5);
    expect(result.highestTip).toBe(6);
    expect(result.finalityConflicts).toEqual([]);
  });

  it("ends the common prefix at the first fork, even if the chains meet again above it", () => {
    const result = compareBestChains({ a: chain(1, ["h1", "h2", "x3", "h4"]), b: chain(1, ["h1", "h2", "y3", "h4"]) }, 10);
    expect(result.agreedUpTo).toBe(2);
  });

  it("reports a block k deep on one node that another node replaced", () => {
    const result = compareBestChains({ a: chain(1, ["h1", "h2", "h3", "h4"]), b: chain(1, ["h1", "other2", "b3", "b4"]) }, 2);
    expect(result.finalityConflicts).toEqual(["height 2: final block h2 on a, other2 on b", "height 2: final block other2 on b, h2 on a"]);
    expect(result.agreedUpTo).toBe(1);
  });

  it("has no common prefix when the chains share no block", () => {
    expect(compareBestChains({ a: chain(1, ["a1"]), b: chain(1, ["b1"]) }, 1).agreedUpTo).toBeUndefined();
    expect(compareBestChains({ a: chain(1, ["a1"]), b: chain(5, ["b5"]) }, 1).agreedUpTo).toBeUndefined();
  });
});

describe("commonPrefixOf (Mina's check_common_prefixes)", () => {
  const chain = (...hashes: string[]) => hashes.map((stateHash, i) => ({ stateHash, height: i + 1 }));
  it("counts the blocks every chain holds against the longest chain", () => {
    expect(commonPrefixOf({ a: chain("g", "b1", "b2"), b: chain("g", "b1", "b2") })).toEqual({ commonLength: 3, longestLength: 3, difference: 0 });
    expect(commonPrefixOf({ a: chain("g", "b1", "b2", "b3"), b: chain("g", "b1", "b2") })).toEqual({ commonLength: 3, longestLength: 4, difference: 1 });
    expect(commonPrefixOf({ a: chain("g", "b1", "x2", "x3"), b: chain("g", "b1", "y2"), c: chain("g", "b1") })).toEqual({ commonLength: 2, longestLength: 4, difference: 2 });
  });
});
