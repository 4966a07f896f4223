import { execFileSync } from "node:child_process";
import { parseLine } from "@mina-local/event-parser";
import { NANOMINA_PER_MINA } from "@mina-local/engine";
import { parse, validate } from "graphql";
import Client from "mina-signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minaSchema } from "./graphql.js";
import { constructorsSeen, linesOutsideMina } from "./testing/mina-lines.js";
import { createSimNetwork, events, graphqlRequest, SIMULATOR_TABLE, simulatorBundle, startNode, waitFor, type SimNetwork, type SimNode } from "./testing/sim-network.js";

const signer = new Client({ network: "testnet" });
const schema = minaSchema();
const MINA = NANOMINA_PER_MINA;

/** Every document this test sends is checked against the real Mina schema first. */
async function gql(node: SimNode, document: string, variables?: Record<string, unknown>) {
  expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  return graphqlRequest(node, document, variables);
}

const SEND_PAYMENT = `mutation Send($input: SendPaymentInput!, $signature: SignatureInput) {
  sendPayment(input: $input, signature: $signature) { payment { id hash nonce amount fee from to memo kind } }
}`;
const DAEMON_STATUS = `query { daemonStatus { blockchainLength stateHash syncStatus chainId peers { peerId host libp2pPort } blockProductionKeys consensusTimeNow { epoch slot globalSlot } } }`;
const BEST_CHAIN = `query Best($n: Int) { bestChain(maxLength: $n) { stateHash protocolState { consensusState { blockHeight slotSinceGenesis } } transactions { userCommands { hash } coinbase } } }`;
const ACCOUNT = `query Acct($pk: PublicKey!) { account(publicKey: $pk) { publicKey nonce inferredNonce balance { total liquid locked } delegate } }`;

