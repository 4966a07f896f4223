import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, validate } from "graphql";
import { minaSchema } from "./graphql.js";
import { constructorsSeen, linesOutsideMina } from "./testing/mina-lines.js";
import { createSimNetwork, events, graphqlRequest as rawGraphqlRequest, SIMULATOR_TABLE, startNode, stopNode, waitFor, type SimNetwork, type SimNode } from "./testing/sim-network.js";

const schema = minaSchema();
/** Every document this test sends is checked against the real Mina schema first. */
function graphqlRequest(node: SimNode, document: string, variables?: Record<string, unknown>) {
  expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  return rawGraphqlRequest(node, document, variables);
}

/** The best tips a node reported, from its Applying_diffs lines. */
function bestTips(node: SimNode): string[] {
  return events(node, "Applying_diffs").flatMap((line) => (line.metadata.diffs as Record<string, unknown>[]).flatMap((d) => (typeof d.Best_tip_changed === "string" ? [d.Best_tip_changed] : [])));
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
      ["seed", "bp-a", "coordinator"].every((name) => events(node(name), "Starting_transition_frontier_controller").length === 1),
    );
  }, 40_000);

  afterAll(async () => {
    await network?.cleanup();
  });

  it("emits snark work and ledger proofs, and pays the coordinator", async () => {
    // a ledger proof shows as Block_produced's just_emitted_a_proof and a new snarked ledger in its protocol state
    const producedWithProof = () => events(node("bp-a"), "Block_produced").filter((e) => (e.metadata.breadcrumb as Breadcrumb).just_emitted_a_proof);
    await waitFor("a block that emits a ledger proof", 30_000, () => producedWithProof().length > 0);
    expect(events(node("coordinator"), "Gossip_snark_pool_diff").length).toBeGreaterThan(0);
    const received = events(node("bp-a"), "Snark_work_received");
    expect(received.length).toBeGreaterThan(0);
    expect(received[0]?.metadata).toMatchObject({
      work: { work: [expect.stringMatching(/^(One|Two)$/), expect.anything()], fee: "0.025", prover: expect.stringMatching(/^B62/) },
      sender: { Remote: { peer_id: expect.any(String) } },
    });
    expect(events(node("coordinator-worker-0"), "Base_snark_generated").length).toBeGreaterThan(0);
    const state = (producedWithProof()[0]?.metadata.breadcrumb as Breadcrumb).validated_transition.data.protocol_state.body.blockchain_state;
    expect(state.ledger_proof_statement.target.first_pass_ledger).toMatch(/^j/);
    expect(state.ledger_proof_statement.target.first_pass_ledger).not.toBe(state.genesis_ledger_hash);
    const coordinatorKey = network.config.accounts.find((a) => a.name === "c")?.keypair.publicKey;
    const answer = await graphqlRequest(node("seed"), "query Acct($pk: PublicKey!) { account(publicKey: $pk) { balance { total } } }", { pk: coordinatorKey });
    // 10 MINA at genesis, plus 0.025 MINA per work included in the seed's best chain
    expect(BigInt((answer.data?.account as { balance: { total: string } }).balance.total)).toBeGreaterThan(10_000_000_000n);
  }, 40_000);

  it("a node that starts more than k blocks behind bootstraps", async () => {
    await waitFor(`the chain to grow beyond k + 2 = ${k + 2} blocks`, 30_000, () => events(node("bp-a"), "Block_produced").length > k + 2);
    const late = await startNode(network, "bp-b");
    // transition_router.ml: the network's best tip is too new, so the bootstrap controller runs, then the frontier controller
    await waitFor("Starting_bootstrap_controller", 20_000, () => events(late, "Starting_bootstrap_controller")[0]);
    const tooNew = late.lines.find((l) => l.message.startsWith("Network best tip is too new to catchup to"));
    expect(Number(tooNew?.metadata.length)).toBeGreaterThan(k + 1);
    await waitFor(
      "Bootstrap_complete then Starting_transition_frontier_controller",
      20_000,
      () => events(late, "Bootstrap_complete").length === 1 && events(late, "Starting_transition_frontier_controller").length === 1,
    );
    const order = late.lines.filter((l) => l.event_id !== undefined).map((l) => SIMULATOR_TABLE.rows.find((r) => r.id === l.event_id)?.constructor);
    expect(order.indexOf("Starting_bootstrap_controller")).toBeLessThan(order.indexOf("Bootstrap_complete"));
    expect(order.indexOf("Bootstrap_complete")).toBeLessThan(order.indexOf("Starting_transition_frontier_controller"));
  }, 60_000);

  it("a stopped node restarts from its persisted frontier and catches up", async () => {
    const bp = node("bp-a");
    expect(await stopNode(bp)).toBe(0);
    // blocks keep coming from bp-b meanwhile
    const before = events(node("seed"), "Added_breadcrumb_user_commands").length;
    await waitFor("new blocks while bp-a is down", 20_000, () => events(node("seed"), "Added_breadcrumb_user_commands").length >= before + 2);
    const linesBefore = bp.lines.length;
    const freshBootsBefore = events(bp, "Persisted_frontier_fresh_boot").length;
    await startNode(network, "bp-a");
    const after = () => ({ ...bp, lines: bp.lines.slice(linesBefore) });
    await waitFor("Transition_frontier_loaded_from_persistence", 20_000, () => events(after(), "Transition_frontier_loaded_from_persistence")[0]);
    expect(events(after(), "Persisted_frontier_loaded")).toHaveLength(1);
    // a restart from a persisted frontier is no fresh boot
    expect(events(bp, "Persisted_frontier_fresh_boot")).toHaveLength(freshBootsBefore);
    // catching up shows as new breadcrumbs applied after the restart
    await waitFor("blocks caught up after the restart", 20_000, () => events(after(), "Applying_diffs").length > 0);
    const seedTip = () => bestTips(node("seed")).at(-1);
    await waitFor("bp-a to follow the seed's best tip again", 20_000, () => seedTip() !== undefined && bestTips(bp).includes(seedTip() as string));
  }, 60_000);

  it("logs no errors, and only Mina's lines: every event with an id, message and level of Mina's table", () => {
    for (const n of network.nodes.values()) {
      expect(n.invalidLines).toEqual([]);
      expect(linesOutsideMina(n.raw, SIMULATOR_TABLE)).toEqual([]);
      expect(n.lines.filter((l) => ["Warn", "Error", "Fatal"].includes(l.level)).map((l) => `${n.spec.name}: ${l.message} ${JSON.stringify(l.metadata)}`)).toEqual([]);
    }
    const seen = new Set([...network.nodes.values()].flatMap((n) => [...constructorsSeen(n.raw, SIMULATOR_TABLE)]));
    expect([...seen]).toEqual(
      expect.arrayContaining(["Snark_work_received", "Gossip_snark_pool_diff", "Base_snark_generated", "Starting_bootstrap_controller", "Bootstrap_complete", "Bootstrapping"]),
    );
  });
});

interface Breadcrumb {
  just_emitted_a_proof: boolean;
  validated_transition: { data: { protocol_state: { body: { blockchain_state: { genesis_ledger_hash: string; ledger_proof_statement: { target: { first_pass_ledger: string } } } } } } };
}
