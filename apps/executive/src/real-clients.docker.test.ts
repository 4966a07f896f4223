import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMinaKeyFile } from "@mina-local/engine";
import { createMinaClient, signPayment, signStakeDelegation, type MinaClient } from "@mina-local/graphql-client";
import { SwarmManager } from "@mina-local/swarm-manager";
import { EXIT_CODES } from "./report/model.js";
import { appDir, onlyRunDir, requireRunPrerequisites, runIdOf } from "./testing/cli-run.js";

/**
 * Real clients against a running simulator network, over the loopback URLs a `--debug` run
 * serves (graphql-ports.json): o1js 2.15, the SDK zkApp developers use, and mina-signer.
 * The schema served is develop 2023-09's with Mina 3.x's setVerificationKey permission
 * (packages/engine/reference/SOURCE.md), the shape o1js 2.x asks for and sends.
 */

const DEBUG_PAUSE = /--debug: the network stays up until you press Enter/;
const outputDir = mkdtempSync(join(tmpdir(), "real-clients-"));
let child: ChildProcessWithoutNullStreams | undefined;
let stdout = "";
let stderr = "";
let exited: Promise<number | null>;
let runId = "";
let runDir = "";
let urls: Record<string, string> = {};
let bp2: MinaClient;
/** bp2's account key, opened from its key file as the daemon opens it */
let bp2Key: { publicKey: string; privateKey: string };

