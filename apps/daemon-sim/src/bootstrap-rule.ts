/** What a starting node knows of its own frontier and of the best peer's, to choose between catch-up and bootstrap. */
export interface SyncView {
  ownBestHeight: number;
  ownRootHeight: number;
  candidateHeight: number;
  candidateRootHeight: number;
  /** our frontier holds the candidate's root */
  candidateRootKnown: boolean;
  k: number;
  delta: number;
}

/**
 * Whether a starting node bootstraps rather than catches up to the network's best tip.
 * Mina's is_transition_for_bootstrap (src/lib/transition_router/transition_router.ml) with
 * should_bootstrap_len (src/lib/consensus/proof_of_stake.ml), develop 9f068b1c3b: the candidate's
 * blockchain length exceeds our frontier root's by more than 2k + delta + 1. The simulator adds
 * its own limit: a peer serves its frontier only (root to best tip), which cannot connect to ours
 * when its root is above our best tip's child.
 */
export function shouldBootstrap(v: SyncView): boolean {
  const tooFarAhead = v.candidateHeight - v.ownRootHeight > 2 * v.k + v.delta + 1;
  const cannotConnect = v.candidateRootHeight > v.ownBestHeight + 1 && !v.candidateRootKnown;
  return tooFarAhead || cannotConnect;
}
