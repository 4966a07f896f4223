import type http from "node:http";
import { unlockFromWallet } from "./wallet.js";
import { buildClientSchema, defaultFieldResolver, graphql, GraphQLError, type GraphQLFieldResolver, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { minaGraphqlIntrospection, USER_DEFAULT_PERMISSIONS } from "@mina-local/engine";
import { epochDataFor, epochOf, type ChainNode } from "./block.js";
import { ZERO_STATE_HASH, type EpochCheckpoints } from "./consensus-state.js";
import type { Daemon } from "./daemon.js";
import { EMULATED_MINA_COMMIT } from "./version.js";
import { encodeMemo, fieldOfHash } from "./encoding.js";
import { slotTime } from "./genesis.js";
import { readBody, sendJson } from "./http.js";
import { accountKey, DEFAULT_TOKEN_ID, isDefaultToken, keyOf, lockedBalance, totalCurrency, type Account } from "./ledger.js";
import { runLottery } from "./lottery.js";
import { openWorkIds } from "./scan-state.js";
import type { FilteredLog } from "./filtered-log.js";
import { commandFromWire, commandToWire, publicKeyOfPrivateKey, SignedCommandWireSchema, type SignedCommand } from "./transaction.js";
import { sendUserCommand } from "./send.js";
import { accountZkappFields } from "./zkapp/account-graphql.js";
import { blockZkappCommands, zkappResolvers, zkappTransactionStatus } from "./zkapp/graphql.js";
import { deriveTokenId, loadMinaLogic } from "./zkapp/mina-logic.js";

/** The real Mina schema (an introspection result of a real daemon): every answer is valid by construction. */
export function minaSchema(): GraphQLSchema {
  return buildClientSchema(minaGraphqlIntrospection() as unknown as IntrospectionQuery);
}

type Args = Record<string, unknown>;
type RootResolver = (args: Args) => unknown;

/**
 * The error a field answers when the simulator does not compute it: never a made-up value. A
 * nullable field answers null with this error beside it, a non-null one nulls its parent.
 */
export function notComputed(typeName: string, fieldName: string): GraphQLError {
  return new GraphQLError(`${typeName}.${fieldName} is not computed by mina-local daemon-sim`);
}

export function createGraphqlHandler(daemon: Daemon, filteredLog: FilteredLog): http.RequestListener {
  const schema = minaSchema();
  const root = { ...rootResolvers(daemon), ...testingResolvers(daemon, filteredLog), ...zkappResolvers(daemon) };
  const queryType = schema.getQueryType();
  const mutationType = schema.getMutationType();
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    if (info.parentType === queryType || info.parentType === mutationType) {
      const resolver = root[info.fieldName];
      if (!resolver) throw new GraphQLError(`${info.fieldName} is not simulated by mina-local daemon-sim`);
      return resolver(args);
    }
    // an object built below holds a key for every field the simulator computes; any other
    // field of the schema is one it cannot answer truthfully
    if (source !== null && typeof source === "object" && !(info.fieldName in source)) throw notComputed(info.parentType.name, info.fieldName);
    return defaultFieldResolver(source, args, context, info);
  };

  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname !== "/graphql") return sendJson(res, 404, { errors: [{ message: `no such path ${url.pathname}: use /graphql` }] });
      let request: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        if (req.method === "GET") {
          const variables = url.searchParams.get("variables");
          request = { query: url.searchParams.get("query"), variables: variables ? JSON.parse(variables) : undefined, operationName: url.searchParams.get("operationName") };
        } else if (req.method === "POST") {
          request = JSON.parse(await readBody(req)) as typeof request;
        } else return sendJson(res, 405, { errors: [{ message: "use GET or POST" }] });
      } catch {
        return sendJson(res, 400, { errors: [{ message: "the request body is not JSON" }] });
      }
      if (typeof request.query !== "string") return sendJson(res, 400, { errors: [{ message: "missing query" }] });
      const result = await graphql({
        schema,
        source: request.query,
        variableValues: request.variables && typeof request.variables === "object" ? (request.variables as Record<string, unknown>) : undefined,
        operationName: typeof request.operationName === "string" ? request.operationName : undefined,
        fieldResolver,
      });
      sendJson(res, 200, result);
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: String(error) }] });
    });
  };
}

