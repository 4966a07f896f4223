import Client from "mina-signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimNetwork, graphqlRequest, startNode, waitFor, type SimNetwork, type SimNode } from "./testing/sim-network.js";

const signer = new Client({ network: "testnet" });

const SLOT_MS = 1000;
const SLOT_TX_END = 4;
const SLOT_CHAIN_END = 7;

const SEND_PAYMENT = `mutation Send($input: SendPaymentInput!, $signature: SignatureInput) {
  sendPayment(input: $input, signature: $signature) { payment { hash } }
}`;
const BEST_CHAIN = `query { bestChain(maxLength: 40) { commandTransactionCount protocolState { consensusState { slotSinceGenesis } } transactions { coinbase } snarkJobs { workIds } } }`;

/** A producer process with the runtime config's daemon.slot_tx_end / slot_chain_end (block_producer.ml, indexed_pool.ml). */
describe("a producer with slot_tx_end and slot_chain_end", () => {
  let network: SimNetwork;
  const bp = () => network.nodes.get("bp") as SimNode;

  beforeAll(async () => {
    network = await createSimNetwork({
      genesis_ledger: [
        { account_name: "bp-key", balance: "1000" },
        { account_name: "sender", balance: "100" },
      ],
      block_producers: [{ node_name: "bp", account_name: "bp-key" }],
      k: 5,
      slots_per_epoch: 48,
      slot_tx_end: SLOT_TX_END,
      slot_chain_end: SLOT_CHAIN_END,
      proof_config: { block_window_duration_ms: SLOT_MS },
    });
    await startNode(network, "seed");
    await startNode(network, "bp");
  }, 40_000);

  afterAll(async () => {
    await network?.cleanup();
  });

  const linesWith = (message: string) => bp().lines.filter((l) => l.message === message);

  it("produces empty blocks from slot_tx_end on, then none from slot_chain_end on; the pool refuses commands after slot_tx_end", async () => {
    // a single producer wins a slot with probability 0.75: within 20 slots of slot_chain_end it has won one
    await waitFor("the producer to win a slot after slot_chain_end", 30_000, () => linesWith("Reached slot_chain_end $slot_chain_end, not producing blocks").length > 0);
    expect(linesWith("Reached slot_chain_end $slot_chain_end, not producing blocks")[0]?.metadata).toMatchObject({ slot_chain_end: String(SLOT_CHAIN_END) });
    expect(linesWith("Reached slot_tx_end $slot_tx_end, producing empty block")[0]?.metadata).toMatchObject({ slot_tx_end: String(SLOT_TX_END) });

    const sender = network.config.accounts.find((a) => a.name === "sender")?.keypair;
    if (!sender) throw new Error("no sender account");
    const payment = { from: sender.publicKey, to: signer.genKeys().publicKey, amount: "1000000000", fee: "100000000", nonce: "0", memo: "" };
    const signed = signer.signPayment(payment, sender.privateKey);
    const refused = await graphqlRequest(bp(), SEND_PAYMENT, { input: payment, signature: signed.signature });
    expect(refused.errors?.[0]?.message).toBe('Couldn\'t send user command: ["After_slot_tx_end"]');

    const chain = await graphqlRequest(bp(), BEST_CHAIN);
    type Answer = { commandTransactionCount: number; protocolState: { consensusState: { slotSinceGenesis: string } }; transactions: { coinbase: string }; snarkJobs: unknown[] }[];
    const blocks = ((chain.data?.bestChain ?? []) as Answer).map((b) => ({
      slot: Number(b.protocolState.consensusState.slotSinceGenesis),
      coinbase: b.transactions.coinbase,
      commands: b.commandTransactionCount,
      works: b.snarkJobs.length,
    }));
    const produced = blocks.filter((b) => b.slot > 0);
    expect(produced.length).toBeGreaterThan(0);
    expect(produced.filter((b) => b.slot >= SLOT_CHAIN_END)).toEqual([]);
    expect(produced.filter((b) => b.slot >= SLOT_TX_END && (b.coinbase !== "0" || b.commands > 0 || b.works > 0))).toEqual([]);
    expect(produced.filter((b) => b.slot < SLOT_TX_END && b.coinbase === "0")).toEqual([]);
  }, 60_000);
});
