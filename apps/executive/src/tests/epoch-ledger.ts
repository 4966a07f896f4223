import { defineTest } from "../dsl/define-test.js";
import { blocksToBeProduced, nodesToInitialize, withTimeouts } from "../dsl/wait-conditions.js";

/*
 * Ported from Mina's src/app/test_executive/epoch_ledger.ml (MinaProtocol/mina 1a8e76870d),
 * section by section.
 */

/** Epoch_seed.to_base58_check (Field.of_int 42) and (Field.of_int 1729): version byte 0x0d, as Mina writes epoch seeds */
const STAKING_SEED = "2vaTg7GUXqqSB4hTC2RzmgJK2bC1ZDmv73t7YL8dGEJYRcbEi3BQ";
const NEXT_SEED = "2vbcBoM44Am71SWBbT8z9g2c2MEtgxUU2dwSPGQqPnh9ehVfQGUQ";

/** Mina's fork_config of the test (a fork point far from genesis) */
const FORK = { state_hash: "3NKSiqFZQmAS12U8qeX4KNo8b4199spwNh7mrSs4Ci1Vacpfix2Q", blockchain_length: 300000, global_slot_since_genesis: 500000 };

/**
 * Mina's blocks_to_be_produced with twice its slots (as medium-bootstrap's): with 1 s slots on
 * a machine shared by several networks, the event pipeline's lag is a few slots.
 */
const blocksProduced = (n: number) => withTimeouts(blocksToBeProduced(n), { soft: { slots: 4 * n + 2 }, hard: { slots: 2 * (4 * n + 2) } });

/**
 * Mina's epoch-ledger test: the genesis ledger gives both producers a balance of 0, and so does
 * the next epoch ledger; only the staking epoch ledger of the runtime config's epoch_data gives
 * them stake. Blocks are produced only if consensus takes the staking epoch ledger. `broken`
 * leaves epoch_data out, so the staking ledger is the genesis ledger and no block can be produced.
 */
export function makeEpochLedger(options: { broken?: boolean } = {}) {
  const nextAccounts = [
    { account_name: "node-a-key", balance: "0" },
    { account_name: "node-b-key", balance: "0" },
  ];
  const stakingAccounts = [
    { account_name: "node-a-key", balance: "1000" },
    { account_name: "node-b-key", balance: "1000" },
  ];
  return defineTest({
    name: "epoch-ledger",
    description: "producers with no balance in the genesis and next epoch ledgers produce blocks with the stake the runtime config's staking epoch ledger gives them",
    config: {
      genesis_ledger: nextAccounts,
      ...(!options.broken && {
        epoch_data: { staking: { epoch_ledger: stakingAccounts, epoch_seed: STAKING_SEED }, next: { epoch_ledger: nextAccounts, epoch_seed: NEXT_SEED } },
      }),
      block_producers: [
        { node_name: "node-a", account_name: "node-a-key" },
        { node_name: "node-b", account_name: "node-b-key" },
      ],
      k: 20,
      slots_per_epoch: 480,
      proof_config: { block_window_duration_ms: 1000, fork: FORK },
    },
    async run(t) {
      // Mina waits for the nodes outside any section: a failure stops the test
      await t.sectionHard("wait for nodes to initialize", () => t.waitFor(nodesToInitialize(t.network.all.map((n) => n.name))));
      // "Since I made the balances of block producers in genesis ledger and next epoch ledgers to be 0,
      // then blocks would only be produced, if the consensus selects the staking epoch" (Mina's comment)
      await t.section("wait for 3 block to be produced", () => t.waitFor(blocksProduced(3)));
    },
  });
}

export default makeEpochLedger();