function frontierOf(daemon: Daemon) {
  const frontier = daemon.frontier;
  if (!frontier || daemon.syncStatus === "BOOTSTRAP") throw new GraphQLError("Daemon is bootstrapping");
  return frontier;
}

function consensusTime(daemon: Daemon, globalSlot: number) {
  const time = slotTime(daemon.genesis, globalSlot);
  return { epoch: String(time.epoch), slot: String(time.slot), globalSlot: String(globalSlot), startTime: String(time.startTime), endTime: String(time.endTime) };
}

function rootResolvers(daemon: Daemon): Record<string, RootResolver> {
  const { genesis, options } = daemon;
  const peersList = () => daemon.peers.list().map((p) => ({ host: p.host, libp2pPort: p.port, peerId: p.peerId }));
  const objects = new GraphqlObjects(daemon);

  return {
    syncStatus: () => daemon.syncStatus,
    version: () => EMULATED_MINA_COMMIT,
    daemonStatus: () => {
      const frontier = daemon.frontier;
      const best = frontier?.best;
      const now = daemon.currentSlot();
      return {
        numAccounts: best ? best.ledger.size : null,
        blockchainLength: best ? best.block.height : null,
        highestBlockLengthReceived: Math.max(daemon.highestBlockLengthReceived, best?.block.height ?? 1),
        highestUnvalidatedBlockLengthReceived: Math.max(daemon.highestBlockLengthReceived, best?.block.height ?? 1),
        uptimeSecs: Math.floor((Date.now() - daemon.startedAt) / 1000),
        ledgerMerkleRoot: best?.block.stagedLedgerHash ?? null,
        stateHash: best?.block.stateHash ?? null,
        chainId: genesis.genesisStateHash,
        commitId: EMULATED_MINA_COMMIT,
        confDir: options.configDirectory,
        peers: peersList(),
        userCommandsSent: daemon.userCommandsSent,
        snarkWorker: options.snarkCoordinator ?? null,
        snarkWorkFee: Number(options.snarkWorkerFee),
        syncStatus: daemon.syncStatus,
        catchupStatus: null,
        blockProductionKeys: daemon.producerKey ? [daemon.producerKey.publicKey] : [],
        histograms: null,
        consensusTimeBestTip: best ? consensusTime(daemon, best.block.globalSlot) : null,
        globalSlotSinceGenesisBestTip: best ? best.block.globalSlot : null,
        nextBlockProduction: best ? nextBlockProduction(daemon, best, now) : null,
        consensusTimeNow: consensusTime(daemon, now),
        consensusMechanism: "proof_of_stake",
        consensusConfiguration: {
          delta: genesis.delta,
          k: genesis.k,
          slotsPerEpoch: genesis.slotsPerEpoch,
          slotDuration: genesis.blockWindowMs,
          epochDuration: genesis.blockWindowMs * genesis.slotsPerEpoch,
          genesisStateTimestamp: new Date(genesis.genesisTimestamp).toISOString(),
          acceptableNetworkDelay: genesis.delta * genesis.blockWindowMs,
        },
        addrsAndPorts: {
          externalIp: "0.0.0.0",
          bindIp: "0.0.0.0",
          peer: { host: "0.0.0.0", libp2pPort: options.externalPort, peerId: daemon.peerId },
          libp2pPort: options.externalPort,
          clientPort: options.clientPort,
        },
        metrics: {
          blockProductionDelay: daemon.metrics.blockProductionDelay(),
          transactionPoolDiffReceived: daemon.metrics.transactionPoolDiffReceived,
          transactionPoolDiffBroadcasted: daemon.metrics.transactionPoolDiffBroadcasted,
          transactionsAddedToPool: daemon.metrics.transactionsAddedToPool,
          transactionPoolSize: daemon.pool.byHash.size,
        },
      };
    },
    genesisConstants: () => ({ accountCreationFee: genesis.accountCreationFee.toString(), coinbase: genesis.coinbase.toString() }),
    initialPeers: () => options.peers,
    getPeers: () => peersList(),
    account: (args) => {
      const frontier = frontierOf(daemon);
      const token = typeof args.token === "string" ? args.token : undefined;
      const account = frontier.best.ledger.get(accountKey(String(args.publicKey), token));
      return account ? objects.account(String(args.publicKey), token) : null;
    },
    // Mina's `accounts`: every account of the key, one per token it holds
    accounts: (args) => {
      const frontier = frontierOf(daemon);
      return [...frontier.best.ledger.values()].filter((a) => a.publicKey === args.publicKey).map((a) => objects.account(a.publicKey, a.tokenId));
    },
    tokenAccounts: (args) => {
      const frontier = frontierOf(daemon);
      return [...frontier.best.ledger.values()].filter((a) => (a.tokenId ?? DEFAULT_TOKEN_ID) === args.tokenId).map((a) => objects.account(a.publicKey, a.tokenId));
    },
    // Ledger.token_owner: the account whose Account_id.derive_token_id is the token (every account owns one)
    tokenOwner: async (args) => {
      const frontier = frontierOf(daemon);
      await loadMinaLogic();
      const owner = [...frontier.best.ledger.values()].find((a) => deriveTokenId(a.publicKey, a.tokenId ?? DEFAULT_TOKEN_ID) === args.tokenId);
      return owner ? objects.account(owner.publicKey, owner.tokenId) : null;
    },
    ownedWallets: () => (daemon.producerKey ? [objects.account(daemon.producerKey.publicKey)] : []),
    trackedAccounts: () => (daemon.producerKey ? [objects.account(daemon.producerKey.publicKey)] : []),
    bestChain: (args) => {
      const frontier = daemon.frontier;
      if (!frontier || daemon.syncStatus === "BOOTSTRAP") return null;
      const path = frontier.path();
      const max = typeof args.maxLength === "number" ? args.maxLength : path.length;
      if (max < 0) throw new GraphQLError("maxLength must be a non-negative integer");
      return path.slice(Math.max(0, path.length - max)).map((node) => objects.block(node));
    },
    block: (args) => {
      const frontier = frontierOf(daemon);
      if (typeof args.stateHash === "string") {
        const node = frontier.get(args.stateHash);
        if (!node) throw new GraphQLError(`Block with state hash ${args.stateHash} not found in transition frontier`);
        return objects.block(node);
      }
      if (typeof args.height === "number") {
        const node = frontier.path().find((n) => n.block.height === args.height);
        if (!node) throw new GraphQLError(`Could not find block in transition frontier with height ${args.height}`);
        return objects.block(node);
      }
      throw new GraphQLError("Must provide exactly one of state hash, height");
    },
    genesisBlock: () => {
      const frontier = frontierOf(daemon);
      const root = frontier.path()[0];
      if (!root || root.block.height !== 1) throw new GraphQLError("the genesis block is no longer in the transition frontier of this simulator");
      return objects.block(root);
    },
    pooledUserCommands: (args) => {
      let commands = [...daemon.pool.byHash.values()];
      if (typeof args.publicKey === "string") commands = commands.filter((c) => c.from === args.publicKey);
      if (Array.isArray(args.hashes)) {
        const hashes = new Set(args.hashes as string[]);
        commands = commands.filter((c) => hashes.has(c.hash));
      }
      return commands.map((c) => objects.userCommand(c));
    },
    transactionStatus: (args) => {
      if (args.zkappTransaction !== undefined && args.zkappTransaction !== null) return zkappTransactionStatus(daemon, String(args.zkappTransaction));
      const frontier = frontierOf(daemon);
      const hash = commandHashOfId(String(args.payment));
      if (!hash) throw new GraphQLError("Invalid payment provided");
      const inBestChain = frontier.path().some((n) => n.block.commands.some((c) => c.hash === hash));
      if (inBestChain) return "INCLUDED";
      const inFrontier = [...frontier.nodes.values()].some((n) => n.block.commands.some((c) => c.hash === hash));
      return inFrontier || daemon.pool.byHash.has(hash) ? "PENDING" : "UNKNOWN";
    },
    snarkPool: () => [...daemon.snarkPool.values()].map((w) => ({ prover: w.prover, fee: w.fee.toString(), workIds: w.workIds })),
    pendingSnarkWork: () => {
      const frontier = frontierOf(daemon);
      return openWorkIds(frontier.best.scan).map((id) => ({ workBundle: [{ workId: id }] }));
    },
    currentSnarkWorker: () => (options.snarkCoordinator ? { key: options.snarkCoordinator, account: objects.account(options.snarkCoordinator), fee: options.snarkWorkerFee.toString() } : null),
    timeOffset: () => 0,
    sendPayment: (args) => ({ payment: objects.userCommand(sendUserCommand(daemon, "payment", args)) }),
    sendDelegation: (args) => ({ delegation: objects.userCommand(sendUserCommand(daemon, "delegation", args)) }),
    unlockAccount: (args) => unlock(daemon, objects, args),
    unlockWallet: (args) => unlock(daemon, objects, args),
    addPeers: async (args) => {
      const peers = (args.peers as { host: string; libp2pPort: number; peerId: string }[]) ?? [];
      for (const peer of peers) daemon.seedPeers.push({ host: peer.host, port: peer.libp2pPort, peerId: peer.peerId });
      await daemon.discoverPeers(false);
      return peersList();
    },
  };
}

