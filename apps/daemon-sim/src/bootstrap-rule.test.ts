import { describe, expect, it } from "vitest";
import { shouldBootstrap, type SyncView } from "./bootstrap-rule.js";

// k 2, delta 0 (Mina's medium_bootstrap.ml): bootstrap when the candidate is more than 2k + 1 = 5 above our root
const view = (v: Partial<SyncView>): SyncView => ({ ownBestHeight: 10, ownRootHeight: 8, candidateHeight: 11, candidateRootHeight: 9, candidateRootKnown: true, k: 2, delta: 0, ...v });

describe("shouldBootstrap (Mina's should_bootstrap_len against the frontier root)", () => {
  it("catches up while the candidate is at most 2k + delta + 1 above our root, bootstraps past it", () => {
    // our root 8: 13 - 8 = 5 is not more than 5; its frontier (root 11) connects to our best tip 10
    expect(shouldBootstrap(view({ candidateHeight: 13, candidateRootHeight: 11, candidateRootKnown: false }))).toBe(false);
    expect(shouldBootstrap(view({ candidateHeight: 14, candidateRootHeight: 12, candidateRootKnown: false }))).toBe(true);
  });

  it("counts delta", () => {
    expect(shouldBootstrap(view({ candidateHeight: 14, candidateRootHeight: 11, delta: 1 }))).toBe(false);
    expect(shouldBootstrap(view({ candidateHeight: 15, candidateRootHeight: 11, delta: 1 }))).toBe(true);
  });

  it("a fresh node at genesis bootstraps past 2k + 1 blocks (medium bootstrap), and sooner when the peer's frontier cannot connect to genesis", () => {
    const fresh = { ownBestHeight: 1, ownRootHeight: 1, candidateRootKnown: false };
    expect(shouldBootstrap(view({ ...fresh, candidateHeight: 7, candidateRootHeight: 2, k: 5 }))).toBe(false);
    expect(shouldBootstrap(view({ ...fresh, candidateHeight: 7, candidateRootHeight: 5 }))).toBe(true);
    expect(shouldBootstrap(view({ ...fresh, candidateHeight: 5, candidateRootHeight: 3 }))).toBe(true);
  });
});
