import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MinaLocalError } from "@mina-local/engine";
import Client from "mina-signer";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createMinaClient, type MinaClient, type MinaClientOptions } from "./client.js";
import { signPayment } from "./signing.js";
import { cutConnection, freePort, hang, rawAnswer, startFakeNode, type FakeNode, type Handler } from "./testing/fake-node.js";

const keys = new Client({ network: "testnet" });
const bp = keys.genKeys();
const receiver = keys.genKeys();
const STATE_HASH = "3NKeMoncuHab5ScarV5ViyF16cJPT4taWNSaTLS64Dp67wuXigPZ";
const PREVIOUS_HASH = "3NLRTfY4kZyJtvaP4dFenDcxfoMfT3uEpkWS913KkeXLtziyVd15";
const PEER = { peerId: "12D3KooWAFGYB6GeFD3i4dbZgSdHUDkzDqhujhsh4hMfvEqkjimr", host: "10.0.1.5", libp2pPort: 8302 };

const dir = mkdtempSync(join(tmpdir(), "graphql-client-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let socketCount = 0;
const newSocketPath = () => join(dir, `node${++socketCount}.sock`);

async function fakeOnSocket(handlers: Record<string, Handler>, socketPath = newSocketPath()): Promise<FakeNode> {
  const node = await startFakeNode({ socketPath }, handlers);
  cleanups.push(() => node.close());
  return node;
}

async function fakeOnTcp(handlers: Record<string, Handler>, port = 0): Promise<FakeNode> {
  const node = await startFakeNode({ port }, handlers);
  cleanups.push(() => node.close());
  return node;
}

function clientOf(fake: Pick<FakeNode, "url" | "socketPath">, options: Partial<MinaClientOptions> = {}): MinaClient {
  const endpoint = fake.socketPath === undefined ? { url: fake.url } : { url: fake.url, socketPath: fake.socketPath };
  const client = createMinaClient({ node: "bp1", endpoint, timeoutMs: 5_000, retries: 3, backoffMs: 20, ...options });
  cleanups.push(() => client.close());
  return client;
}

const payment = (nonce: number) => ({
  __typename: "UserCommandPayment",
  id: `Cmd${nonce}`,
  hash: "5JuxEHcVK7ksdihQB3pYH3yQf9kenQrLhF21aQeiVpgLkrBDCfMN",
  kind: "PAYMENT",
  from: bp.publicKey,
  to: receiver.publicKey,
  amount: "1000000000",
  fee: "10000000",
  nonce,
  memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH",
  failureReason: null,
});

const cannedNode: Record<string, Handler> = {
  daemonStatus: () => ({
    daemonStatus: {
      syncStatus: "SYNCED",
      blockchainLength: 12,
      highestBlockLengthReceived: 12,
      uptimeSecs: 95,
      peers: [PEER],
      commitId: "sim-0.1.0",
      chainId: "a1b2c3",
      stateHash: STATE_HASH,
      numAccounts: 3,
      blockProductionKeys: [bp.publicKey],
      consensusTimeNow: { epoch: "0", slot: "20", globalSlot: "20" },
      consensusTimeBestTip: { epoch: "0", slot: "19", globalSlot: "19" },
      globalSlotSinceGenesisBestTip: 19,
    },
  }),
  syncStatus: () => ({ syncStatus: "BOOTSTRAP" }),
  version: () => ({ version: null }),
  account: (variables) =>
    variables.publicKey === bp.publicKey
      ? {
          account: {
            publicKey: bp.publicKey,
            balance: { total: "18446744073709551615", liquid: "18446744073709551000", locked: null },
            nonce: "4",
            inferredNonce: "6",
            delegate: bp.publicKey,
          },
        }
      : { account: null },
  bestChain: () => ({
    bestChain: [
      {
        stateHash: STATE_HASH,
        creator: bp.publicKey,
        creatorAccount: { publicKey: bp.publicKey },
        commandTransactionCount: 1,
        protocolState: { previousStateHash: PREVIOUS_HASH, consensusState: { blockHeight: "12", slotSinceGenesis: "19", slot: "19", epoch: "0" } },
        transactions: { userCommands: [payment(4)] },
      },
    ],
  }),
  getPeers: () => ({ getPeers: [PEER] }),
  pooledUserCommands: () => ({ pooledUserCommands: [payment(5)] }),
  transactionStatus: (variables) => ({ transactionStatus: variables.payment === "Cmd4" ? "INCLUDED" : "UNKNOWN" }),
  genesisConstants: () => ({ genesisConstants: { accountCreationFee: "1000000000", coinbase: "720000000000" } }),
  initialPeers: () => ({ initialPeers: [`/dns4/seed/tcp/8302/p2p/${PEER.peerId}`] }),
  sendPayment: (variables) => {
    const input = variables.input as { nonce?: string };
    return { sendPayment: { payment: payment(Number(input.nonce ?? "6")) } };
  },
  sendDelegation: () => ({
    sendDelegation: { delegation: { ...payment(6), __typename: "UserCommandDelegation", kind: "STAKE_DELEGATION", amount: "0" } },
  }),
  unlockAccount: (variables) => ({ unlockAccount: { publicKey: (variables.input as { publicKey: string }).publicKey } }),
  addPeers: (variables) => ({
    addPeers: (variables.peers as { peerId: string; host: string; libp2pPort: number }[]).map((p) => ({
      peerId: p.peerId,
      host: p.host,
      libp2pPort: p.libp2pPort,
    })),
  }),
};

async function caught(work: Promise<unknown>): Promise<MinaLocalError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MinaLocalError);
  return error as MinaLocalError;
}

