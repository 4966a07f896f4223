import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, validate } from "graphql";
import { minaSchema } from "./graphql.js";
import { createSimNetwork, events, graphqlRequest as rawGraphqlRequest, startNode, stopNode, waitFor, type SimNetwork, type SimNode } from "./testing/sim-network.js";

const schema = minaSchema();
/** Every document this test sends is checked against the real Mina schema first. */
function graphqlRequest(node: SimNode, document: string, variables?: Record<string, unknown>) {
  expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  return rawGraphqlRequest(node, document, variables);
}

/** The best tips a node reported, from its Transition_frontier_diff_application lines. */
function bestTips(node: SimNode): string[] {
  return events(node, "Transition_frontier_diff_application").flatMap((line) =>
    (line.metadata.diffs as Record<string, unknown>[]).flatMap((d) => (typeof d.Best_tip_changed === "string" ? [d.Best_tip_changed] : [])),
  );
}

describe("restart, catch-up, bootstrap and snark work", () => {
  let network: SimNetwork;
  const node = (name: string) => network.nodes.get(name) as SimNode;
  const k = 3;

  beforeAll(async () => {
    network = await createSimNetwork({
      genesis_ledger: [
        { account_name: "a", balance: "1000" },
        { account_name: "b", balance: "1000" },
        { account_name: "c", balance: "10" },
      ],
      block_producers: [
        { node_name: "bp-a", account_name: "a" },
        { node_name: "bp-b", account_name: "b" },
      ],
      snark_coordinator: { node_name: "coordinator", account_name: "c", worker_nodes: 1 },
      k,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: 1000, transaction_capacity_log_2: 2, work_delay: 1 },
    });
    for (const name of ["seed", "bp-a", "coordinator", "coordinator-worker-0"]) await startNode(network, name);
    await waitFor("the seed, bp-a and the coordinator to initialize", 20_000, () =>
      ["seed", "bp-a", "coordinator"].every((name) => events(node(name), "Node_initialization").length === 1),
    );
  }, 40_000);

  afterAll(async () => {
    await network?.cleanup();
  });

  it("emits snark work and ledger proofs, and pays the coordinator", async () => {
    await waitFor("a ledger proof", 30_000, () => events(node("bp-a"), "Ledger_proof_emitted").length > 0);
    expect(events(node("coordinator"), "Snark_work_gossip_sent").length).toBeGreaterThan(0);
    expect(events(node("bp-a"), "Snark_work_gossip").length).toBeGreaterThan(0);
    const withProof = events(node("bp-a"), "Block_produced").filter((e) => (e.metadata.breadcrumb as { just_emitted_a_proof: boolean }).just_emitted_a_proof);
    expect(withProof.length).toBeGreaterThan(0);
    const proof = events(node("bp-a"), "Ledger_proof_emitted")[0];
    expect(proof?.metadata).toMatchObject({ transactions: 4, snarked_ledger_hash: expect.stringMatching(/^j/) });
    const coordinatorKey = network.config.accounts.find((a) => a.name === "c")?.keypair.publicKey;
    const answer = await graphqlRequest(node("seed"), "query Acct($pk: PublicKey!) { account(publicKey: $pk) { balance { total } } }", { pk: coordinatorKey });
    // 10 MINA at genesis, plus 0.025 MINA per work included in the seed's best chain
    expect(BigInt((answer.data?.account as { balance: { total: string } }).balance.total)).toBeGreaterThan(10_000_000_000n);
  }, 40_000);

  it("a node that starts more than k blocks behind bootstraps", async () => {
    await waitFor(`the chain to grow beyond k + 2 = ${k + 2} blocks`, 30_000, () => events(node("bp-a"), "Block_produced").length > k + 2);
    const late = await startNode(network, "bp-b");
    const required = await waitFor("Bootstrap_required", 20_000, () => events(late, "Bootstrap_required")[0]);
    expect(Number(required.metadata.best_tip_length) - Number(required.metadata.own_length)).toBeGreaterThan(k);
    await waitFor("Bootstrap_complete then Node_initialization", 20_000, () => events(late, "Bootstrap_complete").length === 1 && events(late, "Node_initialization").length === 1);
  }, 60_000);

  it("a stopped node restarts from its persisted frontier and catches up", async () => {
    const bp = node("bp-a");
    expect(await stopNode(bp)).toBe(0);
    // blocks keep coming from bp-b meanwhile
    const before = events(node("seed"), "Breadcrumb_added").length;
    await waitFor("new blocks while bp-a is down", 20_000, () => events(node("seed"), "Breadcrumb_added").length >= before + 2);
    const linesBefore = bp.lines.length;
    await startNode(network, "bp-a");
    const loaded = await waitFor("Persisted_frontier_loaded", 20_000, () => events(bp, "Persisted_frontier_loaded")[0]);
    expect(loaded.metadata.best_tip).toMatch(/^3N/);
    await waitFor("Catchup_complete", 20_000, () => bp.lines.slice(linesBefore).find((l) => events({ ...bp, lines: [l] }, "Catchup_complete").length > 0));
    const seedTip = () => bestTips(node("seed")).at(-1);
    await waitFor("bp-a to follow the seed's best tip again", 20_000, () => seedTip() !== undefined && bestTips(bp).includes(seedTip() as string));
  }, 60_000);

  it("logs no errors", () => {
    for (const n of network.nodes.values()) {
      expect(n.invalidLines).toEqual([]);
      expect(n.lines.filter((l) => ["Warn", "Error", "Fatal"].includes(l.level)).map((l) => `${n.spec.name}: ${l.message} ${JSON.stringify(l.metadata)}`)).toEqual([]);
    }
  });
});
