import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Client from "mina-signer";
import { afterAll, afterEach, describe, expect, it } from "vitest";
// a zkApp command o1js 2.15 built and signed (`Mina.transaction(...)`, `sign`, `toJSON()`): a
// signed account update sending 1 MINA and the receiver's update, fee 0.1 MINA, nonce 0
import o1jsCommand from "./testing/o1js-zkapp-command.json" with { type: "json" };
import { createMinaClient, type MinaClient } from "./client.js";
import { startFakeNode, type FakeNode, type Handler } from "./testing/fake-node.js";

/*
 * The operations Mina's own executive sends (graphql_requests.ml, develop 9f068b1c3b). The
 * fake node executes each document against the real schema, so a variable of the wrong type
 * or a field the schema lacks fails here as it would on a daemon.
 */

const keys = new Client({ network: "testnet" });
const bp = keys.genKeys();
const zkapp = keys.genKeys();
const SELF = "12D3KooWAFGYB6GeFD3i4dbZgSdHUDkzDqhujhsh4hMfvEqkjimr";
const PEER = "12D3KooWBqJ6wN9C3CCCdsDh6d6Q6SuWEnXkWvY7ro7pq4dpqCmm";
const ZKAPP_ID = "zkapp-command-id";
const DEFAULT_TOKEN = "wSHV2S4qX9jFsLjQo8r1BsMLH2ZRKsZx6EJd1sbozGPieEC4Jf";

