import type { Block, MinaClient } from "@mina-local/graphql-client";
import { TestFailure } from "./errors.js";

/**
 * A producer's balance moves with every block it wins (coinbase + the fees of the
 * commands in it), so a test that checks a producer's balance accounts for the blocks
 * of the best chain. Blocks are read from the same node and tip as the balance.
 */
export function producerRewards(blocks: readonly Block[], publicKey: string, coinbase: bigint): bigint {
  let total = 0n;
  for (const block of blocks) {
    // the genesis block (height 1) pays no coinbase: its "creator" is whatever the daemon names
    if (block.height <= 1 || block.creator !== publicKey) continue;
    total += coinbase;
    for (const command of block.transactions.userCommands) total += command.fee;
  }
  return total;
}

export interface ChainSnapshot {
  tip: string;
  blocks: Block[];
  balance: bigint;
  nonce: number | undefined;
}

/** Reads the best chain and an account at the same best tip (retries while the tip moves). */
export async function snapshotAccount(client: MinaClient, publicKey: string, maxLength = 290): Promise<ChainSnapshot> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = await client.bestChain(maxLength);
    const account = await client.account(publicKey);
    const after = await client.bestChain(1);
    const tip = before.at(-1)?.stateHash;
    if (tip && tip === after.at(-1)?.stateHash) {
      if (!account) throw new TestFailure(`node ${client.node} has no account ${publicKey}`, "hard", client.node);
      if (before[0] && before[0].height > 2) throw new TestFailure(`the best chain is longer than ${maxLength} blocks: cannot account for every reward`);
      return { tip, blocks: before, balance: account.balance.total, nonce: account.nonce };
    }
  }
  throw new TestFailure(`node ${client.node}'s best tip kept moving while reading ${publicKey}'s balance`, "hard", client.node);
}
