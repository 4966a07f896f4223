import { execFileSync } from "node:child_process";
import { parseLine } from "@mina-local/event-parser";
import { NANOMINA_PER_MINA } from "@mina-local/engine";
import { parse, validate } from "graphql";
import Client from "mina-signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minaSchema } from "./graphql.js";
import { createSimNetwork, events, graphqlRequest, simulatorBundle, startNode, waitFor, type SimNetwork, type SimNode } from "./testing/sim-network.js";

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
    await waitFor("every node to initialize", 20_000, () => nodes().every((n) => events(n, "Node_initialization").length === 1));
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
      const others = nodes().filter((n) => n !== node).map((n) => n.spec.libp2p.peerId);
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
    expect(badSignature.errors?.[0]?.message).toMatch(/^Couldn't send user_command: Error creating user command: \{.*\} Error: Invalid_signature$/);

    const wrongNonce = { ...payment, nonce: "5" };
    const signedWrongNonce = signer.signPayment(wrongNonce, keys.privateKey);
    const badNonce = await gql(network.nodes.get("bp-a") as SimNode, SEND_PAYMENT, { input: wrongNonce, signature: signedWrongNonce.signature });
    expect(badNonce.errors?.[0]?.message).toContain("Error: Input nonce 5 either different from inferred nonce 0 or below minimum_nonce 0");

    const broke = { ...payment, amount: String(1000n * MINA) };
    const signedBroke = signer.signPayment(broke, keys.privateKey);
    const insufficient = await gql(network.nodes.get("bp-a") as SimNode, SEND_PAYMENT, { input: broke, signature: signedBroke.signature });
    expect(insufficient.errors?.[0]?.message).toBe('Couldn\'t send user_command: ["Insufficient_funds"]');
  });

  it("answers a GraphQL error for a field it does not simulate", async () => {
    const result = await gql(network.nodes.get("seed") as SimNode, "query { trustStatusAll { ip_addr } }");
    expect(result.errors?.[0]?.message).toBe("trustStatusAll is not simulated by mina-local daemon-sim");
  });

  it("includes a payment signed by mina-signer in a block on every node, with the creation fee taken", async () => {
    const keys = sender();
    const payment = { from: keys.publicKey, to: receiver.publicKey, amount: String(5n * MINA), fee: String(MINA / 10n), nonce: "0", memo: "hello" };
    const signed = signer.signPayment(payment, keys.privateKey);
    const hash = signer.hashPayment(signed);
    const result = await gql(network.nodes.get("bp-a") as SimNode, SEND_PAYMENT, { input: payment, signature: signed.signature });
    expect(result.errors).toBeUndefined();
    expect(result.data?.sendPayment).toMatchObject({ payment: { hash, nonce: 0, amount: payment.amount, fee: payment.fee, kind: "PAYMENT" } });

    for (const node of nodes()) {
      await waitFor(`${node.spec.name} to add a breadcrumb with ${hash}`, 20_000, () =>
        events(node, "Breadcrumb_added").find((line) => (line.metadata.user_commands as { hash: string; status: unknown[] }[]).some((c) => c.hash === hash && c.status[0] === "Applied")),
      );
    }
    const account = await gql(network.nodes.get("seed") as SimNode, ACCOUNT, { pk: receiver.publicKey });
    expect(account.data?.account).toMatchObject({ balance: { total: String(4n * MINA) }, nonce: "0" });
    const from = await gql(network.nodes.get("seed") as SimNode, ACCOUNT, { pk: keys.publicKey });
    expect(from.data?.account).toMatchObject({ nonce: "1", balance: { total: String(100n * MINA - 5n * MINA - MINA / 10n) } });
  }, 40_000);

  it("produces blocks and the nodes agree on the best tip", async () => {
    await waitFor("a chain of 5 blocks", 30_000, () => nodes().some((n) => events(n, "Block_produced").length > 0) && nodes().every((n) => events(n, "Breadcrumb_added").length >= 5));
    const tips = await waitFor("the three nodes to report the same best tip", 20_000, async () => {
      const answers = await Promise.all(nodes().map((n) => gql(n, BEST_CHAIN, { n: 3 })));
      const hashes = answers.map((a) => ((a.data?.bestChain as { stateHash: string }[]) ?? []).at(-1)?.stateHash);
      return hashes.every((h) => h !== undefined && h === hashes[0]) ? hashes : undefined;
    }, 100);
    expect(tips[0]).toMatch(/^3N/);
    const produced = nodes().flatMap((n) => events(n, "Block_produced"));
    expect(new Set(produced.map((e) => (e.metadata.breadcrumb as { validated_transition: { data: { protocol_state: { body: { consensus_state: { block_creator: string } } } } } }).validated_transition.data.protocol_state.body.consensus_state.block_creator)).size).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("unlocks an imported key with the password that opened its key file (MINA_PRIVKEY_PASS), and no other", async () => {
    const bp = network.nodes.get("bp-a") as SimNode;
    const UNLOCK = `mutation Unlock($input: UnlockInput!) { unlockAccount(input: $input) { publicKey } }`;
    const publicKey = bp.spec.account?.keypair.publicKey;
    // like Mina, only a key of the node's wallet unlocks: `mina accounts import` puts it there
    const notImported = await gql(bp, UNLOCK, { input: { publicKey, password: network.config.keyPassword } });
    expect(notImported.errors?.map((e) => e.message)).toEqual(["Could not find owned account associated with provided key"]);
    execFileSync(process.execPath, [await simulatorBundle(), "accounts", "import", "-config-directory", bp.stateDir, "-privkey-path", bp.keyFile ?? ""], { env: { ...process.env, ...network.keyEnv } });
    const wrong = await gql(bp, UNLOCK, { input: { publicKey, password: "not the run's password" } });
    expect(wrong.errors?.map((e) => e.message)).toEqual(["Wrong password provided"]);
    const right = await gql(bp, UNLOCK, { input: { publicKey, password: network.config.keyPassword } });
    expect(right.errors).toBeUndefined();
    expect(right.data?.unlockAccount).toEqual({ publicKey });
  });

  it("writes only valid Mina JSON lines that the event parser understands, with no errors", () => {
    for (const node of nodes()) {
      expect(node.invalidLines).toEqual([]);
      const errors = node.raw.map((text) => parseLine(text, { full: true })).filter((p) => p.kind === "error");
      expect(errors).toEqual([]);
      expect(node.lines.filter((l) => l.level === "Error" || l.level === "Fatal" || l.level === "Warn")).toEqual([]);
      expect(node.lines.some((l) => l.level === "Debug" && l.message.startsWith("Checking VRF evaluations")) || node.spec.role === "seed").toBe(true);
    }
  });
});
