import { defineTest, nodesToInitialize } from "@mina-local/executive";

/** A test with a bug: a section throws. The run must fail in that section and tear down. */
export default defineTest({
  name: "throws",
  description: "initializes, then a section throws an exception of the test's own",
  config: {
    genesis_ledger: [{ account_name: "bp-key", balance: "1000" }],
    block_producers: [{ node_name: "bp", account_name: "bp-key" }],
    k: 4,
    slots_per_epoch: 24,
    proof_config: { block_window_duration_ms: 1000 },
  },
  async run(t) {
    await t.section("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    await t.section("a section with a bug", () => {
      const accounts: Array<{ balance: string }> = [];
      // the bug: reading past the end of a list
      return Promise.resolve((accounts[3] as { balance: string }).balance);
    });
  },
});
