import { describe, expect, it } from "vitest";
import type { Block, UserCommand } from "@mina-local/graphql-client";
import { producerRewards } from "./ledger-accounting.js";

const BP1 = "B62qproducerOne";
const BP2 = "B62qproducerTwo";
const COINBASE = 720_000_000_000n;

let n = 0;
function command(fee: bigint, from = "B62qsender"): UserCommand {
  n++;
  return { id: `Cmd${n}`, hash: `CkpHash${n}`, kind: "PAYMENT", from, to: "B62qreceiver", amount: 1_000_000_000n, fee, nonce: n, memo: "", failureReason: undefined };
}

function block(creator: string, fees: bigint[], height: number): Block {
  return {
    stateHash: `3NK${height}`,
    previousStateHash: `3NK${height - 1}`,
    height,
    slot: height + 1,
    epoch: 0,
    slotInEpoch: height + 1,
    creator,
    commandTransactionCount: fees.length,
    transactions: { userCommands: fees.map((fee) => command(fee)) },
  };
}

describe("producerRewards", () => {
  it("is the coinbase plus the fees of each block the producer created, and nothing from other blocks", () => {
    const chain = [block(BP1, [], 2), block(BP2, [10_000_000n], 3), block(BP1, [100_000_000n, 25_000_000n], 4), block(BP2, [], 5)];
    expect(producerRewards(chain, BP1, COINBASE)).toBe(2n * COINBASE + 125_000_000n);
    expect(producerRewards(chain, BP2, COINBASE)).toBe(2n * COINBASE + 10_000_000n);
  });

  it("counts the fees of failed commands too (Mina charges the fee even when the body fails)", () => {
    const failed: UserCommand = { ...command(7n), failureReason: "Source_insufficient_balance" };
    const chain: Block[] = [{ ...block(BP1, [], 2), transactions: { userCommands: [failed] } }];
    expect(producerRewards(chain, BP1, COINBASE)).toBe(COINBASE + 7n);
  });

  it("is zero for a key that produced no block, or an empty chain", () => {
    expect(producerRewards([block(BP2, [5n], 2)], BP1, COINBASE)).toBe(0n);
    expect(producerRewards([], BP1, COINBASE)).toBe(0n);
  });
});
