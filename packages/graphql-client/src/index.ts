export { createMinaClient, DEFAULT_BACKOFF_MS, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from "./client.js";
export type { MinaClient, MinaClientOptions } from "./client.js";
export type { CallOptions } from "./transport.js";
export { signPayment, signStakeDelegation, VALID_UNTIL_FOREVER } from "./signing.js";
export type { DelegationToSign, PaymentToSign, SignedDelegation, SignedPayment } from "./signing.js";
export { SYNC_STATUSES, TRANSACTION_STATUSES } from "./types.js";
export type {
  Account,
  AccountDetails,
  AuthRequired,
  FilteredLogEntries,
  Metrics,
  PeerIds,
  Permissions,
  TestPayments,
  ZkappCommandResult,
  Balance,
  Block,
  BlockRewards,
  CompletedWork,
  ConsensusTime,
  DaemonStatus,
  DelegationInput,
  FeeTransfer,
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
} from "./types.js";