describe.each([
  ["a unix socket", fakeOnSocket],
  ["loopback TCP", (handlers: Record<string, Handler>) => fakeOnTcp(handlers)],
])("typed answers over %s", (_transport, start) => {
  it("daemonStatus: numbers, consensus times, peers", async () => {
    const client = clientOf(await start(cannedNode));
    const status = await client.daemonStatus();
    expect(status).toEqual({
      syncStatus: "SYNCED",
      blockchainLength: 12,
      highestBlockLengthReceived: 12,
      uptimeSecs: 95,
      peers: [PEER],
      commitId: "sim-0.1.0",
      chainId: "a1b2c3",
      stateHash: STATE_HASH,
      numAccounts: 3,
      blockProductionKeys: [bp.publicKey],
      consensusTimeNow: { epoch: 0, slot: 20, globalSlot: 20 },
      consensusTimeBestTip: { epoch: 0, slot: 19, globalSlot: 19 },
      globalSlotSinceGenesisBestTip: 19,
    });
  });

  it("account: balances as exact bigints past 2^53, nonces as numbers, null as undefined", async () => {
    const client = clientOf(await start(cannedNode));
    expect(await client.account(bp.publicKey)).toEqual({
      publicKey: bp.publicKey,
      balance: { total: 18446744073709551615n, liquid: 18446744073709551000n, locked: undefined },
      nonce: 4,
      inferredNonce: 6,
      delegate: bp.publicKey,
    });
    expect(await client.account(receiver.publicKey)).toBeUndefined();
  });

  it("bestChain, pool, status, peers, constants, version", async () => {
    const client = clientOf(await start(cannedNode));
    const [block] = await client.bestChain(5);
    expect(block).toMatchObject({ stateHash: STATE_HASH, previousStateHash: PREVIOUS_HASH, height: 12, slot: 19, epoch: 0, slotInEpoch: 19, creator: bp.publicKey, commandTransactionCount: 1 });
    expect(block?.transactions.userCommands[0]).toMatchObject({ id: "Cmd4", kind: "PAYMENT", amount: 1_000_000_000n, fee: 10_000_000n, nonce: 4 });
    expect((await client.pooledUserCommands(bp.publicKey)).map((c) => c.nonce)).toEqual([5]);
    expect(await client.transactionStatus("Cmd4")).toBe("INCLUDED");
    expect(await client.syncStatus()).toBe("BOOTSTRAP");
    expect(await client.getPeers()).toEqual([PEER]);
    expect(await client.initialPeers()).toEqual([`/dns4/seed/tcp/8302/p2p/${PEER.peerId}`]);
    expect(await client.genesisConstants()).toEqual({ accountCreationFee: 1_000_000_000n, coinbase: 720_000_000_000n });
    expect(await client.version()).toBeUndefined();
  });
});