/**
 * What Mina's integration tests drive besides a user's operations (mina_graphql.ml, develop
 * 9f068b1c3b): the filtered log, test payments, the snark worker's key and fee.
 */
function testingResolvers(daemon: Daemon, filteredLog: FilteredLog): Record<string, RootResolver> {
  const { options } = daemon;
  return {
    startFilteredLog: (args) => filteredLog.start(args.filter as string[]),
    getFilteredLogEntries: (args) => filteredLog.entries(Number(args.offset)),
    // Mina imports each sender's key, sends the first payment at once and the i-th
    // (i = 2..repeat_count) repeat_delay_ms * i after the call, sender i mod n, memo ""
    sendTestPayments: (args) => {
      const senders = (args.senders as string[]).map((privateKey) => {
        const publicKey = publicKeyOfPrivateKey(privateKey);
        if (!publicKey) throw new GraphQLError("Invalid `senders` provided.");
        return { publicKey, privateKey };
      });
      if (senders.length === 0) throw new GraphQLError("Invalid `senders` provided.");
      const repeatCount = Number(args.repeat_count);
      const delayMs = Number(args.repeat_delay_ms);
      const send = (i: number) => {
        const sender = senders[i % senders.length] as { publicKey: string; privateKey: string };
        daemon.unlocked.set(sender.publicKey, sender.privateKey);
        const input = { from: sender.publicKey, to: args.receiver, amount: args.amount, fee: args.fee, memo: "" };
        sendUserCommand(daemon, "payment", { input });
      };
      for (let i = 2; i <= repeatCount; i++) {
        daemon.later(delayMs * i, () => {
          try {
            send(i);
          } catch (error) {
            daemon.logger.sim("graphql.ts", "Warn", "sendTestPayments: payment $index failed: $error", { index: i, error: String(error) });
          }
        });
      }
      send(1);
      return 0;
    },
    setSnarkWorker: (args) => {
      const last = options.snarkCoordinator ?? null;
      const key = (args.input as { publicKey?: string | null }).publicKey;
      if (key) options.snarkCoordinator = key;
      else delete options.snarkCoordinator;
      return { lastSnarkWorker: last };
    },
    setSnarkWorkFee: (args) => {
      const last = options.snarkWorkerFee;
      options.snarkWorkerFee = BigInt(String((args.input as { fee: unknown }).fee));
      return { lastFee: last.toString() };
    },
  };
}

