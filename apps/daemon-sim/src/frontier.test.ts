import Client from "mina-signer";
import { describe, expect, it } from "vitest";
import { buildBlock, epochDataFor, epochOf, genesisNode, isBetterTip, stakeOf, validateBlock, type ChainNode } from "./block.js";
import { genesisFromRuntimeConfig, type Genesis } from "./genesis.js";
import { Frontier, frontierFromSnapshot } from "./frontier.js";
import { runLottery } from "./lottery.js";

const signer = new Client({ network: "testnet" });
const a = signer.genKeys();
const b = signer.genKeys();

function testGenesis(k = 2): Genesis {
  const result = genesisFromRuntimeConfig(
    {
      genesis: { k, delta: 0, slots_per_epoch: 48, slots_per_sub_window: 2, genesis_state_timestamp: "2024-01-01T00:00:00Z" },
      proof: { level: "none", transaction_capacity: { "2_to_the": 2 }, work_delay: 1, block_window_duration_ms: 1000 },
      ledger: {
        accounts: [
          { pk: a.publicKey, balance: "1000" },
          { pk: b.publicKey, balance: "1000" },
        ],
      },
    },
    "test.json",
  );
  if (!result.ok) throw new Error(result.error);
  return result.genesis;
}

/** The next slot after `parent` that `producer` wins, and the block it makes there. */
function nextBlock(genesis: Genesis, parent: ChainNode, producer: string, after = parent.block.globalSlot): ChainNode {
  for (let slot = after + 1; slot < after + 200; slot++) {
    const epochData = epochDataFor(parent, epochOf(genesis, slot));
    if (!runLottery(epochData.seed, slot, producer, stakeOf(epochData, producer), epochData.distribution.total).won) continue;
    const built = buildBlock(genesis, parent, { globalSlot: slot, creator: producer, coinbaseReceiver: producer, commands: [], snarkWorks: [] });
    if (!built.ok) throw new Error(built.error);
    return built.node;
  }
  throw new Error("no winning slot");
}

describe("runtime config", () => {
  it("names the file and the field of a bad value", () => {
    const result = genesisFromRuntimeConfig({ genesis: { k: "x" } }, "/cfg/runtime.json");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^\/cfg\/runtime\.json: genesis\.k: /m);
  });
});

describe("blocks and chain selection", () => {
  const genesis = testGenesis();
  const root = genesisNode(genesis);

  it("validates a peer's block by recomputing it, and rejects tampering and slots the creator did not win", () => {
    const node = nextBlock(genesis, root, a.publicKey);
    expect(validateBlock(genesis, root, node.block)).toMatchObject({ ok: true });
    expect(validateBlock(genesis, root, { ...node.block, stagedLedgerHash: root.block.stagedLedgerHash }).ok).toBe(false);
    let lost = node.block.globalSlot + 1;
    const epochData = epochDataFor(root, 0);
    while (runLottery(epochData.seed, lost, a.publicKey, stakeOf(epochData, a.publicKey), epochData.distribution.total).won) lost++;
    expect(validateBlock(genesis, root, { ...node.block, globalSlot: lost })).toMatchObject({ ok: false });
  });

  it("prefers the longer chain, then the smaller state hash", () => {
    const x = nextBlock(genesis, root, a.publicKey);
    const y = nextBlock(genesis, root, b.publicKey);
    const [small, large] = x.block.stateHash < y.block.stateHash ? [x, y] : [y, x];
    expect(isBetterTip(small.block, large.block)).toBe(true);
    expect(isBetterTip(large.block, small.block)).toBe(false);
    const longer = nextBlock(genesis, large, a.publicKey);
    expect(isBetterTip(longer.block, small.block)).toBe(true);
  });

  it("moves the root k blocks below the best tip and garbage-collects forks", () => {
    const frontier = new Frontier(genesis, root);
    const fork = nextBlock(genesis, root, b.publicKey);
    const chain: ChainNode[] = [];
    let parent = root;
    for (let i = 0; i < 4; i++) {
      parent = nextBlock(genesis, parent, a.publicKey, Math.max(parent.block.globalSlot, fork.block.globalSlot));
      chain.push(parent);
    }
    frontier.add(fork.block);
    const diffs = chain.map((node) => frontier.add(node.block));
    expect(diffs.every((d) => d.status === "added")).toBe(true);
    expect(frontier.bestHash).toBe(chain[3]?.block.stateHash);
    expect(frontier.root.block.height).toBe(frontier.best.block.height - genesis.k);
    expect(frontier.has(fork.block.stateHash)).toBe(false);
    const transitions = diffs.flatMap((d) => (d.status === "added" ? d.diffs : [])).filter((d) => "Root_transitioned" in d);
    expect(transitions.length).toBeGreaterThan(0);
    expect(transitions.flatMap((d) => ("Root_transitioned" in d ? d.Root_transitioned.garbage : []))).toContain(fork.block.stateHash);
    // Mina's order (Full_frontier.calculate_diffs): New_node, Root_transitioned, Best_tip_changed; the heir's just_emitted_a_proof
    for (const d of diffs) {
      if (d.status !== "added" || !d.diffs.some((x) => "Root_transitioned" in x)) continue;
      expect(d.diffs.map((x) => Object.keys(x)[0])).toEqual(["New_node", "Root_transitioned", "Best_tip_changed"]);
      const transition = d.diffs[1] as { Root_transitioned: { new_root: string; just_emitted_a_proof: boolean } };
      const heir = chain.find((n) => n.block.stateHash === transition.Root_transitioned.new_root);
      expect(transition.Root_transitioned.just_emitted_a_proof).toBe(heir?.block.justEmittedAProof);
    }
  });

  it("survives a snapshot round trip (persistence and bootstrap)", () => {
    const frontier = new Frontier(genesis, root);
    let parent = root;
    for (let i = 0; i < 5; i++) {
      parent = nextBlock(genesis, parent, i % 2 ? a.publicKey : b.publicKey);
      frontier.add(parent.block);
    }
    const restored = frontierFromSnapshot(genesis, JSON.parse(JSON.stringify(frontier.toSnapshot())));
    if (!restored.ok) throw new Error(restored.error);
    expect(restored.frontier.bestHash).toBe(frontier.bestHash);
    expect(restored.frontier.rootHash).toBe(frontier.rootHash);
    const other = testGenesis(3);
    expect(frontierFromSnapshot(other, frontier.toSnapshot()).ok).toBe(false);
  });
});
