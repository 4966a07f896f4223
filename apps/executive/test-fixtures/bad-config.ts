import { defineTest } from "@mina-local/executive";

/** Invalid on purpose: a block producer whose account is not in the genesis ledger. */
export default defineTest({
  name: "bad-config",
  description: "invalid on purpose: must be refused before anything is deployed",
  config: {
    genesis_ledger: [{ account_name: "bp-key", balance: "1000" }],
    block_producers: [{ node_name: "bp", account_name: "nobody" }],
  },
  async run() {
    throw new Error("never runs");
  },
});