function waitForStderr(pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (pattern.test(stderr)) {
        clearInterval(poll);
        resolve();
      } else if (child?.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`the --debug pause: not seen after ${Date.now() - started} ms (exit code ${String(child?.exitCode)})\n${stderr.slice(-3000)}`));
      }
    }, 100);
  });
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function graphql(url: string, query: string): Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }> {
  const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return (await answer.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

beforeAll(async () => {
  await requireRunPrerequisites();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MINA_IMAGE;
  child = spawn(process.execPath, [join(appDir, "bin", "test_executive.js"), "local", "send-payment", "--debug", "--output-dir", outputDir], { cwd: appDir, stdio: ["pipe", "pipe", "pipe"], env });
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const running = child;
  exited = new Promise((resolve) => running.on("exit", (code) => resolve(code)));
  await waitForStderr(DEBUG_PAUSE, 240_000);
  runId = runIdOf(stdout);
  runDir = onlyRunDir(outputDir);
  const ports = JSON.parse(readFileSync(join(runDir, "graphql-ports.json"), "utf8")) as Record<string, { url: string }>;
  urls = Object.fromEntries(Object.entries(ports).map(([node, p]) => [node, p.url]));
  const compose = JSON.parse(readFileSync(join(runDir, "docker-compose.json"), "utf8")) as { services: Record<string, { environment: Record<string, string> }> };
  const keyFile = readdirSync(join(runDir, "keys", "bp2")).find((f) => f.endsWith(".key"));
  if (!keyFile) throw new Error("bp2 has no key file");
  const opened = openMinaKeyFile(readFileSync(join(runDir, "keys", "bp2", keyFile), "utf8"), compose.services.bp2?.environment.MINA_PRIVKEY_PASS ?? "", { where: keyFile });
  bp2Key = { publicKey: opened.publicKey, privateKey: opened.privateKey };
  bp2 = createMinaClient({ node: "bp2", endpoint: { url: urls.bp2 as string }, timeoutMs: 20_000, retries: 3 });
}, 260_000);

afterAll(async () => {
  await bp2?.close();
  if (child && child.exitCode === null) {
    child.stdin.end("\n");
    const timer = setTimeout(() => child?.kill("SIGINT"), 60_000);
    await exited;
    clearTimeout(timer);
  }
  if (runId) {
    const swarm = await SwarmManager.connect().catch(() => undefined);
    await swarm?.cleanup({ runId, isOwnerAlive: () => false }).catch((error: unknown) => console.error(error));
  }
  rmSync(outputDir, { recursive: true, force: true });
}, 120_000);

describe("o1js 2.15 against a simulator node's loopback URL", () => {
  it("fetchLastBlock and getNetworkState: the best tip GraphQL reports", async () => {
    const { Mina, fetchLastBlock } = await import("o1js");
    const url = urls.bp1 as string;
    Mina.setActiveInstance(Mina.Network(url));
    const network = await fetchLastBlock(url);
    const tip = await graphql(url, "{ bestChain(maxLength: 1) { stateHash protocolState { consensusState { blockHeight slotSinceGenesis epoch } blockchainState { snarkedLedgerHash } } } }");
    const [block] = tip.data?.bestChain as { protocolState: { consensusState: { blockHeight: string; slotSinceGenesis: string; epoch: string }; blockchainState: { snarkedLedgerHash: string } } }[];
    // a block may land in between: the heights are at most one apart
    expect(Number(network.blockchainLength.toString())).toBeGreaterThanOrEqual(Number(block?.protocolState.consensusState.blockHeight) - 1);
    expect(Number(network.blockchainLength.toString())).toBeLessThanOrEqual(Number(block?.protocolState.consensusState.blockHeight));
    expect(Number(network.blockchainLength.toString())).toBeGreaterThan(1);
    expect(network.stakingEpochData.epochLength.toString()).toMatch(/^[1-9]\d*$/);
    const state = Mina.getNetworkState();
    expect(state.blockchainLength.toString()).toBe(network.blockchainLength.toString());
    expect(state.globalSlotSinceGenesis.toString()).toBe(network.globalSlotSinceGenesis.toString());
  }, 120_000);

  it("fetchAccount of a genesis account: balance and nonce as GraphQL reports them, Mina 3's setVerificationKey { auth txnVersion }", async () => {
    const { fetchAccount, PublicKey } = await import("o1js");
    const url = urls.bp1 as string;
    const before = await graphql(url, `{ account(publicKey: "${bp2Key.publicKey}") { balance { total } nonce } }`);
    const result = await fetchAccount({ publicKey: PublicKey.fromBase58(bp2Key.publicKey) }, url);
    const after = await graphql(url, `{ account(publicKey: "${bp2Key.publicKey}") { balance { total } nonce } }`);
    expect(result.error).toBeUndefined();
    const account = result.account;
    // a block may land in between: o1js' answer is one of the two GraphQL saw around it
    const seen = [before, after].map((r) => r.data?.account as { balance: { total: string }; nonce: string });
    expect(seen.map((a) => `${a.balance.total}/${a.nonce}`)).toContain(`${account?.balance.toString()}/${account?.nonce.toString()}`);
    // Permissions.user_default: sending needs a signature
    expect(account?.permissions.send.signatureNecessary.toBoolean()).toBe(true);
    expect(account?.zkapp).toBeUndefined();
  }, 60_000);
});

describe("an o1js zkApp transaction over the loopback URL", () => {
  it("a signed AccountUpdate payment: sent, included (wait, checkZkappTransaction), fetchTransactionStatus INCLUDED, balances as GraphQL reports", async () => {
    const { AccountUpdate, Mina, PrivateKey, PublicKey, UInt64, checkZkappTransaction, fetchAccount, fetchTransactionStatus } = await import("o1js");
    const url = urls.bp2 as string;
    Mina.setActiveInstance(Mina.Network(url));
    const senderKey = PrivateKey.fromBase58(bp2Key.privateKey);
    const sender = senderKey.toPublicKey();
    const status = await graphql(url, "{ daemonStatus { blockProductionKeys } }");
    const bp1Key = (await graphql(urls.bp1 as string, "{ daemonStatus { blockProductionKeys } }")).data?.daemonStatus as { blockProductionKeys: string[] };
    const receiver = PublicKey.fromBase58(bp1Key.blockProductionKeys[0] as string);
    expect((status.data?.daemonStatus as { blockProductionKeys: string[] }).blockProductionKeys).toContain(bp2Key.publicKey);
    await fetchAccount({ publicKey: sender });
    await fetchAccount({ publicKey: receiver });
    const tx = await Mina.transaction({ sender, fee: 100_000_000 }, async () => {
      const update = AccountUpdate.createSigned(sender);
      update.send({ to: receiver, amount: UInt64.from(1_000_000_000) });
    });
    tx.sign([senderKey]);
    const pending = await tx.send();
    expect(pending.errors).toEqual([]);
    expect(pending.status).toBe("pending");
    const sent = (pending.data as { sendZkapp: { zkapp: { id: string; hash: string } } }).sendZkapp.zkapp;
    // o1js computes Mina's transaction hash itself (Test.transactionHash); the node answers the same
    expect(sent.hash).toBe(pending.hash);
    const included = await pending.wait({ maxAttempts: 90, interval: 1_000 });
    expect(included.status).toBe("included");
    expect(await checkZkappTransaction(pending.hash)).toMatchObject({ success: true, failureReason: null });
    expect(await fetchTransactionStatus(sent.id, url)).toBe("INCLUDED");
    const after = await graphql(url, `{ account(publicKey: "${bp2Key.publicKey}") { nonce } }`);
    expect((after.data?.account as { nonce: string }).nonce).toBe("1");
    const fetched = await fetchAccount({ publicKey: sender });
    expect(fetched.account?.nonce.toString()).toBe("1");
  }, 150_000);
});

describe("mina-signer payment and delegation, sent with their signatures over the loopback URL", () => {
  it("includes both, with the signer's nonce and the new delegate", async () => {
    const account = await bp2.account(bp2Key.publicKey);
    const nonce = account?.inferredNonce ?? 0;
    const status = await graphql(urls.bp1 as string, "{ daemonStatus { blockProductionKeys } }");
    const receiver = (status.data?.daemonStatus as { blockProductionKeys: string[] }).blockProductionKeys[0] as string;
    const payment = signPayment(bp2Key.privateKey, { from: bp2Key.publicKey, to: receiver, amount: 1_000_000_000n, fee: 100_000_000n, nonce });
    const sentPayment = await bp2.sendSignedPayment(payment.payment, payment.signature);
    expect(sentPayment.hash).toBe(payment.hash);
    const delegation = signStakeDelegation(bp2Key.privateKey, { from: bp2Key.publicKey, to: receiver, fee: 100_000_000n, nonce: nonce + 1 });
    const sentDelegation = await bp2.sendSignedDelegation(delegation.delegation, delegation.signature);
    expect(sentDelegation.hash).toBe(delegation.hash);
    for (const sent of [sentPayment, sentDelegation])
      await until(`${sent.kind} ${sent.hash} to be included`, 60_000, async () => ((await bp2.transactionStatus(sent.id)) === "INCLUDED" ? true : undefined));
    const after = await until("bp2's account to show both commands", 30_000, async () => {
      const got = await bp2.account(bp2Key.publicKey);
      return got?.nonce === nonce + 2 ? got : undefined;
    });
    expect(after.delegate).toBe(receiver);
  }, 150_000);
});

describe("after Enter", () => {
  it("tears down and exits 0", async () => {
    child?.stdin.end("\n");
    expect(await exited, stderr.slice(-3000)).toBe(EXIT_CODES.passed);
  }, 120_000);
});
