/**
 * Every GraphQL document this package sends. Each is named after its operation (the fake
 * node and the logs key on it) and is validated against the real Mina schema in
 * documents.test.ts: add new documents here, never inline in the client.
 */

const USER_COMMAND_FIELDS = `
fragment userCommandFields on UserCommand {
  id
  hash
  kind
  from
  to
  amount
  fee
  nonce
  memo
  failureReason
}`;

const CONSENSUS_TIME_FIELDS = `
fragment consensusTimeFields on ConsensusTime {
  epoch
  slot
  globalSlot
}`;

export const DAEMON_STATUS = `
query daemonStatus {
  daemonStatus {
    syncStatus
    blockchainLength
    highestBlockLengthReceived
    uptimeSecs
    peers { peerId host libp2pPort }
    commitId
    chainId
    stateHash
    numAccounts
    blockProductionKeys
    consensusTimeNow { ...consensusTimeFields }
    consensusTimeBestTip { ...consensusTimeFields }
    globalSlotSinceGenesisBestTip
  }
}
${CONSENSUS_TIME_FIELDS}`;

export const SYNC_STATUS = `
query syncStatus {
  syncStatus
}`;

export const VERSION = `
query version {
  version
}`;

export const ACCOUNT = `
query account($publicKey: PublicKey!) {
  account(publicKey: $publicKey) {
    publicKey
    balance { total liquid locked }
    nonce
    inferredNonce
    delegate
  }
}`;

export const BEST_CHAIN = `
query bestChain($maxLength: Int) {
  bestChain(maxLength: $maxLength) {
    stateHash
    creator
    creatorAccount { publicKey }
    commandTransactionCount
    protocolState {
      previousStateHash
      consensusState { blockHeight slotSinceGenesis slot epoch }
    }
    transactions {
      userCommands { ...userCommandFields }
    }
  }
}
${USER_COMMAND_FIELDS}`;

/** What each block of the best chain paid out: the coinbase, fee transfers and snark work (for reward accounting). */
export const BEST_CHAIN_REWARDS = `
query bestChainRewards($maxLength: Int) {
  bestChain(maxLength: $maxLength) {
    stateHash
    creator
    protocolState {
      consensusState { blockHeight slotSinceGenesis }
    }
    transactions {
      coinbase
      coinbaseReceiverAccount { publicKey }
      feeTransfer { recipient fee type }
      userCommands { hash from nonce fee failureReason }
    }
    snarkJobs { prover fee workIds }
  }
}`;

export const GET_PEERS = `
query getPeers {
  getPeers { peerId host libp2pPort }
}`;

export const POOLED_USER_COMMANDS = `
query pooledUserCommands($publicKey: PublicKey) {
  pooledUserCommands(publicKey: $publicKey) { ...userCommandFields }
}
${USER_COMMAND_FIELDS}`;

export const TRANSACTION_STATUS = `
query transactionStatus($payment: ID!) {
  transactionStatus(payment: $payment)
}`;

export const GENESIS_CONSTANTS = `
query genesisConstants {
  genesisConstants { accountCreationFee coinbase }
}`;

export const INITIAL_PEERS = `
query initialPeers {
  initialPeers
}`;

/** With `$signature` null the node signs with its own (unlocked) key. */
export const SEND_PAYMENT = `
mutation sendPayment($input: SendPaymentInput!, $signature: SignatureInput) {
  sendPayment(input: $input, signature: $signature) {
    payment { ...userCommandFields }
  }
}
${USER_COMMAND_FIELDS}`;

export const SEND_DELEGATION = `
mutation sendDelegation($input: SendDelegationInput!, $signature: SignatureInput) {
  sendDelegation(input: $input, signature: $signature) {
    delegation { ...userCommandFields }
  }
}
${USER_COMMAND_FIELDS}`;

export const UNLOCK_ACCOUNT = `
mutation unlockAccount($input: UnlockInput!) {
  unlockAccount(input: $input) { publicKey }
}`;

export const ADD_PEERS = `
mutation addPeers($peers: [NetworkPeer!]!, $seed: Boolean) {
  addPeers(peers: $peers, seed: $seed) { peerId host libp2pPort }
}`;