describe("three simulator processes on loopback", () => {
  let network: SimNetwork;
  const nodes = () => ["seed", "bp-a", "bp-b"].map((name) => network.nodes.get(name) as SimNode);
  const receiver = signer.genKeys();

  beforeAll(async () => {
    network = await createSimNetwork({
      genesis_ledger: [
        { account_name: "a", balance: "1000" },
        { account_name: "b", balance: "1000" },
        { account_name: "sender", balance: "100" },
      ],
      block_producers: [
        { node_name: "bp-a", account_name: "a" },
        { node_name: "bp-b", account_name: "b" },
      ],
      k: 5,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: 1000 },
    });
    for (const node of nodes()) await startNode(network, node.spec.name);
    await waitFor("every node to initialize", 20_000, () => nodes().every((n) => events(n, "Starting_transition_frontier_controller").length === 1));
  }, 40_000);

  afterAll(async () => {
    await network?.cleanup();
  });

  const sender = () => {
    const account = network.config.accounts.find((a) => a.name === "sender");
    if (!account) throw new Error("no sender account");
    return account.keypair;
  };

  it("connects every node to the others through the seed", async () => {
    for (const node of nodes()) {
      const status = await gql(node, DAEMON_STATUS);
      const data = status.data?.daemonStatus as { peers: { peerId: string }[]; syncStatus: string };
      expect(data.syncStatus).toBe("SYNCED");
      const others = nodes()
        .filter((n) => n !== node)
        .map((n) => n.spec.libp2p.peerId);
      await waitFor(`${node.spec.name} to see its peers`, 10_000, async () => {
        const again = await gql(node, DAEMON_STATUS);
        const peers = (again.data?.daemonStatus as { peers: { peerId: string }[] }).peers.map((p) => p.peerId);
        return others.every((id) => peers.includes(id));
      });
    }
  });

  it("rejects a bad signature and a bad nonce with the real daemon's text", async () => {
    const keys = sender();
    const payment = { from: keys.publicKey, to: receiver.publicKey, amount: String(5n * MINA), fee: String(MINA / 10n), nonce: "0", memo: "" };
    const signed = signer.signPayment({ ...payment, amount: String(6n * MINA) }, keys.privateKey);
    const badSignature = await gql(network.nodes.get("bp-a") as SimNode, SEND_PAYMENT, { input: payment, signature: signed.signature });
    expect(badSignature.errors?.[0]?.message).toMatch(/^Couldn't send user command: Error creating user command: \{.*\} Error: Invalid_signature$/);

    const wrongNonce = { ...payment, nonce: "5" };
    const signedWrongNonce = signer.signPayment(wrongNonce, keys.privateKey);
    const badNonce = await gql(network.nodes.get("bp-a") as SimNode, SEND_PAYMENT, { input: wrongNonce, signature: signedWrongNonce.signature });
    expect(badNonce.errors?.[0]?.message).toContain("Error: Input nonce 5 either different from inferred nonce 0 or below minimum_nonce 0");

    const broke = { ...payment, amount: String(1000n * MINA) };
    const signedBroke = signer.signPayment(broke, keys.privateKey);
    const insufficient = await gql(network.nodes.get("bp-a") as SimNode, SEND_PAYMENT, { input: broke, signature: signedBroke.signature });
    expect(insufficient.errors?.[0]?.message).toBe('Couldn\'t send user command: ["Insufficient_funds"]');
  });

  it("answers a GraphQL error for a field it does not simulate", async () => {
    const result = await gql(network.nodes.get("seed") as SimNode, "query { trustStatusAll { ipAddr } }");
    expect(result.errors?.[0]?.message).toBe("trustStatusAll is not simulated by mina-local daemon-sim");
  });

  it("answers a GraphQL error naming a nested field it does not compute, never a made-up value", async () => {
    const result = await gql(network.nodes.get("seed") as SimNode, "query { bestChain(maxLength: 1) { stateHash protocolState { consensusState { blockHeight lastVrfOutput } } } }");
    expect(result.errors?.map((e) => e.message)).toEqual(["ConsensusState.lastVrfOutput is not computed by mina-local daemon-sim"]);
    // an account that never sent holds Receipt.Chain_hash.empty (receipt.ml); a signed command's
    // payload is not hashed into it by the simulator, so a sender's answers an error (zkapp/account-graphql.ts)
    const account = await gql(network.nodes.get("seed") as SimNode, `query { account(publicKey: "${sender().publicKey}") { nonce receiptChainHash } }`);
    expect(account.errors).toBeUndefined();
    expect(account.data).toEqual({ account: { nonce: "0", receiptChainHash: "2n1hGCgg3jCKQJzVBgfujGqyV6D9riKgq27zhXqYgTRVZM5kqfkm" } });
  });

  it("includes a payment signed by mina-signer in a block on every node, with the creation fee taken", async () => {
    const keys = sender();
    const payment = { from: keys.publicKey, to: receiver.publicKey, amount: String(5n * MINA), fee: String(MINA / 10n), nonce: "0", memo: "hello" };
    const signed = signer.signPayment(payment, keys.privateKey);
    // a develop 2023-09 daemon's transaction hash is Berkeley's
    const hash = signer.hashPayment(signed, { berkeley: true });
    const result = await gql(network.nodes.get("bp-a") as SimNode, SEND_PAYMENT, { input: payment, signature: signed.signature });
    expect(result.errors).toBeUndefined();
    expect(result.data?.sendPayment).toMatchObject({ payment: { hash, nonce: 0, amount: payment.amount, fee: payment.fee, kind: "PAYMENT" } });

    for (const node of nodes()) {
      const line = await waitFor(`${node.spec.name} to add a breadcrumb with ${hash}`, 20_000, () =>
        events(node, "Added_breadcrumb_user_commands").find((l) => (l.metadata.user_commands as MinaUserCommand[]).some((c) => isCommand(c, keys.publicKey, 0) && c.status[0] === "Applied")),
      );
      // the executive's event parser derives the same hash from the command Mina's JSON carries
      const parsed = parseLine(JSON.stringify(line), { table: SIMULATOR_TABLE });
      const added = parsed.kind === "event" ? parsed.events.find((e) => e.type === "Breadcrumb_added") : undefined;
      expect((added?.data as { user_commands: { hash: string }[] } | undefined)?.user_commands.map((c) => c.hash)).toContain(hash);
    }
    // the peers heard it as Mina's pool gossip, with the whole command
    const heard = nodes()
      .flatMap((n) => events(n, "Transactions_received"))
      .flatMap((l) => l.metadata.txns as MinaUserCommand["data"][]);
    expect(heard.some((data) => data[1].payload.common.fee_payer_pk === keys.publicKey && data[1].payload.body[0] === "Payment")).toBe(true);
    expect(events(network.nodes.get("bp-a") as SimNode, "Gossip_transaction_pool_diff").length).toBeGreaterThan(0);
    const account = await gql(network.nodes.get("seed") as SimNode, ACCOUNT, { pk: receiver.publicKey });
    expect(account.data?.account).toMatchObject({ balance: { total: String(4n * MINA) }, nonce: "0" });
    const from = await gql(network.nodes.get("seed") as SimNode, ACCOUNT, { pk: keys.publicKey });
    expect(from.data?.account).toMatchObject({ nonce: "1", balance: { total: String(100n * MINA - 5n * MINA - MINA / 10n) } });
  }, 40_000);

  it("takes a stake delegation into a block, as Mina's Stake_delegation command", async () => {
    const keys = sender();
    const delegation = { from: keys.publicKey, to: (network.nodes.get("bp-b") as SimNode).spec.account?.keypair.publicKey as string, fee: String(MINA / 10n), nonce: "1", memo: "" };
    const signed = signer.signStakeDelegation(delegation, keys.privateKey);
    const SEND_DELEGATION = `mutation Delegate($input: SendDelegationInput!, $signature: SignatureInput) { sendDelegation(input: $input, signature: $signature) { delegation { hash } } }`;
    const result = await gql(network.nodes.get("bp-b") as SimNode, SEND_DELEGATION, { input: delegation, signature: signed.signature });
    expect(result.errors).toBeUndefined();
    const line = await waitFor("the delegation in a breadcrumb of the seed", 20_000, () =>
      events(network.nodes.get("seed") as SimNode, "Added_breadcrumb_user_commands").find((l) => (l.metadata.user_commands as MinaUserCommand[]).some((c) => isCommand(c, keys.publicKey, 1))),
    );
    const command = (line.metadata.user_commands as MinaUserCommand[]).find((c) => isCommand(c, keys.publicKey, 1));
    expect(command?.data[1].payload.body).toEqual(["Stake_delegation", ["Set_delegate", { new_delegate: delegation.to }]]);
    expect(command?.status).toEqual(["Applied"]);
  }, 40_000);

  it("produces blocks and the nodes agree on the best tip", async () => {
    await waitFor("a chain of 5 blocks", 30_000, () => nodes().some((n) => events(n, "Block_produced").length > 0) && nodes().every((n) => events(n, "Added_breadcrumb_user_commands").length >= 5));
    const tips = await waitFor(
      "the three nodes to report the same best tip",
      20_000,
      async () => {
        const answers = await Promise.all(nodes().map((n) => gql(n, BEST_CHAIN, { n: 3 })));
        const hashes = answers.map((a) => ((a.data?.bestChain as { stateHash: string }[]) ?? []).at(-1)?.stateHash);
        return hashes.every((h) => h !== undefined && h === hashes[0]) ? hashes : undefined;
      },
      100,
    );
    expect(tips[0]).toMatch(/^3N/);
    const produced = nodes().flatMap((n) => events(n, "Block_produced"));
    expect(
      new Set(
        produced.map(
          (e) =>
            (e.metadata.breadcrumb as { validated_transition: { data: { protocol_state: { body: { consensus_state: { block_creator: string } } } } } }).validated_transition.data.protocol_state.body
              .consensus_state.block_creator,
        ),
      ).size,
    ).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("unlocks an imported key with the password that opened its key file (MINA_PRIVKEY_PASS), and no other", async () => {
    const bp = network.nodes.get("bp-a") as SimNode;
    const UNLOCK = `mutation Unlock($input: UnlockInput!) { unlockAccount(input: $input) { publicKey } }`;
    const publicKey = bp.spec.account?.keypair.publicKey;
    // like Mina, only a key of the node's wallet unlocks: `mina accounts import` puts it there
    const notImported = await gql(bp, UNLOCK, { input: { publicKey, password: network.config.keyPassword } });
    expect(notImported.errors?.map((e) => e.message)).toEqual(["Could not find owned account associated with provided key"]);
    execFileSync(process.execPath, [await simulatorBundle(), "accounts", "import", "-config-directory", bp.stateDir, "-privkey-path", bp.keyFile ?? ""], {
      env: { ...process.env, ...network.keyEnv },
    });
    const wrong = await gql(bp, UNLOCK, { input: { publicKey, password: "not the run's password" } });
    expect(wrong.errors?.map((e) => e.message)).toEqual(["Wrong password provided"]);
    const right = await gql(bp, UNLOCK, { input: { publicKey, password: network.config.keyPassword } });
    expect(right.errors).toBeUndefined();
    expect(right.data?.unlockAccount).toEqual({ publicKey });
  });

  it("writes only Mina's lines: every event with an id, message and level of Mina's table, and no errors", () => {
    for (const node of nodes()) {
      expect(node.invalidLines).toEqual([]);
      expect(linesOutsideMina(node.raw, SIMULATOR_TABLE)).toEqual([]);
      expect(node.lines.filter((l) => l.level === "Error" || l.level === "Fatal" || l.level === "Warn")).toEqual([]);
      expect(node.lines.some((l) => l.level === "Info" && l.message === "Checking VRF evaluations at epoch: $epoch, slot: $slot") || node.spec.role === "seed").toBe(true);
    }
    const seen = new Set(nodes().flatMap((n) => [...constructorsSeen(n.raw, SIMULATOR_TABLE)]));
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        "Added_breadcrumb_user_commands",
        "Applying_diffs",
        "Block_produced",
        "Block_received",
        "Gossip_new_state",
        "Gossip_transaction_pool_diff",
        "Persisted_frontier_dropped",
        "Persisted_frontier_fresh_boot",
        "Persisted_frontier_loaded",
        "Starting_transition_frontier_controller",
        "Synced",
        "Transactions_received",
        "Transition_frontier_loaded_from_persistence",
      ]),
    );
  });
});

/** With_status.to_yojson of a signed command, as Added_breadcrumb_user_commands carries it. */
interface MinaUserCommand {
  data: ["Signed_command", { payload: { common: { fee_payer_pk: string; nonce: string }; body: unknown[] } }];
  status: unknown[];
}

function isCommand(command: MinaUserCommand, feePayer: string, nonce: number): boolean {
  const common = command.data[1].payload.common;
  return common.fee_payer_pk === feePayer && common.nonce === String(nonce);
}
