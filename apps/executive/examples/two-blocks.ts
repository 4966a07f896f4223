import { defineTest, nodesToInitialize, blocksToBeProduced } from "@mina-local/executive";

export default defineTest({
  name: "two-blocks",
  description: "the network produces two blocks",
  config: {
    genesis_ledger: [{ account_name: "bp-key", balance: "1000" }],
    block_producers: [{ node_name: "bp", account_name: "bp-key" }],
    k: 4,
    slots_per_epoch: 24,
    proof_config: { block_window_duration_ms: 1000 },
  },
  async run(t) {
    await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
    await t.section("produce two blocks", () => t.waitFor(blocksToBeProduced(2)));
  },
});
