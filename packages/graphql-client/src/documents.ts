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
    protocolState {
      previousStateHash
      consensusState { blockHeight slotSinceGenesis epoch }
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