describe("bestChainRewards", () => {
  it("returns each block's coinbase, receiver, fee transfers and snark work as bigints", async () => {
    const prover = keys.genKeys().publicKey;
    const client = clientOf(
      await fakeOnSocket({
        bestChainRewards: (variables) => ({
          bestChain: [
            {
              stateHash: STATE_HASH,
              creator: bp.publicKey,
              protocolState: { consensusState: { blockHeight: "12", slotSinceGenesis: "19" } },
              transactions: {
                coinbase: "720000000000",
                coinbaseReceiverAccount: { publicKey: bp.publicKey },
                feeTransfer: [
                  { recipient: bp.publicKey, fee: "10000000", type: "Fee_transfer" },
                  { recipient: prover, fee: "25000000", type: "Fee_transfer_via_coinbase" },
                ],
                userCommands: [payment(4)],
              },
              snarkJobs: [{ prover, fee: "25000000", workIds: [3, 4] }],
            },
          ].slice(0, Number(variables.maxLength)),
        }),
      }),
    );
    expect(await client.bestChainRewards(0)).toEqual([]);
    expect(await client.bestChainRewards(5)).toEqual([
      {
        stateHash: STATE_HASH,
        height: 12,
        slot: 19,
        creator: bp.publicKey,
        coinbaseReceiver: bp.publicKey,
        coinbase: 720_000_000_000n,
        feeTransfers: [
          { recipient: bp.publicKey, fee: 10_000_000n, type: "Fee_transfer" },
          { recipient: prover, fee: 25_000_000n, type: "Fee_transfer_via_coinbase" },
        ],
        userCommands: [{ hash: payment(4).hash, from: bp.publicKey, nonce: 4, fee: 10_000_000n, failureReason: undefined }],
        snarkJobs: [{ prover, fee: 25_000_000n, workIds: [3, 4] }],
      },
    ]);
  });
});

