/** Public result and input types. Amounts and fees are bigints of nanomina; counts and slots are numbers. */

import type { AuthRequired } from "@mina-local/engine";

export const SYNC_STATUSES = ["CONNECTING", "LISTENING", "OFFLINE", "BOOTSTRAP", "SYNCED", "CATCHUP"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const TRANSACTION_STATUSES = ["INCLUDED", "PENDING", "UNKNOWN"] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export interface Peer {
  peerId: string;
  host: string;
  libp2pPort: number;
}

/** Mina's ConsensusTime: `slot` is the slot within `epoch`, `globalSlot` counts from genesis. */
export interface ConsensusTime {
  epoch: number;
  slot: number;
  globalSlot: number;
}

export interface DaemonStatus {
  syncStatus: SyncStatus;
  /** undefined while the node has no frontier yet (bootstrapping) */
  blockchainLength: number | undefined;
  highestBlockLengthReceived: number;
  uptimeSecs: number;
  peers: Peer[];
  commitId: string;
  chainId: string;
  /** best tip's state hash, undefined while bootstrapping */
  stateHash: string | undefined;
  numAccounts: number | undefined;
  blockProductionKeys: string[];
  consensusTimeNow: ConsensusTime;
  consensusTimeBestTip: ConsensusTime | undefined;
  globalSlotSinceGenesisBestTip: number | undefined;
}

export interface Balance {
  total: bigint;
  /** undefined when the node cannot tell (e.g. bootstrapping) */
  liquid: bigint | undefined;
  locked: bigint | undefined;
}

export interface Account {
  publicKey: string;
  balance: Balance;
  /** the ledger's nonce at the best tip */
  nonce: number | undefined;
  /** the nonce including the node's pooled transactions: the one the next command should use */
  inferredNonce: number | undefined;
  delegate: string | undefined;
}

/** A user command as the node reports it (payment or stake delegation). */
export interface UserCommand {
  /** the node's id of the command: what `transactionStatus` takes */
  id: string;
  hash: string;
  /** Mina's UserCommandKind, e.g. "PAYMENT" or "STAKE_DELEGATION" */
  kind: string;
  from: string;
  to: string;
  amount: bigint;
  fee: bigint;
  nonce: number;
  memo: string;
  failureReason: string | undefined;
}

export interface Block {
  stateHash: string;
  previousStateHash: string;
  /** the block's height (blockchain length) */
  height: number;
  /** the global slot since genesis the block was produced in */
  slot: number;
  epoch: number;
  /** the slot within `epoch` */
  slotInEpoch: number;
  creator: string;
  /** user commands and zkApp commands in the block (Mina's commandTransactionCount) */
  commandTransactionCount: number;
  transactions: { userCommands: UserCommand[] };
}

export interface FeeTransfer {
  recipient: string;
  fee: bigint;
  /** Mina's fee transfer kind, e.g. "Fee_transfer" or "Fee_transfer_via_coinbase" */
  type: string;
}

export interface CompletedWork {
  prover: string;
  /** the fee the block paid to the prover for this bundle */
  fee: bigint;
  workIds: number[];
}

/** A block of the best chain with what it paid out: the coinbase, fee transfers, snark work. */
export interface BlockRewards {
  stateHash: string;
  height: number;
  slot: number;
  creator: string;
  coinbaseReceiver: string | undefined;
  coinbase: bigint;
  feeTransfers: FeeTransfer[];
  userCommands: { hash: string; from: string; nonce: number; fee: bigint; failureReason: string | undefined }[];
  snarkJobs: CompletedWork[];
}

export interface GenesisConstants {
  accountCreationFee: bigint;
  coinbase: bigint;
}

export interface PaymentInput {
  from: string;
  to: string;
  amount: bigint;
  fee: bigint;
  /** only to replace a pooled command; the node picks the next nonce otherwise */
  nonce?: number | bigint;
  memo?: string;
  /** global slot after which the command cannot be applied */
  validUntil?: number | bigint;
}

export interface DelegationInput {
  from: string;
  /** the public key being delegated to */
  to: string;
  fee: bigint;
  nonce?: number | bigint;
  memo?: string;
  validUntil?: number | bigint;
}

/** Mina's SignatureInput as field + scalar (what mina-signer's legacy signatures are). */
export interface Signature {
  field: string;
  scalar: string;
}

/** A payment with every field fixed, exactly as it was signed: send it unchanged. */
export interface SignablePayment {
  from: string;
  to: string;
  amount: bigint;
  fee: bigint;
  nonce: bigint;
  memo: string;
  validUntil: bigint;
}

export interface SignableDelegation {
  from: string;
  to: string;
  fee: bigint;
  nonce: bigint;
  memo: string;
  validUntil: bigint;
}

export interface NewPeer {
  peerId: string;
  host: string;
  libp2pPort: number;
}

/** Mina's get_peer_id: the node's own libp2p peer id and its peers'. */
export interface PeerIds {
  /** undefined when the node does not know its own address yet */
  self: string | undefined;
  peers: string[];
}

/** Mina's daemonStatus.metrics (get_metrics in Mina's executive). */
export interface Metrics {
  /** counts per bucket of the slot-start-to-block delay: <= 60 s, then 30 s wide up to 210 s, then beyond */
  blockProductionDelay: number[];
  transactionPoolDiffReceived: number;
  transactionPoolDiffBroadcasted: number;
  transactionsAddedToPool: number;
  transactionPoolSize: number;
}

// one spelling of Auth_required for the client and the zkApp JSON the engine builds
export type { AuthRequired };

export interface Permissions {
  editState: AuthRequired;
  access: AuthRequired;
  send: AuthRequired;
  receive: AuthRequired;
  setDelegate: AuthRequired;
  setPermissions: AuthRequired;
  /** Mina 3.x: the authorization and the transaction version it was set at (Txn_version) */
  setVerificationKey: { auth: AuthRequired; txnVersion: number };
  setZkappUri: AuthRequired;
  editActionState: AuthRequired;
  setTokenSymbol: AuthRequired;
  incrementNonce: AuthRequired;
  setVotingFor: AuthRequired;
  setTiming: AuthRequired;
}

/** An account as Mina's executive reads it for zkApp tests; zkApp fields are undefined for an account without a zkApp. */
export interface AccountDetails {
  publicKey: string;
  tokenId: string;
  tokenSymbol: string | undefined;
  nonce: number | undefined;
  delegate: string | undefined;
  balance: Balance;
  timing: {
    initialMinimumBalance: bigint | undefined;
    cliffTime: number | undefined;
    cliffAmount: bigint | undefined;
    vestingPeriod: number | undefined;
    vestingIncrement: bigint | undefined;
  };
  permissions: Permissions | undefined;
  zkappState: string[] | undefined;
  zkappUri: string | undefined;
  verificationKey: { verificationKey: string; hash: string } | undefined;
  provedState: boolean | undefined;
  actionState: string[] | undefined;
  votingFor: string | undefined;
}

export interface ZkappCommandResult {
  /** what `zkappTransactionStatus` takes */
  id: string;
  hash: string;
  /** per failing account update (index), Mina's failure names */
  failureReason: ({ index: string | number | undefined; failures: string[] } | null)[] | undefined;
  feePayer: { publicKey: string; nonce: number; fee: bigint };
  memo: string;
  accountUpdates: { publicKey: string; tokenId: string; incrementNonce: boolean }[];
}

export interface TestPayments {
  /** base58 private keys ("EK..."): the node signs with them */
  senders: string[];
  receiver: string;
  amount: bigint;
  fee: bigint;
  repeatCount: number;
  repeatDelayMs: number;
}

export interface FilteredLogEntries {
  /** each a whole JSON log line, in the order logged */
  logMessages: string[];
  isCapturing: boolean;
}
