import type { BlockRewards, MinaClient } from "@mina-local/graphql-client";
import { TestFailure } from "./errors.js";

/**
 * Reward accounting over the best chain, block by block, from what each block carries
 * (its creator, user-command fees and snark work) and the coinbase the test expects. The
 * simulator pays snark fees out of the coinbase (see apps/daemon-sim/README.md), so a
 * producer earns coinbase - snark fees + its commands' fees; a prover earns its work's fees.
 */
export function rewardFromBlock(block: BlockRewards, publicKey: string, coinbase: bigint): bigint {
  // the genesis block (height 1) pays nothing: its "creator" is Mina's genesis winner
  if (block.height <= 1) return 0n;
  let total = 0n;
  if (block.creator === publicKey) {
    total += coinbase;
    for (const command of block.userCommands) total += command.fee;
    for (const work of block.snarkJobs) total -= work.fee;
  }
  for (const work of block.snarkJobs) if (work.prover === publicKey) total += work.fee;
  return total;
}

export function rewardsOver(blocks: readonly BlockRewards[], publicKey: string, coinbase: bigint): bigint {
  return blocks.reduce((sum, block) => sum + rewardFromBlock(block, publicKey, coinbase), 0n);
}

/** blocks past genesis created by `publicKey` */
export function blocksCreatedBy(blocks: readonly BlockRewards[], publicKey: string): BlockRewards[] {
  return blocks.filter((b) => b.height > 1 && b.creator === publicKey);
}

export interface RewardsSnapshot {
  tip: string;
  /** the best chain from genesis to `tip` */
  blocks: BlockRewards[];
  balances: Record<string, bigint>;
  nonces: Record<string, number | undefined>;
}

/**
 * The best chain from genesis and the accounts' balances at the same best tip (retries
 * while the tip moves). Fails when the chain no longer reaches genesis: the frontier only
 * holds k blocks, so a test that accounts from genesis needs a k above its chain's length.
 */
export async function snapshotRewards(client: MinaClient, publicKeys: readonly string[], maxLength = 290): Promise<RewardsSnapshot> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const blocks = await client.bestChainRewards(maxLength);
    const accounts = await Promise.all(publicKeys.map((pk) => client.account(pk)));
    const after = await client.bestChain(1);
    const tip = blocks.at(-1)?.stateHash;
    if (!tip || tip !== after.at(-1)?.stateHash) continue;
    if (blocks[0]?.height !== 1) {
      throw new TestFailure(`node ${client.node}'s best chain starts at height ${blocks[0]?.height ?? "?"}, not at genesis: raise k so the test can account for every block`, "hard", client.node);
    }
    const balances: Record<string, bigint> = {};
    const nonces: Record<string, number | undefined> = {};
    publicKeys.forEach((pk, i) => {
      const account = accounts[i];
      if (!account) throw new TestFailure(`node ${client.node} has no account ${pk}`, "hard", client.node);
      balances[pk] = account.balance.total;
      nonces[pk] = account.nonce;
    });
    return { tip, blocks, balances, nonces };
  }
  throw new TestFailure(`node ${client.node}'s best tip kept moving while reading balances`, "hard", client.node);
}
