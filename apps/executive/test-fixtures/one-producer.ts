import type { TestConfigInput } from "@mina-local/executive";

/** The smallest network the fixtures need: a seed and one block producer with fast slots. */
export const ONE_PRODUCER: TestConfigInput = {
  genesis_ledger: [{ account_name: "bp-key", balance: "1000" }],
  block_producers: [{ node_name: "bp", account_name: "bp-key" }],
  k: 4,
  slots_per_epoch: 24,
  proof_config: { block_window_duration_ms: 1000 },
};