describe("mutations", () => {
  it("sendPayment sends amounts as nanomina strings, no signature, and returns the command", async () => {
    const fake = await fakeOnSocket(cannedNode);
    const sent = await clientOf(fake).sendPayment({ from: bp.publicKey, to: receiver.publicKey, amount: 1_000_000_000n, fee: 10_000_000n });
    expect(sent).toMatchObject({ hash: payment(6).hash, nonce: 6, id: "Cmd6", amount: 1_000_000_000n });
    expect(fake.requests).toEqual([
      {
        operationName: "sendPayment",
        variables: { input: { from: bp.publicKey, to: receiver.publicKey, amount: "1000000000", fee: "10000000" }, signature: null },
      },
    ]);
  });

  it("a node-signed payment or delegation unlocks the sender first when the client has the keys' password", async () => {
    const fake = await fakeOnSocket(cannedNode);
    const client = clientOf(fake, { unlockPassword: "run-password" });
    await client.sendPayment({ from: bp.publicKey, to: receiver.publicKey, amount: 1n, fee: 10_000_000n });
    expect(fake.requests.map((r) => r.operationName)).toEqual(["unlockAccount", "sendPayment"]);
    expect(fake.requests[0]?.variables).toEqual({ input: { publicKey: bp.publicKey, password: "run-password" } });
    const signed = signPayment(bp.privateKey, { from: bp.publicKey, to: receiver.publicKey, amount: 5n, fee: 1_000_000n, nonce: 7 });
    await client.sendSignedPayment(signed.payment, signed.signature);
    // a payment signed by the caller needs no key on the node
    expect(fake.requests.map((r) => r.operationName)).toEqual(["unlockAccount", "sendPayment", "sendPayment"]);
    expect(fake.requests[2]?.variables["signature"]).not.toBeNull();
  });

  it("sendSignedPayment sends what signPayment signed, with its field and scalar", async () => {
    const fake = await fakeOnSocket(cannedNode);
    const signed = signPayment(bp.privateKey, { from: bp.publicKey, to: receiver.publicKey, amount: 5n, fee: 1_000_000n, nonce: 7, memo: "hi" });
    const sent = await clientOf(fake).sendSignedPayment(signed.payment, signed.signature);
    expect(sent.nonce).toBe(7);
    expect(fake.requests[0]?.variables).toEqual({
      input: { from: bp.publicKey, to: receiver.publicKey, amount: "5", fee: "1000000", nonce: "7", memo: "hi", validUntil: "4294967295" },
      signature: { field: signed.signature.field, scalar: signed.signature.scalar },
    });
  });

  it("sendDelegation, unlockAccount and addPeers map to Mina's input types", async () => {
    const fake = await fakeOnTcp(cannedNode);
    const client = clientOf(fake);
    expect((await client.sendDelegation({ from: bp.publicKey, to: receiver.publicKey, fee: 10_000_000n })).kind).toBe("STAKE_DELEGATION");
    expect(await client.unlockAccount(bp.publicKey, "naughty blue worm")).toBe(bp.publicKey);
    expect(await client.addPeers([PEER], true)).toEqual([PEER]);
    expect(fake.requests.map((r) => r.variables)).toEqual([
      { input: { from: bp.publicKey, to: receiver.publicKey, fee: "10000000" }, signature: null },
      { input: { publicKey: bp.publicKey, password: "naughty blue worm" } },
      { peers: [{ peerId: PEER.peerId, host: PEER.host, libp2pPort: 8302 }], seed: true },
    ]);
  });
});

describe("a node that is still starting", () => {
  it("retries while the socket does not exist, then answers", async () => {
    const socketPath = newSocketPath();
    const client = clientOf({ url: "http://localhost/graphql", socketPath }, { retries: 10, backoffMs: 50 });
    const answer = client.syncStatus();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await fakeOnSocket(cannedNode, socketPath);
    expect(await answer).toBe("BOOTSTRAP");
  });

  it("retries while the TCP port refuses connections, then answers", async () => {
    const port = await freePort();
    const client = clientOf({ url: `http://127.0.0.1:${port}/graphql`, socketPath: undefined }, { retries: 10, backoffMs: 50 });
    const answer = client.syncStatus();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await fakeOnTcp(cannedNode, port);
    expect(await answer).toBe("BOOTSTRAP");
  });

  it("retries a mutation while the forwarder says the daemon is stopped (503), then sends it once", async () => {
    const daemonStopped = rawAnswer(503, JSON.stringify({ errors: [{ message: "daemon stopped" }] }));
    const fake = await fakeOnSocket({
      ...cannedNode,
      sendPayment: (variables, call) => (call < 2 ? daemonStopped : cannedNode.sendPayment!(variables, call)),
    });
    const sent = await clientOf(fake).sendPayment({ from: bp.publicKey, to: receiver.publicKey, amount: 1n, fee: 1n });
    expect(sent.nonce).toBe(6);
    expect(fake.requests.filter((r) => r.operationName === "sendPayment")).toHaveLength(3);
  });

  it("gives up after the configured attempts, naming node, operation and what failed", async () => {
    const client = clientOf({ url: "http://localhost/graphql", socketPath: join(dir, "never.sock") }, { retries: 3, backoffMs: 10 });
    const error = await caught(client.daemonStatus());
    expect(error.kind).toBe("graphql");
    expect(error.message).toMatch(/^node bp1: daemonStatus: gave up after 3 attempts: .*ENOENT/);
  });

  it("says the daemon is stopped when it stays stopped", async () => {
    const fake = await fakeOnSocket({ syncStatus: () => rawAnswer(503, JSON.stringify({ errors: [{ message: "daemon stopped" }] })) });
    const error = await caught(clientOf(fake, { retries: 2 }).syncStatus());
    expect(error.message).toBe("node bp1: syncStatus: gave up after 2 attempts: HTTP 503 daemon stopped");
    expect(fake.requests).toHaveLength(2);
  });
});