/*
 * The operations of Mina's own test executive (src/lib/integration_test_lib/graphql_requests.ml,
 * develop 9f068b1c3b), with the fields it reads.
 */

/** Mina's Query_peer_id: the node's own libp2p peer id and its peers'. */
export const PEER_ID = `
query peerId {
  daemonStatus {
    addrsAndPorts { peer { peerId } }
    peers { peerId }
  }
}`;

/** Mina's Query_metrics. */
export const METRICS = `
query metrics {
  daemonStatus {
    metrics {
      blockProductionDelay
      transactionPoolDiffReceived
      transactionPoolDiffBroadcasted
      transactionsAddedToPool
      transactionPoolSize
    }
  }
}`;

/** Mina's Account query: everything a zkApp test checks of an account. */
export const ACCOUNT_DETAILS = `
query accountDetails($publicKey: PublicKey!, $token: TokenId) {
  account(publicKey: $publicKey, token: $token) {
    publicKey
    tokenId
    tokenSymbol
    nonce
    delegate
    balance { total liquid locked }
    timing { initialMinimumBalance cliffTime cliffAmount vestingPeriod vestingIncrement }
    permissions {
      editState access send receive setDelegate setPermissions setVerificationKey { auth txnVersion }
      setZkappUri editActionState setTokenSymbol incrementNonce setVotingFor setTiming
    }
    zkappState
    zkappUri
    verificationKey { verificationKey hash }
    provedState
    actionState
    votingFor
  }
}`;

/** Mina's Send_test_payments: the node signs `repeatCount` payments with the senders' private keys. */
export const SEND_TEST_PAYMENTS = `
mutation sendTestPayments($senders: [PrivateKey!]!, $receiver: PublicKey!, $amount: UInt64!, $fee: UInt64!, $repeatCount: UInt32!, $repeatDelayMs: UInt32!) {
  sendTestPayments(senders: $senders, receiver: $receiver, amount: $amount, fee: $fee, repeat_count: $repeatCount, repeat_delay_ms: $repeatDelayMs)
}`;

export const SET_SNARK_WORKER = `
mutation setSnarkWorker($input: SetSnarkWorkerInput!) {
  setSnarkWorker(input: $input) { lastSnarkWorker }
}`;

export const SET_SNARK_WORK_FEE = `
mutation setSnarkWorkFee($fee: UInt64!) {
  setSnarkWorkFee(input: { fee: $fee }) { lastFee }
}`;

const ZKAPP_COMMAND_RESULT_FIELDS = `
fragment zkappCommandResultFields on ZkappCommandResult {
  id
  hash
  failureReason { index failures }
  zkappCommand {
    memo
    feePayer { body { publicKey nonce fee } }
    accountUpdates { body { publicKey tokenId incrementNonce } }
  }
}`;

/** Mina's Send_test_zkapp: a zkApp command in Mina's JSON (what o1js' `toJSON` and Mina's `Zkapp_command.to_json` print). */
export const SEND_ZKAPP = `
mutation sendZkapp($zkappCommand: ZkappCommandInput!) {
  sendZkapp(input: { zkappCommand: $zkappCommand }) {
    zkapp { ...zkappCommandResultFields }
  }
}
${ZKAPP_COMMAND_RESULT_FIELDS}`;

export const POOLED_ZKAPP_COMMANDS = `
query pooledZkappCommands($publicKey: PublicKey) {
  pooledZkappCommands(publicKey: $publicKey) { ...zkappCommandResultFields }
}
${ZKAPP_COMMAND_RESULT_FIELDS}`;

/** `transactionStatus` of a zkApp command: `$id` is the `id` sendZkapp answered. */
export const ZKAPP_TRANSACTION_STATUS = `
query zkappTransactionStatus($id: ID!) {
  transactionStatus(zkappTransaction: $id)
}`;

/** Mina's StartFilteredLog: the node records every structured event with one of these ids. */
export const START_FILTERED_LOG = `
mutation startFilteredLog($filter: [String!]!) {
  startFilteredLog(filter: $filter)
}`;

/** Mina's GetFilteredLogEntries: the recorded lines after the first `offset`. */
export const GET_FILTERED_LOG_ENTRIES = `
query getFilteredLogEntries($offset: Int!) {
  getFilteredLogEntries(offset: $offset) { logMessages isCapturing }
}`;