const dir = mkdtempSync(join(tmpdir(), "graphql-client-ops-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let count = 0;
async function nodeWith(handlers: Record<string, Handler>): Promise<{ fake: FakeNode; client: MinaClient }> {
  const fake = await startFakeNode({ socketPath: join(dir, `n${++count}.sock`) }, handlers);
  const client = createMinaClient({ node: "bp1", endpoint: { url: fake.url, socketPath: fake.socketPath as string }, timeoutMs: 5_000, retries: 2, backoffMs: 20 });
  cleanups.push(
    () => fake.close(),
    () => client.close(),
  );
  return { fake, client };
}

const zkappResult = {
  id: ZKAPP_ID,
  hash: "5JuN6jRGxnb3FkvdTFmNBHckE9NBRBCdVFcP6iDzvPyUmMBB5rM9",
  failureReason: null,
  zkappCommand: {
    memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH",
    feePayer: { body: { publicKey: bp.publicKey, nonce: "3", fee: "100000000" } },
    accountUpdates: [{ body: { publicKey: zkapp.publicKey, tokenId: DEFAULT_TOKEN, incrementNonce: false } }],
  },
};

describe("Mina executive's operations", () => {
  it("peerId: the node's own id from addrsAndPorts and its peers'", async () => {
    const { client } = await nodeWith({
      peerId: () => ({ daemonStatus: { addrsAndPorts: { peer: { peerId: SELF } }, peers: [{ peerId: PEER }] } }),
    });
    expect(await client.peerId()).toEqual({ self: SELF, peers: [PEER] });
  });

  it("metrics: Mina's five counters", async () => {
    const metrics = { blockProductionDelay: [3, 1, 0, 0, 0, 0, 0], transactionPoolDiffReceived: 4, transactionPoolDiffBroadcasted: 2, transactionsAddedToPool: 5, transactionPoolSize: 1 };
    const { client } = await nodeWith({ metrics: () => ({ daemonStatus: { metrics } }) });
    expect(await client.metrics()).toEqual(metrics);
  });

  it("accountDetails: timing, permissions, zkApp state, verification key, proved and action state, token symbol", async () => {
    const permissions = {
      editState: "Proof",
      access: "None",
      send: "Signature",
      receive: "None",
      setDelegate: "Signature",
      setPermissions: "Signature",
      setVerificationKey: { auth: "Signature", txnVersion: "3" },
      setZkappUri: "Signature",
      editActionState: "Proof",
      setTokenSymbol: "Signature",
      incrementNonce: "Signature",
      setVotingFor: "Signature",
      setTiming: "Signature",
    };
    const { fake, client } = await nodeWith({
      accountDetails: (variables) => ({
        account:
          variables.publicKey === zkapp.publicKey
            ? {
                publicKey: zkapp.publicKey,
                tokenId: DEFAULT_TOKEN,
                tokenSymbol: "",
                nonce: "2",
                delegate: zkapp.publicKey,
                balance: { total: "5000000000", liquid: "4000000000", locked: "1000000000" },
                timing: { initialMinimumBalance: "1000000000", cliffTime: "10", cliffAmount: "0", vestingPeriod: "1", vestingIncrement: "100" },
                permissions,
                zkappState: ["1", "0", "0", "0", "0", "0", "0", "0"],
                zkappUri: "",
                verificationKey: null,
                provedState: false,
                actionState: ["0", "0", "0", "0", "0"],
                votingFor: "3NK2tkzqqK5spR2sZ7tujjqPksL45M3UUrcA4WhCkeiPtnugyE2x",
              }
            : null,
      }),
    });
    const account = await client.accountDetails(zkapp.publicKey, DEFAULT_TOKEN);
    expect(fake.requests[0]?.variables).toEqual({ publicKey: zkapp.publicKey, token: DEFAULT_TOKEN });
    expect(account).toMatchObject({
      nonce: 2,
      balance: { total: 5_000_000_000n, liquid: 4_000_000_000n, locked: 1_000_000_000n },
      timing: { initialMinimumBalance: 1_000_000_000n, cliffTime: 10, vestingPeriod: 1, vestingIncrement: 100n },
      permissions: { ...permissions, setVerificationKey: { auth: "Signature", txnVersion: 3 } },
      zkappState: ["1", "0", "0", "0", "0", "0", "0", "0"],
      verificationKey: undefined,
      provedState: false,
      tokenSymbol: "",
    });
    expect(await client.accountDetails(bp.publicKey)).toBeUndefined();
  });

  it("sendTestPayments sends Mina's argument names and decimal strings", async () => {
    const { fake, client } = await nodeWith({ sendTestPayments: () => ({ sendTestPayments: 0 }) });
    await client.sendTestPayments({ senders: [bp.privateKey], receiver: zkapp.publicKey, amount: 1_000_000_000n, fee: 10_000_000n, repeatCount: 10, repeatDelayMs: 1000 });
    expect(fake.requests[0]?.variables).toEqual({ senders: [bp.privateKey], receiver: zkapp.publicKey, amount: "1000000000", fee: "10000000", repeatCount: "10", repeatDelayMs: "1000" });
  });

  it("setSnarkWorker and setSnarkWorkFee return what was set before", async () => {
    const { fake, client } = await nodeWith({
      setSnarkWorker: () => ({ setSnarkWorker: { lastSnarkWorker: bp.publicKey } }),
      setSnarkWorkFee: () => ({ setSnarkWorkFee: { lastFee: "25000000" } }),
    });
    expect(await client.setSnarkWorker(zkapp.publicKey)).toBe(bp.publicKey);
    expect(await client.setSnarkWorkFee(50_000_000n)).toBe(25_000_000n);
    expect(await client.setSnarkWorker(undefined)).toBe(bp.publicKey);
    expect(fake.requests.map((r) => r.variables)).toEqual([{ input: { publicKey: zkapp.publicKey } }, { fee: "50000000" }, { input: { publicKey: null } }]);
  });

  it("sendZkapp, pooledZkappCommands and the zkApp command's transactionStatus", async () => {
    const command = o1jsCommand;
    const { fake, client } = await nodeWith({
      sendZkapp: () => ({ sendZkapp: { zkapp: zkappResult } }),
      pooledZkappCommands: () => ({ pooledZkappCommands: [zkappResult] }),
      zkappTransactionStatus: (variables) => ({ transactionStatus: variables.id === ZKAPP_ID ? "PENDING" : "UNKNOWN" }),
    });
    const sent = await client.sendZkapp(command);
    expect(fake.requests[0]?.variables).toEqual({ zkappCommand: command });
    expect(sent).toMatchObject({ id: ZKAPP_ID, failureReason: undefined, feePayer: { publicKey: bp.publicKey, nonce: 3, fee: 100_000_000n } });
    expect((await client.pooledZkappCommands(bp.publicKey)).map((c) => c.hash)).toEqual([zkappResult.hash]);
    expect(await client.zkappTransactionStatus(ZKAPP_ID)).toBe("PENDING");
  });

  it("startFilteredLog and getFilteredLogEntries", async () => {
    const line = JSON.stringify({ timestamp: "2026-12-01 12:00:00.000000Z", level: "Info", source: { module: "M", location: "L" }, message: "m", metadata: {}, event_id: "id" });
    const { fake, client } = await nodeWith({
      startFilteredLog: (_variables, call) => ({ startFilteredLog: call === 0 }),
      getFilteredLogEntries: (variables) => ({ getFilteredLogEntries: { logMessages: [line, line].slice(Number(variables.offset)), isCapturing: true } }),
    });
    expect(await client.startFilteredLog(["a", "b"])).toBe(true);
    expect(await client.startFilteredLog(["a"])).toBe(false);
    expect(await client.getFilteredLogEntries(1)).toEqual({ logMessages: [line], isCapturing: true });
    expect(fake.requests[0]?.variables).toEqual({ filter: ["a", "b"] });
  });
});