describe("failures", () => {
  it("a GraphQL error from the node is not retried and keeps the node's exact message", async () => {
    const message = "Couldn't send user command: Error creating user command: Invalid_nonce";
    const fake = await fakeOnSocket({ sendPayment: () => rawAnswer(200, JSON.stringify({ data: null, errors: [{ message, path: ["sendPayment"] }] })) });
    const error = await caught(clientOf(fake).sendPayment({ from: bp.publicKey, to: receiver.publicKey, amount: 1n, fee: 1n, nonce: 99 }));
    expect(error.message).toBe(`node bp1: sendPayment: ${message}`);
    expect(error.kind).toBe("graphql");
    expect(fake.requests).toHaveLength(1);
  });

  it("a call that gets no answer times out, naming node and operation", async () => {
    const fake = await fakeOnSocket({ daemonStatus: () => hang() });
    const error = await caught(clientOf(fake, { timeoutMs: 300 }).daemonStatus());
    expect(error.message).toMatch(/^node bp1: daemonStatus: timed out after 300 ms/);
  });

  it("a per-call timeout overrides the client's", async () => {
    const fake = await fakeOnTcp({ account: () => hang() });
    const error = await caught(clientOf(fake, { timeoutMs: 30_000 }).account(bp.publicKey, { timeoutMs: 200 }));
    expect(error.message).toMatch(/^node bp1: account: timed out after 200 ms/);
  });

  it("a malformed answer is rejected naming the field", async () => {
    const bad = { data: { account: { publicKey: bp.publicKey, balance: { total: "-5", liquid: null, locked: null }, nonce: "1", inferredNonce: "1", delegate: null } } };
    const fake = await fakeOnSocket({ account: () => rawAnswer(200, JSON.stringify(bad)) });
    const error = await caught(clientOf(fake).account(bp.publicKey));
    expect(error.message).toMatch(/^node bp1: account: malformed answer: account\.balance\.total: .*"-5"/);
    expect(fake.requests).toHaveLength(1);
  });

  it("a query whose connection is cut is retried; a mutation is not (it may have been received)", async () => {
    const fake = await fakeOnSocket({
      syncStatus: (variables, call) => (call === 0 ? cutConnection() : cannedNode.syncStatus!(variables, call)),
      sendPayment: () => cutConnection(),
    });
    const client = clientOf(fake);
    expect(await client.syncStatus()).toBe("BOOTSTRAP");
    const error = await caught(client.sendPayment({ from: bp.publicKey, to: receiver.publicKey, amount: 1n, fee: 1n }));
    expect(error.message).toMatch(/^node bp1: sendPayment: connection lost, the node may or may not have received it/);
    expect(fake.requests.filter((r) => r.operationName === "sendPayment")).toHaveLength(1);
  });

  it("the client's signal aborts a call", async () => {
    const fake = await fakeOnSocket({ daemonStatus: () => hang() });
    const controller = new AbortController();
    const pending = clientOf(fake, { signal: controller.signal }).daemonStatus();
    setTimeout(() => controller.abort(), 50);
    const error = await caught(pending);
    expect(error.message).toMatch(/^node bp1: daemonStatus: aborted/);
  });
});
