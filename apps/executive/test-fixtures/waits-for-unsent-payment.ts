import { defineTest, nodesToInitialize, signedCommandToBeIncluded } from "@mina-local/executive";

/** Deliberately broken: waits for a payment that was never sent, so it must fail with a hard error. */
export default defineTest({
  name: "waits-for-unsent-payment",
  description: "broken on purpose: waits for the inclusion of a payment nobody sent",
  config: {
    genesis_ledger: [{ account_name: "bp-key", balance: "1000" }],
    block_producers: [{ node_name: "bp", account_name: "bp-key" }],
    k: 4,
    slots_per_epoch: 24,
    proof_config: { block_window_duration_ms: 1000 },
  },
  async run(t) {
    await t.section("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    await t.section("wait for a payment that was never sent", () => t.waitFor(signedCommandToBeIncluded("5JuNeverSentPaymentHash", "the unsent payment")));
    await t.section("never reached", async () => undefined);
  },
});
