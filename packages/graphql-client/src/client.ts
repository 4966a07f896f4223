/** `createMinaClient`: Mina's GraphQL operations, typed, over the engine's endpoint for one node. */
import type { GraphqlEndpoint } from "@mina-local/engine";
import type { z } from "zod";
import * as answers from "./answers.js";
import * as documents from "./documents.js";
import { createTransport, type CallOptions } from "./transport.js";
import type {
  Account,
  Block,
  BlockRewards,
  DaemonStatus,
  DelegationInput,
  GenesisConstants,
  NewPeer,
  PaymentInput,
  Peer,
  Signature,
  SignableDelegation,
  SignablePayment,
  SyncStatus,
  TransactionStatus,
  UserCommand,
  AccountDetails,
  FilteredLogEntries,
  Metrics,
  PeerIds,
  TestPayments,
  ZkappCommandResult,
} from "./types.js";

export interface MinaClientOptions {
  /** the node's name, used in every error message */
  node: string;
  endpoint: GraphqlEndpoint;
  /** deadline of one operation, retries included (default 60 s) */
  timeoutMs?: number;
  /** attempts while the node is unreachable or its daemon stopped (default 10) */
  retries?: number;
  /** first wait between attempts, doubled each time up to 8 s (default 500 ms) */
  backoffMs?: number;
  /** aborts every call of this client */
  signal?: AbortSignal;
  /**
   * the password of the node's imported keys: when given, a node-signed `sendPayment` or
   * `sendDelegation` first calls `unlockAccount(sender, password)`, as Mina's executive does
   * (a real daemon otherwise answers "Couldn't find an unlocked key")
   */
  unlockPassword?: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRIES = 10;
export const DEFAULT_BACKOFF_MS = 500;

export interface MinaClient {
  readonly node: string;
  daemonStatus(options?: CallOptions): Promise<DaemonStatus>;
  syncStatus(options?: CallOptions): Promise<SyncStatus>;
  /** the daemon's commit id, undefined when it does not say */
  version(options?: CallOptions): Promise<string | undefined>;
  /** undefined when the ledger has no such account */
  account(publicKey: string, options?: CallOptions): Promise<Account | undefined>;
  /** the best chain, oldest block first; at most `maxLength` blocks */
  bestChain(maxLength?: number, options?: CallOptions): Promise<Block[]>;
  /** the best chain, oldest block first, with each block's coinbase, fee transfers and snark work */
  bestChainRewards(maxLength?: number, options?: CallOptions): Promise<BlockRewards[]>;
  getPeers(options?: CallOptions): Promise<Peer[]>;
  /** commands in the node's transaction pool, of one sender if given */
  pooledUserCommands(publicKey?: string, options?: CallOptions): Promise<UserCommand[]>;
  /** `id` is a sent command's `id` (Mina's `transactionStatus(payment: ID!)`), not its hash */
  transactionStatus(id: string, options?: CallOptions): Promise<TransactionStatus>;
  genesisConstants(options?: CallOptions): Promise<GenesisConstants>;
  initialPeers(options?: CallOptions): Promise<string[]>;
  /** signed by the node with its own key (the sender's account must be unlocked on it) */
  sendPayment(payment: PaymentInput, options?: CallOptions): Promise<UserCommand>;
  /** a payment signed elsewhere (see `signPayment`), sent as is */
  sendSignedPayment(payment: SignablePayment, signature: Signature, options?: CallOptions): Promise<UserCommand>;
  sendDelegation(delegation: DelegationInput, options?: CallOptions): Promise<UserCommand>;
  /** a delegation signed elsewhere (see `signStakeDelegation`), sent as is */
  sendSignedDelegation(delegation: SignableDelegation, signature: Signature, options?: CallOptions): Promise<UserCommand>;
  /** returns the unlocked public key */
  unlockAccount(publicKey: string, password: string, options?: CallOptions): Promise<string>;
  /** returns the peers the node added */
  addPeers(peers: NewPeer[], seed?: boolean, options?: CallOptions): Promise<Peer[]>;
  /** Mina's get_peer_id: own peer id (daemonStatus.addrsAndPorts.peer) and the peers' */
  peerId(options?: CallOptions): Promise<PeerIds>;
  metrics(options?: CallOptions): Promise<Metrics>;
  /** Mina's Account query (zkApp state, permissions, verification key ...); undefined when absent */
  accountDetails(publicKey: string, tokenId?: string, options?: CallOptions): Promise<AccountDetails | undefined>;
  /** the node signs and sends `repeatCount` payments (Mina's sendTestPayments); resolves once the first is sent */
  sendTestPayments(payments: TestPayments, options?: CallOptions): Promise<void>;
  /** returns the previous snark worker key */
  setSnarkWorker(publicKey: string | undefined, options?: CallOptions): Promise<string | undefined>;
  /** returns the previous fee */
  setSnarkWorkFee(fee: bigint, options?: CallOptions): Promise<bigint>;
  /** a zkApp command in Mina's JSON (o1js' `Transaction.toJSON()` parsed, or Mina's `Zkapp_command.to_json`) */
  sendZkapp(zkappCommand: unknown, options?: CallOptions): Promise<ZkappCommandResult>;
  pooledZkappCommands(publicKey?: string, options?: CallOptions): Promise<ZkappCommandResult[]>;
  /** `id` is the `id` sendZkapp answered */
  zkappTransactionStatus(id: string, options?: CallOptions): Promise<TransactionStatus>;
  /** false when the node was already capturing (its first filter stays) */
  startFilteredLog(eventIds: readonly string[], options?: CallOptions): Promise<boolean>;
  getFilteredLogEntries(offset: number, options?: CallOptions): Promise<FilteredLogEntries>;
  /** releases the unix-socket connection pool */
  close(): Promise<void>;
}

/** UInt64 / UInt32 inputs travel as decimal strings. */
const decimal = (value: number | bigint | undefined): string | undefined => (value === undefined ? undefined : BigInt(value).toString());

function paymentVariables(payment: PaymentInput | SignablePayment): Record<string, unknown> {
  return {
    from: payment.from,
    to: payment.to,
    amount: decimal(payment.amount),
    fee: decimal(payment.fee),
    nonce: decimal(payment.nonce),
    memo: payment.memo,
    validUntil: decimal(payment.validUntil),
  };
}

function delegationVariables(delegation: DelegationInput | SignableDelegation): Record<string, unknown> {
  return {
    from: delegation.from,
    to: delegation.to,
    fee: decimal(delegation.fee),
    nonce: decimal(delegation.nonce),
    memo: delegation.memo,
    validUntil: decimal(delegation.validUntil),
  };
}

type BestChainBlock = NonNullable<z.infer<typeof answers.bestChainAnswer>["bestChain"]>[number];

function toBlock(block: BestChainBlock): Block {
  const consensus = block.protocolState.consensusState;
  return {
    stateHash: block.stateHash,
    previousStateHash: block.protocolState.previousStateHash,
    height: consensus.blockHeight,
    slot: consensus.slotSinceGenesis,
    epoch: consensus.epoch,
    slotInEpoch: consensus.slot,
    creator: block.creator,
    commandTransactionCount: block.commandTransactionCount,
    transactions: block.transactions,
  };
}

type ZkappCommandResultAnswer = z.infer<typeof answers.sendZkappAnswer>["sendZkapp"]["zkapp"];

function toZkappCommandResult(result: ZkappCommandResultAnswer): ZkappCommandResult {
  return {
    id: result.id,
    hash: result.hash,
    failureReason: result.failureReason,
    feePayer: result.zkappCommand.feePayer.body,
    memo: result.zkappCommand.memo,
    accountUpdates: result.zkappCommand.accountUpdates.map((u) => u.body),
  };
}

type BestChainRewardsBlock = NonNullable<z.infer<typeof answers.bestChainRewardsAnswer>["bestChain"]>[number];

function toBlockRewards(block: BestChainRewardsBlock): BlockRewards {
  return {
    stateHash: block.stateHash,
    height: block.protocolState.consensusState.blockHeight,
    slot: block.protocolState.consensusState.slotSinceGenesis,
    creator: block.creator,
    coinbaseReceiver: block.transactions.coinbaseReceiverAccount?.publicKey,
    coinbase: block.transactions.coinbase,
    feeTransfers: block.transactions.feeTransfer,
    userCommands: block.transactions.userCommands,
    snarkJobs: block.snarkJobs,
  };
}

export function createMinaClient(options: MinaClientOptions): MinaClient {
  const transport = createTransport({
    node: options.node,
    endpoint: options.endpoint,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: Math.max(1, options.retries ?? DEFAULT_RETRIES),
    backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const query = transport.call;

  /** Mina's mutations take a null signature when the node signs with the key it holds. */
  const signatureVariable = (signature: Signature | null) => (signature === null ? null : { field: signature.field, scalar: signature.scalar });

  const sendPaymentAs = async (name: string, payment: PaymentInput | SignablePayment, signature: Signature | null, callOptions?: CallOptions) => {
    const variables = { input: paymentVariables(payment), signature: signatureVariable(signature) };
    const data = await query({ name, document: documents.SEND_PAYMENT, variables, answer: answers.sendPaymentAnswer, mutation: true }, callOptions);
    return data.sendPayment.payment;
  };

  const sendDelegationAs = async (name: string, delegation: DelegationInput | SignableDelegation, signature: Signature | null, callOptions?: CallOptions) => {
    const variables = { input: delegationVariables(delegation), signature: signatureVariable(signature) };
    const data = await query({ name, document: documents.SEND_DELEGATION, variables, answer: answers.sendDelegationAnswer, mutation: true }, callOptions);
    return data.sendDelegation.delegation;
  };

  const unlockSender = async (publicKey: string, callOptions?: CallOptions) => {
    if (options.unlockPassword === undefined) return;
    await query(
      { name: "unlockAccount", document: documents.UNLOCK_ACCOUNT, variables: { input: { publicKey, password: options.unlockPassword } }, answer: answers.unlockAccountAnswer, mutation: true },
      callOptions,
    );
  };

  return {
    node: options.node,
    async daemonStatus(callOptions) {
      const data = await query({ name: "daemonStatus", document: documents.DAEMON_STATUS, answer: answers.daemonStatusAnswer, mutation: false }, callOptions);
      return data.daemonStatus;
    },
    async syncStatus(callOptions) {
      const data = await query({ name: "syncStatus", document: documents.SYNC_STATUS, answer: answers.syncStatusAnswer, mutation: false }, callOptions);
      return data.syncStatus;
    },
    async version(callOptions) {
      const data = await query({ name: "version", document: documents.VERSION, answer: answers.versionAnswer, mutation: false }, callOptions);
      return data.version;
    },
    async account(publicKey, callOptions) {
      const data = await query({ name: "account", document: documents.ACCOUNT, variables: { publicKey }, answer: answers.accountAnswer, mutation: false }, callOptions);
      return data.account;
    },
    async bestChain(maxLength, callOptions) {
      const data = await query({ name: "bestChain", document: documents.BEST_CHAIN, variables: { maxLength }, answer: answers.bestChainAnswer, mutation: false }, callOptions);
      return (data.bestChain ?? []).map(toBlock);
    },
    async bestChainRewards(maxLength, callOptions) {
      const data = await query({ name: "bestChainRewards", document: documents.BEST_CHAIN_REWARDS, variables: { maxLength }, answer: answers.bestChainRewardsAnswer, mutation: false }, callOptions);
      return (data.bestChain ?? []).map(toBlockRewards);
    },
    async getPeers(callOptions) {
      const data = await query({ name: "getPeers", document: documents.GET_PEERS, answer: answers.getPeersAnswer, mutation: false }, callOptions);
      return data.getPeers;
    },
    async pooledUserCommands(publicKey, callOptions) {
      const data = await query(
        {
          name: "pooledUserCommands",
          document: documents.POOLED_USER_COMMANDS,
          variables: { publicKey },
          answer: answers.pooledUserCommandsAnswer,
          mutation: false,
        },
        callOptions,
      );
      return data.pooledUserCommands;
    },
    async transactionStatus(id, callOptions) {
      const data = await query(
        {
          name: "transactionStatus",
          document: documents.TRANSACTION_STATUS,
          variables: { payment: id },
          answer: answers.transactionStatusAnswer,
          mutation: false,
        },
        callOptions,
      );
      return data.transactionStatus;
    },
    async genesisConstants(callOptions) {
      const data = await query({ name: "genesisConstants", document: documents.GENESIS_CONSTANTS, answer: answers.genesisConstantsAnswer, mutation: false }, callOptions);
      return data.genesisConstants;
    },
    async initialPeers(callOptions) {
      const data = await query({ name: "initialPeers", document: documents.INITIAL_PEERS, answer: answers.initialPeersAnswer, mutation: false }, callOptions);
      return data.initialPeers;
    },
    async sendPayment(payment, callOptions) {
      await unlockSender(payment.from, callOptions);
      return sendPaymentAs("sendPayment", payment, null, callOptions);
    },
    sendSignedPayment: (payment, signature, callOptions) => sendPaymentAs("sendSignedPayment", payment, signature, callOptions),
    async sendDelegation(delegation, callOptions) {
      await unlockSender(delegation.from, callOptions);
      return sendDelegationAs("sendDelegation", delegation, null, callOptions);
    },
    sendSignedDelegation: (delegation, signature, callOptions) => sendDelegationAs("sendSignedDelegation", delegation, signature, callOptions),
    async unlockAccount(publicKey, password, callOptions) {
      const data = await query(
        {
          name: "unlockAccount",
          document: documents.UNLOCK_ACCOUNT,
          variables: { input: { publicKey, password } },
          answer: answers.unlockAccountAnswer,
          mutation: true,
        },
        callOptions,
      );
      return data.unlockAccount.publicKey;
    },
    async addPeers(peers, seed, callOptions) {
      const data = await query(
        {
          name: "addPeers",
          document: documents.ADD_PEERS,
          variables: { peers: peers.map((p) => ({ peerId: p.peerId, host: p.host, libp2pPort: p.libp2pPort })), seed },
          answer: answers.addPeersAnswer,
          mutation: true,
        },
        callOptions,
      );
      return data.addPeers;
    },
    async peerId(callOptions) {
      const data = await query({ name: "peerId", document: documents.PEER_ID, answer: answers.peerIdAnswer, mutation: false }, callOptions);
      return { self: data.daemonStatus.addrsAndPorts.peer?.peerId, peers: data.daemonStatus.peers.map((p) => p.peerId) };
    },
    async metrics(callOptions) {
      const data = await query({ name: "metrics", document: documents.METRICS, answer: answers.metricsAnswer, mutation: false }, callOptions);
      return data.daemonStatus.metrics;
    },
    async accountDetails(publicKey, tokenId, callOptions) {
      const variables = { publicKey, token: tokenId };
      const data = await query({ name: "accountDetails", document: documents.ACCOUNT_DETAILS, variables, answer: answers.accountDetailsAnswer, mutation: false }, callOptions);
      return data.account;
    },
    async sendTestPayments(payments, callOptions) {
      const variables = {
        senders: payments.senders,
        receiver: payments.receiver,
        amount: payments.amount.toString(),
        fee: payments.fee.toString(),
        repeatCount: String(payments.repeatCount),
        repeatDelayMs: String(payments.repeatDelayMs),
      };
      await query({ name: "sendTestPayments", document: documents.SEND_TEST_PAYMENTS, variables, answer: answers.sendTestPaymentsAnswer, mutation: true }, callOptions);
    },
    async setSnarkWorker(publicKey, callOptions) {
      const variables = { input: { publicKey: publicKey ?? null } };
      const data = await query({ name: "setSnarkWorker", document: documents.SET_SNARK_WORKER, variables, answer: answers.setSnarkWorkerAnswer, mutation: true }, callOptions);
      return data.setSnarkWorker.lastSnarkWorker;
    },
    async setSnarkWorkFee(fee, callOptions) {
      const variables = { fee: fee.toString() };
      const data = await query({ name: "setSnarkWorkFee", document: documents.SET_SNARK_WORK_FEE, variables, answer: answers.setSnarkWorkFeeAnswer, mutation: true }, callOptions);
      return data.setSnarkWorkFee.lastFee;
    },
    async sendZkapp(zkappCommand, callOptions) {
      const data = await query({ name: "sendZkapp", document: documents.SEND_ZKAPP, variables: { zkappCommand }, answer: answers.sendZkappAnswer, mutation: true }, callOptions);
      return toZkappCommandResult(data.sendZkapp.zkapp);
    },
    async pooledZkappCommands(publicKey, callOptions) {
      const data = await query(
        { name: "pooledZkappCommands", document: documents.POOLED_ZKAPP_COMMANDS, variables: { publicKey }, answer: answers.pooledZkappCommandsAnswer, mutation: false },
        callOptions,
      );
      return data.pooledZkappCommands.map(toZkappCommandResult);
    },
    async zkappTransactionStatus(id, callOptions) {
      const data = await query(
        { name: "zkappTransactionStatus", document: documents.ZKAPP_TRANSACTION_STATUS, variables: { id }, answer: answers.zkappTransactionStatusAnswer, mutation: false },
        callOptions,
      );
      return data.transactionStatus;
    },
    async startFilteredLog(eventIds, callOptions) {
      const data = await query(
        { name: "startFilteredLog", document: documents.START_FILTERED_LOG, variables: { filter: [...eventIds] }, answer: answers.startFilteredLogAnswer, mutation: true },
        callOptions,
      );
      return data.startFilteredLog;
    },
    async getFilteredLogEntries(offset, callOptions) {
      const data = await query(
        { name: "getFilteredLogEntries", document: documents.GET_FILTERED_LOG_ENTRIES, variables: { offset }, answer: answers.getFilteredLogEntriesAnswer, mutation: false },
        callOptions,
      );
      return data.getFilteredLogEntries;
    },
    close: () => transport.close(),
  };
}
