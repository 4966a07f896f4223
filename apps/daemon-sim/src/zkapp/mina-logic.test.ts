import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { zkappPayment } from "../testing/zkapp-commands.js";
import { feePayerSignatureVerifies, loadMinaLogic, minaLogicLoaded, parseZkappCommand, receiptChainHashToBase58 } from "./mina-logic.js";

const keys = new Client({ network: "testnet" });

// one file, one module registry (vitest isolates test files): the order of these tests matters
describe("o1js' zkApp logic loads on demand", () => {
  it("is not loaded by the simulator's modules: the daemon, its GraphQL and its zkApp pool", async () => {
    await import("../daemon.js");
    await import("../graphql.js");
    expect(minaLogicLoaded()).toBe(false);
  });

  it("answers an internal error, never a value, when used before it is loaded", () => {
    const json = zkappPayment({ sender: keys.genKeys(), receiver: keys.genKeys().publicKey, amount: 1n, nonce: 0 });
    expect(() => parseZkappCommand(json)).toThrow(/internal error: .*before loadMinaLogic\(\)/);
    // a signature check must not read a missing load as an invalid signature
    expect(() => feePayerSignatureVerifies({} as never, 0n)).toThrow(/internal error/);
    expect(() => receiptChainHashToBase58(0n)).toThrow(/internal error/);
  });

  it("works once loaded, and a second load shares the first", async () => {
    await Promise.all([loadMinaLogic(), loadMinaLogic()]);
    expect(minaLogicLoaded()).toBe(true);
    const sender = keys.genKeys();
    const typed = parseZkappCommand(zkappPayment({ sender, receiver: keys.genKeys().publicKey, amount: 1n, nonce: 0 }));
    expect(typed.accountUpdates.length).toBeGreaterThan(0);
    expect(receiptChainHashToBase58(0n)).toMatch(/^2/);
  });
});