async function unlock(daemon: Daemon, objects: GraphqlObjects, args: Args) {
  const input = args.input as { publicKey: string; password: string };
  // Mina unlocks a key of the node's wallet (imported with `mina accounts import`) by opening its box with the password given
  const opened = await unlockFromWallet(daemon.options.configDirectory, input.publicKey, input.password);
  if (!opened.ok) throw new GraphQLError(opened.error);
  daemon.unlocked.set(opened.value.publicKey, opened.value.privateKey);
  return { publicKey: opened.value.publicKey, account: objects.account(opened.value.publicKey) };
}

/** A UserCommand's `id` is the base64 of its wire form (Mina's is the base64 of the serialized command); a hash works too. */
export function commandId(command: SignedCommand): string {
  return Buffer.from(JSON.stringify(commandToWire(command))).toString("base64");
}

function commandHashOfId(id: string): string | undefined {
  if (/^5J[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(id)) return id;
  try {
    const wire = SignedCommandWireSchema.safeParse(JSON.parse(Buffer.from(id, "base64").toString("utf8")));
    if (!wire.success) return undefined;
    return commandFromWire(wire.data)?.hash;
  } catch {
    return undefined;
  }
}

/** Slots of the current epoch this node's key wins on its best tip's staking data (what Mina reports as nextBlockProduction). */
function nextBlockProduction(daemon: Daemon, best: ChainNode, now: number) {
  const key = daemon.producerKey;
  if (!key) return null;
  const epoch = epochOf(daemon.genesis, now);
  const end = (epoch + 1) * daemon.genesis.slotsPerEpoch;
  const stakingData = epoch === best.epochData.epoch ? best.epochData : undefined;
  if (!stakingData) return null;
  const stake = stakingData.distribution.stakes.get(key.publicKey) ?? 0n;
  const slots: number[] = [];
  for (let slot = now + 1; slot < end && slots.length < 5; slot++) {
    if (runLottery(stakingData.seed, slot, key.publicKey, stake, stakingData.distribution.total).won) slots.push(slot);
  }
  return {
    times: slots.map((slot) => consensusTime(daemon, slot)),
    globalSlotSinceGenesis: slots.map(String),
    generatedFromConsensusAt: { consensusTime: consensusTime(daemon, best.block.globalSlot), globalSlotSinceGenesis: String(best.block.globalSlot) },
  };
}

/** Builders of GraphQL objects; nested accounts are functions so only what a query asks for is computed. */
class GraphqlObjects {
  constructor(private readonly daemon: Daemon) {}

  private ledgerContext() {
    const frontier = this.daemon.frontier;
    return frontier ? frontier.best : undefined;
  }

  /** The account (publicKey, tokenId) of the best tip's ledger; one not there answers as Account.create would make it. */
  account(publicKey: string, tokenId?: string) {
    const best = this.ledgerContext();
    const defaultToken = isDefaultToken(tokenId);
    const found: Account | undefined = best?.ledger.get(accountKey(publicKey, tokenId));
    const account: Account = found ?? { publicKey, ...(!defaultToken && { tokenId }), balance: 0n, nonce: 0, delegate: defaultToken ? publicKey : null };
    const slot = this.daemon.currentSlot();
    const locked = lockedBalance(account, slot);
    const key = this.daemon.producerKey;
    const owned = key?.publicKey === publicKey;
    // the transaction pool's fee payers are MINA accounts
    const inferred = best && defaultToken ? this.daemon.pool.inferredNonce(best.ledger, publicKey) : found ? account.nonce : undefined;
    const delegators = () => (best && defaultToken ? [...best.ledger.values()].filter((a) => a.delegate === publicKey && isDefaultToken(a.tokenId)).map((a) => this.account(a.publicKey)) : []);
    const t = account.timing;
    return {
      publicKey,
      token: tokenId ?? DEFAULT_TOKEN_ID,
      tokenId: tokenId ?? DEFAULT_TOKEN_ID,
      timing: {
        initialMinimumBalance: t ? t.initialMinimumBalance.toString() : null,
        cliffTime: t ? String(t.cliffTime) : null,
        cliffAmount: t ? t.cliffAmount.toString() : null,
        vestingPeriod: t ? String(t.vestingPeriod) : null,
        vestingIncrement: t ? t.vestingIncrement.toString() : null,
      },
      ...accountZkappFields(account, USER_DEFAULT_PERMISSIONS),
      balance: {
        total: account.balance.toString(),
        liquid: (account.balance - locked).toString(),
        locked: locked.toString(),
        blockHeight: String(best?.block.height ?? 1),
        stateHash: best?.block.stateHash ?? null,
      },
      nonce: found ? String(account.nonce) : null,
      inferredNonce: inferred === undefined ? null : String(inferred),
      // Mina's resolver (mina_graphql/types.ml, 9f068b1c3b) finds the account in the staking epoch
      // ledger and answers the best-ledger account of that entry's public_key, the account's own
      // key (not its delegate's): null when the staking ledger lacks the account
      epochDelegateAccount: () => (best?.epochData.ledger.has(keyOf(account)) ? this.account(publicKey, tokenId) : null),
      delegate: account.delegate,
      delegateAccount: () => (account.delegate === null ? null : this.account(account.delegate)),
      // Account.create's voting_for is State_hash.dummy, the zero hash (mina_base/account.ml,
      // develop 9f068b1c3b), until a zkApp command sets it
      votingFor: account.votingFor ?? ZERO_STATE_HASH,
      delegators,
      lastEpochDelegators: delegators,
      stakingActive: owned,
      privateKeyPath: owned ? (this.daemon.options.blockProducerKey ?? "") : "",
      locked: owned ? false : null,
    };
  }

  userCommand(command: SignedCommand, failureReason: string | null = null) {
    const payment = command.kind === "payment";
    const from = () => this.account(command.from);
    const to = () => this.account(command.to);
    return {
      __typename: payment ? "UserCommandPayment" : "UserCommandDelegation",
      id: commandId(command),
      hash: command.hash,
      kind: payment ? "PAYMENT" : "STAKE_DELEGATION",
      nonce: command.nonce,
      source: from,
      receiver: to,
      feePayer: from,
      token: DEFAULT_TOKEN_ID,
      amount: command.amount.toString(),
      feeToken: DEFAULT_TOKEN_ID,
      fee: command.fee.toString(),
      memo: encodeMemo(command.memo),
      isDelegation: !payment,
      from: command.from,
      fromAccount: from,
      to: command.to,
      toAccount: to,
      failureReason,
      delegator: from,
      delegatee: to,
    };
  }

  block(node: ChainNode) {
    const { block } = node;
    const time = slotTime(this.daemon.genesis, block.globalSlot);
    const total = totalCurrency(node.ledger).toString();
    const { consensus } = node;
    const checkpoints = (c: EpochCheckpoints) => ({ startCheckpoint: c.startCheckpoint, lockCheckpoint: c.lockCheckpoint, epochLength: String(c.epochLength) });
    const stakingEpochData = {
      ledger: { hash: node.epochData.ledgerHash, totalCurrency: node.epochData.distribution.total.toString() },
      seed: node.epochData.seed,
      ...checkpoints(consensus.stakingEpoch),
    };
    // Mina's next_epoch_data: the next epoch ledger taken at this block's epoch start
    // (Epoch_data.update_pair, see block.ts); the seed is the simulator's candidate
    const nextEpochData = () => ({
      ledger: { hash: node.epochData.next.hash, totalCurrency: node.epochData.next.distribution.total.toString() },
      seed: epochDataFor(node, node.epochData.epoch + 1).seed,
      ...checkpoints(consensus.nextEpoch),
    });
    return {
      creator: block.creator,
      creatorAccount: () => this.account(block.creator),
      winnerAccount: () => this.account(block.creator),
      stateHash: block.stateHash,
      stateHashField: fieldOfHash(block.stateHash),
      protocolState: {
        previousStateHash: block.previousStateHash,
        blockchainState: {
          date: String(block.timestamp),
          utcDate: String(block.timestamp),
          snarkedLedgerHash: block.snarkedLedgerHash,
          stagedLedgerHash: block.stagedLedgerHash,
          stagedLedgerProofEmitted: block.justEmittedAProof,
        },
        consensusState: {
          blockchainLength: String(block.height),
          blockHeight: String(block.height),
          totalCurrency: total,
          stakingEpochData,
          nextEpochData,
          epochCount: String(consensus.epochCount),
          minWindowDensity: String(consensus.minWindowDensity),
          blockCreator: block.creator,
          coinbaseReceiever: block.coinbaseReceiver,
          slot: String(time.slot),
          slotSinceGenesis: String(block.globalSlot),
          epoch: String(time.epoch),
        },
      },
      protocolStateProof: {},
      commandTransactionCount: block.commands.length,
      transactions: {
        zkappCommands: blockZkappCommands(node),
        userCommands: block.commands.map((c, i) => {
          const status = node.statuses[i];
          return this.userCommand(c, status && !status.applied ? status.reason : null);
        }),
        feeTransfer: [
          ...(block.commands.length > 0 ? [{ recipient: block.coinbaseReceiver, fee: block.commands.reduce((s, c) => s + c.fee, 0n).toString(), type: "Fee_transfer" }] : []),
          ...block.snarkWorks.map((w) => ({ recipient: w.prover, fee: w.fee.toString(), type: "Fee_transfer_via_coinbase" })),
        ],
        coinbase: node.coinbase.toString(),
        coinbaseReceiverAccount: () => this.account(block.coinbaseReceiver),
      },
      snarkJobs: block.snarkWorks.map((w) => ({ prover: w.prover, fee: w.fee.toString(), workIds: w.workIds })),
    };
  }
}
