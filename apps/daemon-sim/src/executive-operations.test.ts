import { NANOMINA_PER_MINA } from "@mina-local/engine";
import { createMinaClient, type MinaClient } from "@mina-local/graphql-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedZkappCommand, zkappPayment } from "./testing/zkapp-commands.js";
import { deriveTokenId, loadMinaLogic } from "./zkapp/mina-logic.js";
import { DEFAULT_TOKEN_ID } from "./ledger.js";
import Client from "mina-signer";
import { createSimNetwork, events, SIMULATOR_TABLE, startNode, waitFor, type SimNetwork, type SimNode } from "./testing/sim-network.js";

const idOf = (constructor: string) => SIMULATOR_TABLE.rows.find((row) => row.constructor === constructor)?.id as string;

/*
 * The simulator answers the operations of Mina's own executive (graphql_requests.ml, develop
 * 9f068b1c3b) as a daemon does, through graphql-client: the client validates each answer.
 */
const MINA = NANOMINA_PER_MINA;

describe("Mina executive's operations on a simulator network", () => {
  let network: SimNetwork;
  let bp: MinaClient;
  let seed: MinaClient;
  const node = (name: string) => network.nodes.get(name) as SimNode;
  const keypair = (name: string) => {
    const account = network.config.accounts.find((a) => a.name === name);
    if (!account) throw new Error(`no account ${name}`);
    return account.keypair;
  };
  const clientOf = (name: string) => createMinaClient({ node: name, endpoint: { url: `http://127.0.0.1:${node(name).ports.graphql}/graphql` }, timeoutMs: 10_000, retries: 2, backoffMs: 100 });

  beforeAll(async () => {
    network = await createSimNetwork({
      genesis_ledger: [
        { account_name: "a", balance: "1000" },
        { account_name: "sender", balance: "100" },
        { account_name: "receiver", balance: "10" },
        { account_name: "zk", balance: "100" },
        { account_name: "token-owner", balance: "100" },
      ],
      block_producers: [{ node_name: "bp-a", account_name: "a" }],
      k: 5,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: 1000 },
    });
    await startNode(network, "seed");
    await startNode(network, "bp-a");
    await waitFor("both nodes to initialize", 20_000, () => ["seed", "bp-a"].every((n) => events(node(n), "Starting_transition_frontier_controller").length === 1));
    bp = clientOf("bp-a");
    seed = clientOf("seed");
  }, 40_000);

  afterAll(async () => {
    await Promise.all([bp?.close(), seed?.close()]);
    await network?.cleanup();
  });

  it("peerId: the node's own libp2p id and its peers'", async () => {
    await waitFor("bp-a to see the seed", 10_000, async () => (await bp.peerId()).peers.includes(node("seed").spec.libp2p.peerId));
    expect((await bp.peerId()).self).toBe(node("bp-a").spec.libp2p.peerId);
  });

  it("startFilteredLog records the structured events asked for, at any level, as whole JSON lines", async () => {
    const blockProduced = idOf("Block_produced");
    expect(await bp.startFilteredLog([blockProduced])).toBe(true);
    expect(await bp.startFilteredLog([idOf("Starting_transition_frontier_controller")])).toBe(false);
    const entries = await waitFor("two Block_produced lines in the filtered log", 15_000, async () => {
      const got = await bp.getFilteredLogEntries(0);
      return got.logMessages.length >= 2 ? got : undefined;
    });
    expect(entries.isCapturing).toBe(true);
    for (const message of entries.logMessages) expect(JSON.parse(message)).toMatchObject({ event_id: blockProduced, level: "Info" });
    const later = await bp.getFilteredLogEntries(1);
    expect(later.logMessages[0]).toBe(entries.logMessages[1]);
    expect(await seed.getFilteredLogEntries(0)).toEqual({ logMessages: [], isCapturing: false });
    // two blocks of 1 s slots: over vitest's default 5 s on a loaded machine, within the 15 s wait above
  }, 20_000);

  it("sendTestPayments: the node signs and sends repeat_count payments from the senders' keys", async () => {
    const sender = keypair("sender");
    const receiver = keypair("receiver");
    await bp.sendTestPayments({ senders: [sender.privateKey], receiver: receiver.publicKey, amount: MINA, fee: MINA / 10n, repeatCount: 3, repeatDelayMs: 200 });
    const account = await waitFor("the three test payments to be included", 20_000, async () => {
      const got = await bp.account(sender.publicKey);
      return got && got.nonce === 3 ? got : undefined;
    });
    expect(account.balance.total).toBe(100n * MINA - 3n * (MINA + MINA / 10n));
    const metrics = await bp.metrics();
    expect(metrics.transactionsAddedToPool).toBe(3);
    expect(metrics.transactionPoolDiffBroadcasted).toBe(3);
    expect(metrics.transactionPoolSize).toBe(0);
    expect(metrics.blockProductionDelay).toHaveLength(7);
    expect(metrics.blockProductionDelay[0]).toBeGreaterThan(0);
    expect((await seed.metrics()).transactionPoolDiffReceived).toBe(3);
  });

  it("bestChain carries Mina's commandTransactionCount and creatorAccount", async () => {
    const chain = await bp.bestChain(20);
    expect(chain.reduce((sum, b) => sum + b.commandTransactionCount, 0)).toBe(3);
    const produced = chain.filter((b) => b.height > 1);
    expect(produced.length).toBeGreaterThan(0);
    for (const block of produced) expect(block.creator).toBe(keypair("a").publicKey);
  });

  it("setSnarkWorker and setSnarkWorkFee answer the previous key and fee", async () => {
    const worker = keypair("receiver").publicKey;
    expect(await bp.setSnarkWorker(worker)).toBeUndefined();
    expect(await bp.setSnarkWorker(undefined)).toBe(worker);
    const initial = await bp.setSnarkWorkFee(MINA);
    expect(await bp.setSnarkWorkFee(initial)).toBe(MINA);
  });

  it("accountDetails of a genesis account: user_default permissions, no zkApp", async () => {
    const account = await bp.accountDetails(keypair("receiver").publicKey);
    expect(account).toMatchObject({
      tokenId: "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf",
      tokenSymbol: "",
      nonce: 0,
      zkappState: undefined,
      verificationKey: undefined,
      votingFor: "3NK2tkzqqK5spR2sZ7tujjqPksL45M3UUrcA4WhCkeiPtnugyE2x",
      permissions: { send: "Signature", receive: "None", access: "None", editState: "Signature", setVerificationKey: { auth: "Signature", txnVersion: 3 } },
    });
  });

  it("epochDelegateAccount and the epoch ledgers as Mina's resolvers give them", async () => {
    const receiver = keypair("receiver").publicKey;
    const response = await fetch(`http://127.0.0.1:${node("bp-a").ports.graphql}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ account(publicKey: "${receiver}") { epochDelegateAccount { publicKey } }
                  bestChain(maxLength: 1) { protocolState { blockchainState { snarkedLedgerHash } consensusState {
                    stakingEpochData { ledger { hash } } nextEpochData { ledger { hash } } } } } }`,
      }),
    });
    const { data } = (await response.json()) as {
      data: {
        account: { epochDelegateAccount: { publicKey: string } | null };
        bestChain: {
          protocolState: { blockchainState: { snarkedLedgerHash: string }; consensusState: { stakingEpochData: { ledger: { hash: string } }; nextEpochData: { ledger: { hash: string } } } };
        }[];
      };
    };
    // types.ml (9f068b1c3b) answers the staking ledger entry's own key: the account itself
    expect(data.account.epochDelegateAccount?.publicKey).toBe(receiver);
    // no snark coordinator, no ledger proof: both epoch ledgers stay the genesis ledger, as the snarked ledger does (Epoch_data.update_pair)
    const [tip] = data.bestChain;
    expect(tip?.protocolState.consensusState.stakingEpochData.ledger.hash).toBe(tip?.protocolState.blockchainState.snarkedLedgerHash);
    expect(tip?.protocolState.consensusState.nextEpochData.ledger.hash).toBe(tip?.protocolState.blockchainState.snarkedLedgerHash);
  });

  it("sendZkapp: a signed zkApp payment is included on every node, with Mina's status, pool and account answers; a failing one is included as Failed", async () => {
    const sender = keypair("zk");
    const receiver = keypair("receiver");
    const before = await seed.accountDetails(receiver.publicKey);
    const sent = await bp.sendZkapp(zkappPayment({ sender, receiver: receiver.publicKey, amount: 2n * MINA, nonce: 0 }));
    expect(sent.hash).toMatch(/^5J/);
    // in the pool until a block (one a second here) takes it
    const pooled = (await bp.pooledZkappCommands(sender.publicKey)).map((c) => c.hash);
    expect(pooled.length === 0 ? await bp.zkappTransactionStatus(sent.id) : pooled).toEqual(pooled.length === 0 ? "INCLUDED" : [sent.hash]);
    await waitFor("the zkApp command to be included", 20_000, async () => (await seed.zkappTransactionStatus(sent.id)) === "INCLUDED");
    const line = events(node("seed"), "Added_breadcrumb_user_commands").find((l) => (l.metadata.user_commands as { data: unknown }[]).some((c) => c.data === sent.hash));
    expect((line?.metadata.user_commands as { data: unknown; status: unknown }[]).find((c) => c.data === sent.hash)?.status).toEqual(["Applied"]);
    const after = await seed.accountDetails(receiver.publicKey);
    expect(after?.balance.total).toBe((before?.balance.total ?? 0n) + 2n * MINA);
    expect((await seed.accountDetails(sender.publicKey))?.nonce).toBe(1);

    // broken: more than the sender holds; included, Failed with Overflow, only the fee taken
    const failing = await bp.sendZkapp(zkappPayment({ sender, receiver: receiver.publicKey, amount: 1000n * MINA, nonce: 1 }));
    await waitFor("the failing zkApp command to be included", 20_000, async () => (await seed.zkappTransactionStatus(failing.id)) === "INCLUDED");
    const failedLine = events(node("seed"), "Added_breadcrumb_user_commands").find((l) => (l.metadata.user_commands as { data: unknown }[]).some((c) => c.data === failing.hash));
    expect((failedLine?.metadata.user_commands as { data: unknown; status: unknown }[]).find((c) => c.data === failing.hash)?.status).toEqual(["Failed", [[], ["Overflow"], ["Cancelled"]]]);
    expect((await seed.accountDetails(receiver.publicKey))?.balance.total).toBe(after?.balance.total);
    await expect(bp.sendZkapp(zkappPayment({ sender, receiver: receiver.publicKey, amount: MINA, nonce: 7 }))).rejects.toThrow(/Invalid_nonce/);
  }, 60_000);

  it("a custom token minted with sendZkapp: account(publicKey, token), accounts, tokenAccounts and tokenOwner answer it as Mina's resolvers do", async () => {
    await loadMinaLogic();
    const owner = keypair("token-owner");
    const holder = new Client({ network: "testnet" }).genKeys();
    const token = deriveTokenId(owner.publicKey, DEFAULT_TOKEN_ID);
    const { accountCreationFee } = await bp.genesisConstants();
    const mint = signedZkappCommand({
      feePayer: owner,
      nonce: 0,
      updates: [
        { key: owner, tokenId: DEFAULT_TOKEN_ID, balanceChange: -accountCreationFee, callDepth: 0 },
        { key: holder, tokenId: token, balanceChange: 10_000n, callDepth: 1, mayUseToken: "ParentsOwnToken" },
      ],
    });
    const sent = await bp.sendZkapp(mint);
    await waitFor("the mint to be included", 20_000, async () => (await seed.zkappTransactionStatus(sent.id)) === "INCLUDED");
    const account = await seed.accountDetails(holder.publicKey, token);
    expect(account).toMatchObject({ publicKey: holder.publicKey, tokenId: token, nonce: 0 });
    expect(account?.balance.total).toBe(10_000n);
    expect(account?.delegate).toBeUndefined();
    // the holder has no MINA account
    expect(await seed.accountDetails(holder.publicKey)).toBeUndefined();
    const query = async (document: string, variables: Record<string, unknown>) => {
      const response = await fetch(`http://127.0.0.1:${node("seed").ports.graphql}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: document, variables }),
      });
      return (await response.json()) as { data: Record<string, unknown>; errors?: unknown };
    };
    const answers = await query(
      `query($token: TokenId!, $owner: PublicKey!, $holder: PublicKey!) {
        tokenOwner(tokenId: $token) { publicKey tokenId }
        tokenAccounts(tokenId: $token) { publicKey delegate balance { total } }
        owner: accounts(publicKey: $owner) { tokenId }
        holder: accounts(publicKey: $holder) { tokenId }
      }`,
      { token, owner: owner.publicKey, holder: holder.publicKey },
    );
    expect(answers.errors).toBeUndefined();
    expect(answers.data).toEqual({
      tokenOwner: { publicKey: owner.publicKey, tokenId: DEFAULT_TOKEN_ID },
      tokenAccounts: [{ publicKey: holder.publicKey, delegate: null, balance: { total: "10000" } }],
      owner: [{ tokenId: DEFAULT_TOKEN_ID }],
      holder: [{ tokenId: token }],
    });
  }, 60_000);
});
