import { z } from "zod";
import type { PermissionsState } from "./account.js";

/*
 * A zkApp command as Mina's GraphQL takes it (ZkappCommandInput) and o1js prints it
 * (`Transaction.toJSON()`): the JSON the simulator keeps, gossips and answers with.
 */

const decimal = z.string().regex(/^\d+$/);
const range = z.object({ lower: decimal, upper: decimal }).nullish();
const auth = z.enum(["None", "Either", "Proof", "Signature", "Impossible"]);
const permissions = z.object({
  editState: auth,
  access: auth,
  send: auth,
  receive: auth,
  setDelegate: auth,
  setPermissions: auth,
  setVerificationKey: z.object({ auth, txnVersion: decimal }),
  setZkappUri: auth,
  editActionState: auth,
  setTokenSymbol: auth,
  incrementNonce: auth,
  setVotingFor: auth,
  setTiming: auth,
}) satisfies z.ZodType<PermissionsState>;
const epochData = z.object({
  ledger: z.object({ hash: z.string().nullish(), totalCurrency: range }),
  seed: z.string().nullish(),
  startCheckpoint: z.string().nullish(),
  lockCheckpoint: z.string().nullish(),
  epochLength: range,
});

export const AccountUpdateJsonSchema = z.object({
  body: z.object({
    publicKey: z.string(),
    tokenId: z.string(),
    update: z.object({
      appState: z.array(decimal.nullable()).length(8),
      delegate: z.string().nullish(),
      verificationKey: z.object({ data: z.string(), hash: decimal }).nullish(),
      permissions: permissions.nullish(),
      zkappUri: z.string().nullish(),
      tokenSymbol: z.string().nullish(),
      timing: z.object({ initialMinimumBalance: decimal, cliffTime: decimal, cliffAmount: decimal, vestingPeriod: decimal, vestingIncrement: decimal }).nullish(),
      votingFor: z.string().nullish(),
    }),
    balanceChange: z.object({ magnitude: decimal, sgn: z.enum(["Positive", "Negative"]) }),
    incrementNonce: z.boolean(),
    events: z.array(z.array(decimal)),
    actions: z.array(z.array(decimal)),
    callData: decimal,
    callDepth: z.number().int().nonnegative(),
    preconditions: z.object({
      network: z.object({
        snarkedLedgerHash: z.string().nullish(),
        blockchainLength: range,
        minWindowDensity: range,
        totalCurrency: range,
        globalSlotSinceGenesis: range,
        stakingEpochData: epochData,
        nextEpochData: epochData,
      }),
      account: z.object({
        balance: range,
        nonce: range,
        receiptChainHash: decimal.nullish(),
        delegate: z.string().nullish(),
        state: z.array(decimal.nullable()).length(8),
        actionState: decimal.nullish(),
        provedState: z.boolean().nullish(),
        isNew: z.boolean().nullish(),
      }),
      validWhile: range,
    }),
    useFullCommitment: z.boolean(),
    implicitAccountCreationFee: z.boolean(),
    mayUseToken: z.object({ parentsOwnToken: z.boolean(), inheritFromParent: z.boolean() }),
    authorizationKind: z.object({ isSigned: z.boolean(), isProved: z.boolean(), verificationKeyHash: decimal }),
  }),
  authorization: z.object({ proof: z.string().nullish(), signature: z.string().nullish() }),
});
export type AccountUpdateJson = z.infer<typeof AccountUpdateJsonSchema>;

export const ZkappCommandJsonSchema = z.object({
  feePayer: z.object({
    body: z.object({ publicKey: z.string(), fee: decimal, validUntil: decimal.nullish(), nonce: decimal }),
    authorization: z.string(),
  }),
  accountUpdates: z.array(AccountUpdateJsonSchema),
  memo: z.string(),
});
export type ZkappCommandJsonShape = z.infer<typeof ZkappCommandJsonSchema>;

/**
 * What makes the JSON no zkApp command at all (Zkapp_command.Call_forest.of_account_updates
 * builds the forest from the call depths: the first update is at depth 0, a child one below its
 * parent; Account_update.May_use_token is one of No, Parents_own_token, Inherit_from_parent).
 */
export function malformedPart(command: ZkappCommandJsonShape): string | undefined {
  let previousDepth = -1;
  for (const [i, update] of command.accountUpdates.entries()) {
    const { callDepth, mayUseToken } = update.body;
    if (callDepth > previousDepth + 1) {
      return `account update ${i}: call depth ${callDepth} follows ${previousDepth < 0 ? "nothing" : `depth ${previousDepth}`} (the first update is at depth 0, a child one below its parent)`;
    }
    if (mayUseToken.parentsOwnToken && mayUseToken.inheritFromParent)
      return `account update ${i}: mayUseToken has both parentsOwnToken and inheritFromParent (Mina's May_use_token is one of them or neither)`;
    previousDepth = callDepth;
  }
  return undefined;
}

/** What the simulator cannot apply faithfully: refused at sendZkapp with the reason, never applied wrongly. */
export function unsupportedPart(command: ZkappCommandJsonShape, proofLevel: "full" | "check" | "none"): string | undefined {
  for (const [i, update] of command.accountUpdates.entries()) {
    const where = `account update ${i}`;
    const { body } = update;
    if (body.authorizationKind.isProved && proofLevel === "full") {
      return `${where}: a proof authorization cannot be verified by mina-local daemon-sim at proof level full; run with proof level check or none (Mina's verifier then accepts proofs unchecked)`;
    }
    const network = body.preconditions.network;
    const unsupported = [
      network.snarkedLedgerHash && "snarkedLedgerHash",
      network.minWindowDensity && "minWindowDensity",
      network.totalCurrency && "totalCurrency",
      ...(["stakingEpochData", "nextEpochData"] as const).flatMap((k) => {
        const e = network[k];
        return e.ledger.hash || e.ledger.totalCurrency || e.seed || e.startCheckpoint || e.lockCheckpoint || e.epochLength ? [k] : [];
      }),
    ].filter((x): x is string => typeof x === "string");
    if (unsupported.length > 0) return `${where}: the network preconditions ${unsupported.join(", ")} are not simulated by mina-local daemon-sim (blockchainLength and globalSlotSinceGenesis are)`;
  }
  return undefined;
}
