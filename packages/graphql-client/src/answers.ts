/**
 * zod schemas of the `data` each document gets back. They follow the real schema's
 * nullability and turn Mina's string scalars into bigints (UInt64) and numbers (UInt32).
 * Mina sends UInt64/UInt32 as decimal strings; JSON numbers are accepted too.
 */
import { z } from "zod";
import { SYNC_STATUSES, TRANSACTION_STATUSES } from "./types.js";

const DECIMAL = /^\d+$/;
const UINT32_MAX = 4_294_967_295;

/** UInt64 (amounts, fees, balances) -> bigint nanomina */
export const uint64 = z.union([z.string().regex(DECIMAL, "expected a decimal string of nanomina"), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform((v) => BigInt(v));

/** UInt32 (lengths, slots, nonces as strings) -> number */
export const uint32 = z
  .union([z.string().regex(DECIMAL, "expected a decimal string"), z.number().int().nonnegative()])
  .transform((v) => Number(v))
  .refine((n) => n <= UINT32_MAX, "expected a uint32");

const int = z.number().int();

/** null in GraphQL -> undefined in our types */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const peer = z.object({ peerId: z.string(), host: z.string(), libp2pPort: int });

const consensusTime = z.object({ epoch: uint32, slot: uint32, globalSlot: uint32 });

export const daemonStatusAnswer = z.object({
  daemonStatus: z.object({
    syncStatus: z.enum(SYNC_STATUSES),
    blockchainLength: optional(int),
    highestBlockLengthReceived: int,
    uptimeSecs: int,
    peers: z.array(peer),
    commitId: z.string(),
    chainId: z.string(),
    stateHash: optional(z.string()),
    numAccounts: optional(int),
    blockProductionKeys: z.array(z.string()),
    consensusTimeNow: consensusTime,
    consensusTimeBestTip: optional(consensusTime),
    globalSlotSinceGenesisBestTip: optional(int),
  }),
});

export const syncStatusAnswer = z.object({ syncStatus: z.enum(SYNC_STATUSES) });

export const versionAnswer = z.object({ version: optional(z.string()) });

export const accountAnswer = z.object({
  account: optional(
    z.object({
      publicKey: z.string(),
      balance: z.object({ total: uint64, liquid: optional(uint64), locked: optional(uint64) }),
      nonce: optional(uint32),
      inferredNonce: optional(uint32),
      delegate: optional(z.string()),
    }),
  ),
});

const userCommand = z.object({
  id: z.string(),
  hash: z.string(),
  kind: z.string(),
  from: z.string(),
  to: z.string(),
  amount: uint64,
  fee: uint64,
  nonce: int,
  memo: z.string(),
  failureReason: optional(z.string()),
});

export const bestChainAnswer = z.object({
  bestChain: optional(
    z.array(
      z.object({
        stateHash: z.string(),
        creator: z.string(),
        creatorAccount: z.object({ publicKey: z.string() }),
        commandTransactionCount: int,
        protocolState: z.object({
          previousStateHash: z.string(),
          consensusState: z.object({ blockHeight: uint32, slotSinceGenesis: uint32, slot: uint32, epoch: uint32 }),
        }),
        transactions: z.object({ userCommands: z.array(userCommand) }),
      }),
    ),
  ),
});

export const bestChainRewardsAnswer = z.object({
  bestChain: optional(
    z.array(
      z.object({
        stateHash: z.string(),
        creator: z.string(),
        protocolState: z.object({ consensusState: z.object({ blockHeight: uint32, slotSinceGenesis: uint32 }) }),
        transactions: z.object({
          coinbase: uint64,
          coinbaseReceiverAccount: optional(z.object({ publicKey: z.string() })),
          feeTransfer: z.array(z.object({ recipient: z.string(), fee: uint64, type: z.string() })),
          userCommands: z.array(z.object({ hash: z.string(), from: z.string(), nonce: int, fee: uint64, failureReason: optional(z.string()) })),
        }),
        snarkJobs: z.array(z.object({ prover: z.string(), fee: uint64, workIds: z.array(int) })),
      }),
    ),
  ),
});

export const getPeersAnswer = z.object({ getPeers: z.array(peer) });

export const pooledUserCommandsAnswer = z.object({ pooledUserCommands: z.array(userCommand) });

export const transactionStatusAnswer = z.object({ transactionStatus: z.enum(TRANSACTION_STATUSES) });

export const genesisConstantsAnswer = z.object({
  genesisConstants: z.object({ accountCreationFee: uint64, coinbase: uint64 }),
});

export const initialPeersAnswer = z.object({ initialPeers: z.array(z.string()) });

export const sendPaymentAnswer = z.object({ sendPayment: z.object({ payment: userCommand }) });

export const sendDelegationAnswer = z.object({ sendDelegation: z.object({ delegation: userCommand }) });

export const unlockAccountAnswer = z.object({ unlockAccount: z.object({ publicKey: z.string() }) });

export const addPeersAnswer = z.object({ addPeers: z.array(peer) });

export const peerIdAnswer = z.object({
  daemonStatus: z.object({ addrsAndPorts: z.object({ peer: optional(z.object({ peerId: z.string() })) }), peers: z.array(z.object({ peerId: z.string() })) }),
});

export const metricsAnswer = z.object({
  daemonStatus: z.object({
    metrics: z.object({
      blockProductionDelay: z.array(int),
      transactionPoolDiffReceived: int,
      transactionPoolDiffBroadcasted: int,
      transactionsAddedToPool: int,
      transactionPoolSize: int,
    }),
  }),
});

const AUTH_REQUIRED = ["None", "Either", "Proof", "Signature", "Impossible"] as const;
const auth = z.enum(AUTH_REQUIRED);

export const accountDetailsAnswer = z.object({
  account: optional(
    z.object({
      publicKey: z.string(),
      tokenId: z.string(),
      tokenSymbol: optional(z.string()),
      nonce: optional(uint32),
      delegate: optional(z.string()),
      balance: z.object({ total: uint64, liquid: optional(uint64), locked: optional(uint64) }),
      timing: z.object({
        initialMinimumBalance: optional(uint64),
        cliffTime: optional(uint32),
        cliffAmount: optional(uint64),
        vestingPeriod: optional(uint32),
        vestingIncrement: optional(uint64),
      }),
      permissions: optional(
        z.object({
          editState: auth,
          access: auth,
          send: auth,
          receive: auth,
          setDelegate: auth,
          setPermissions: auth,
          setVerificationKey: z.object({ auth, txnVersion: uint32 }),
          setZkappUri: auth,
          editActionState: auth,
          setTokenSymbol: auth,
          incrementNonce: auth,
          setVotingFor: auth,
          setTiming: auth,
        }),
      ),
      zkappState: optional(z.array(z.string())),
      zkappUri: optional(z.string()),
      verificationKey: optional(z.object({ verificationKey: z.string(), hash: z.string() })),
      provedState: optional(z.boolean()),
      actionState: optional(z.array(z.string())),
      votingFor: optional(z.string()),
    }),
  ),
});

export const sendTestPaymentsAnswer = z.object({ sendTestPayments: int });

export const setSnarkWorkerAnswer = z.object({ setSnarkWorker: z.object({ lastSnarkWorker: optional(z.string()) }) });

export const setSnarkWorkFeeAnswer = z.object({ setSnarkWorkFee: z.object({ lastFee: uint64 }) });

const zkappCommandResult = z.object({
  id: z.string(),
  hash: z.string(),
  failureReason: optional(z.array(z.object({ index: optional(z.union([z.string(), int])), failures: z.array(z.string()) }).nullable())),
  zkappCommand: z.object({
    memo: z.string(),
    feePayer: z.object({ body: z.object({ publicKey: z.string(), nonce: uint32, fee: uint64 }) }),
    accountUpdates: z.array(z.object({ body: z.object({ publicKey: z.string(), tokenId: z.string(), incrementNonce: z.boolean() }) })),
  }),
});

export const sendZkappAnswer = z.object({ sendZkapp: z.object({ zkapp: zkappCommandResult }) });

export const pooledZkappCommandsAnswer = z.object({ pooledZkappCommands: z.array(zkappCommandResult) });

export const zkappTransactionStatusAnswer = z.object({ transactionStatus: z.enum(TRANSACTION_STATUSES) });

export const startFilteredLogAnswer = z.object({ startFilteredLog: z.boolean() });

export const getFilteredLogEntriesAnswer = z.object({
  getFilteredLogEntries: z.object({ logMessages: z.array(z.string()), isCapturing: z.boolean() }),
});

/** "account.balance.total: expected a decimal string of nanomina (got -5)": names the field. */
export function describeIssues(error: z.ZodError, data: unknown): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).join(".") || "(answer)";
      return `${path}: ${issue.message} (got ${preview(valueAt(data, issue.path))})`;
    })
    .join("; ");
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function preview(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
