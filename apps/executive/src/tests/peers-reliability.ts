import { defineTest, type TestContext, type TestNode } from "../dsl/define-test.js";
import { TestFailure } from "../dsl/errors.js";
import { connectivity, fetchPeerLists, peerIdInMultiaddrs } from "../dsl/peers.js";
import { pollUntil } from "../dsl/poll.js";
import { blocksToBeProduced, blocksToBeProducedBy, nodesToCatchUp, nodesToInitialize, nodesToSynchronize, withTimeouts } from "../dsl/wait-conditions.js";

/**
 * Mina's blocks_to_be_produced with twice its slots: Mina's 2n+1 slots are minutes of 3-minute
 * slots, where the event pipeline's lag is nothing; with this test's 1-1.5 s slots, counting
 * chain height growth only (as Mina does), on a machine shared by several networks, it is a few slots.
 */
const blocksProduced = (n: number) => withTimeouts(blocksToBeProduced(n), { soft: { slots: 4 * n + 2 }, hard: { slots: 2 * (4 * n + 2) } });

/** Polls every node's `getPeers` until the network is fully connected; returns each node's own peer id. */
async function fullyConnected(t: TestContext, nodes: readonly TestNode[], peersPerNode: number): Promise<Record<string, string>> {
  let ownIds: Record<string, string> = {};
  await pollUntil(
    t,
    `every node of ${nodes.map((n) => n.name).join(", ")} to list the ${peersPerNode} others as peers`,
    async () => {
      const result = connectivity(await fetchPeerLists(nodes), peersPerNode);
      if (!result.connected) return { done: false, waitingFor: result.problem };
      ownIds = result.ownIds;
      return { done: true };
    },
    { softTimeout: { slots: 10 }, hardTimeout: { slots: 20 } },
  );
  return ownIds;
}

/**
 * Mina's peers-reliability test: every node sees the others as peers; with two nodes
 * stopped the rest drop them and go on producing; started again, they reconnect and catch up.
 * `broken` expects each node to list one peer more than the others (itself), which no
 * fully connected network does.
 */
export function makePeersReliability(options: { broken?: boolean } = {}) {
  return defineTest({
    name: "peers-reliability",
    description: "every node sees all others as peers; with two nodes stopped the rest drop them and keep producing; restarted, they reconnect and catch up",
    config: {
      genesis_ledger: [
        { account_name: "node-a-key", balance: "900000" },
        { account_name: "node-b-key", balance: "50000" },
        { account_name: "node-c-key", balance: "50000" },
      ],
      block_producers: [
        { node_name: "node-a", account_name: "node-a-key" },
        { node_name: "node-b", account_name: "node-b-key" },
        { node_name: "node-c", account_name: "node-c-key" },
      ],
      // k well above the blocks made while two nodes are down: they catch up rather than bootstrap
      k: 10,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: 1500 },
    },
    async run(t) {
      const all = t.network.all;
      const names = all.map((n) => n.name);
      const nodeA = t.network.node("node-a");
      const stopped = [t.network.node("node-b"), t.network.node("node-c")];
      const live = all.filter((n) => !stopped.includes(n));
      if (t.network.seeds.length !== 1) throw new TestFailure("the test expects one seed node");

      // Mina's peers_reliability_test.ml waits for the nodes and fetches their connectivity data outside any
      // section (a failure stops the test), then checks it in a `section` (soft); so does this port
      const ownIds = await t.sectionHard("wait for nodes to initialize", async () => {
        await t.waitFor(nodesToInitialize(names));
        return fullyConnected(t, all, all.length - 1);
      });

      await t.section("network is fully connected upon initialization", async () => {
        const result = connectivity(await fetchPeerLists(all), options.broken ? all.length : all.length - 1);
        if (!result.connected) throw new TestFailure(`the network is not fully connected: ${result.problem}`);
        // the id found for the seed must be the one every other node was configured with (-peer)
        const seed = t.network.seeds[0] as TestNode;
        const configured = peerIdInMultiaddrs(await nodeA.graphql.initialPeers({ timeoutMs: 5_000 }), seed.name);
        t.assertEqual(result.ownIds[seed.name], configured, `peer id of ${seed.name} (seen by the others vs node-a's -peer multiaddr)`, nodeA.name);
        t.log.info({ peers: result.ownIds }, "Peer ids: $peers");
      });

      await t.section("blocks are produced", () => t.waitFor(blocksProduced(1)));

      await t.section("stop two nodes: the rest drop them and keep producing", async () => {
        await Promise.all(stopped.map((n) => n.stop()));
        const goneIds = new Set(stopped.map((n) => ownIds[n.name]));
        await pollUntil(
          t,
          `${live.map((n) => n.name).join(", ")} to drop ${stopped.map((n) => n.name).join(", ")} from their peers`,
          async () => {
            const lists = await fetchPeerLists(live);
            const still = live.filter((n) => (lists[n.name] ?? []).some((id) => goneIds.has(id))).map((n) => n.name);
            return still.length === 0 ? { done: true } : { done: false, waitingFor: `still listing a stopped node: ${still.join(", ")}` };
          },
          { softTimeout: { slots: 10 }, hardTimeout: { slots: 20 } },
        );
        const producers = live.filter((n) => n.role === "block-producer").map((n) => n.name);
        await t.waitFor(blocksToBeProducedBy(producers, 2));
      });

      await t.section("start them again: they catch up", async () => {
        const since = t.state();
        await Promise.all(stopped.map((n) => n.start()));
        await t.waitFor(
          nodesToCatchUp(
            stopped.map((n) => n.name),
            { since },
          ),
        );
        await t.waitFor(nodesToInitialize(stopped.map((n) => n.name)));
      });

      await t.section("network is fully connected after the restart", async () => {
        const ids = await fullyConnected(t, all, all.length - 1);
        for (const node of all) t.assertEqual(ids[node.name], ownIds[node.name], `peer id of ${node.name} after the restart`, node.name);
      });

      // Mina's 4/6 slots assume 3-minute slots; two restarted daemons need longer than 6 s
      await t.section("all nodes synchronize", () => t.waitFor(withTimeouts(nodesToSynchronize(names), { soft: { slots: 24 }, hard: { slots: 48 } })));
    },
  });
}

export default makePeersReliability();
