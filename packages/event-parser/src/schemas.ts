import { parseMina } from "@mina-local/engine";
import { z } from "zod";
import { berkeleySignedCommandHash, legacySignedCommandHash, type SignedCommandFields } from "./transaction-hash.js";

/*
 * The metadata of each event as a real daemon logs it, decoded as Mina's executive decodes it
 * (src/lib/integration_test_lib/event_type.ml at develop 2023-09, and its newest version under
 * src/lib/testing/), into the flat data the executive uses. Only the fields Mina reads are
 * checked; every other key (and the logger-wide host, peer_id, pid, port) is ignored.
 * Integers may be JSON numbers or decimal strings (Mina's Json_parsing.int takes both).
 * Currency in Mina's JSON (src/lib/currency/currency.ml, develop 2023-09 and 1.3.1.2): a Fee is
 * MINA with up to 9 decimals ("0.01", Codable.Make_of_string's to_mina_string); an Amount derives
 * its yojson from the uint64, so it is nanomina ("1000000000"). Event data carries nanomina
 * decimal strings for both.
 */

const Int = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d{1,18}$/, "expected a decimal integer")
    .transform(Number),
]);
const Count = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,18}$/, "expected a decimal integer")
    .transform(Number),
]);
const StateHash = z.string().min(1, "expected a state hash");
const PublicKey = z.string().regex(/^B62[1-9A-HJ-NP-Za-km-z]{40,60}$/, "expected a B62... public key");
/** Currency.Fee's JSON: MINA as a decimal string ("0.01"); to nanomina. */
const Fee = z.union([z.string(), z.number().nonnegative()]).transform((value, ctx) => {
  const nanomina = parseMina(String(value));
  if (nanomina === undefined) {
    ctx.addIssue({ code: "custom", message: `expected an amount in MINA ("0.01"), got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return nanomina.toString();
});
/** Currency.Amount's JSON: nanomina as a decimal string ("1000000000"). */
const Amount = z.union([z.string().regex(/^\d{1,20}$/, "expected an amount in nanomina (a decimal integer)"), z.number().int().nonnegative().transform(String)]);

export const PeerSchema = z.object({ host: z.string(), peer_id: z.string().optional(), libp2p_port: Count.optional() });
export type Peer = z.output<typeof PeerSchema>;

/** Envelope.Sender.t: "Local" or {"Remote": peer} (2019 daemons: {"Remote": "<ip>"}). */
const Sender = z.union([z.literal("Local"), z.object({ Remote: z.union([PeerSchema, z.string().transform((host) => ({ host }))]) }).transform((s) => s.Remote)]);
export type Sender = z.output<typeof Sender>;

const Empty = z.unknown().transform(() => ({}));

// --- Transition_frontier_diff_application ---------------------------------------------------

const RootTransitioned = z.object({ new_root: StateHash, garbage: z.array(StateHash), just_emitted_a_proof: z.boolean().optional() });

/** `diffs`: one-key objects, each kind at most once (as Mina's parser: a repeat is an error). */
const TransitionFrontierDiffApplication = z.object({ diffs: z.array(z.record(z.string(), z.unknown())) }).transform((m, ctx) => {
  const data: { new_node?: string; best_tip_changed?: string; root_transitioned?: z.output<typeof RootTransitioned> } = {};
  for (const [index, diff] of m.diffs.entries()) {
    const keys = Object.keys(diff);
    const name = keys[0];
    const fail = (message: string) => ctx.addIssue({ code: "custom", message, path: ["diffs", index] });
    if (keys.length !== 1 || name === undefined) {
      fail("unexpected transition frontier diff format: expected an object with one key");
      continue;
    }
    const value = diff[name];
    const field = name === "New_node" ? "new_node" : name === "Best_tip_changed" ? "best_tip_changed" : name === "Root_transitioned" ? "root_transitioned" : undefined;
    if (field === undefined) {
      fail(`unexpected transition frontier diff name ${JSON.stringify(name)}`);
      continue;
    }
    if (data[field] !== undefined) {
      fail(`same transition frontier diff type ${name} encountered twice in one application`);
      continue;
    }
    if (field === "root_transitioned") {
      const root = RootTransitioned.safeParse(value);
      if (!root.success) {
        for (const issue of root.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: ["diffs", index, name, ...issue.path.map(String)] });
        continue;
      }
      data.root_transitioned = root.data;
    } else if (typeof value === "string" && value !== "") {
      data[field] = value;
    } else {
      ctx.addIssue({ code: "custom", message: "expected a state hash", path: ["diffs", index, name] });
    }
  }
  return data;
});

// --- Block_produced --------------------------------------------------------------------------

const Slot = z.object({ slot_number: Int });
const ConsensusState = z
  .object({
    blockchain_length: Int,
    epoch_count: Int,
    curr_global_slot_since_hard_fork: Slot.optional(),
    curr_global_slot: Slot.optional(),
    block_creator: z.string().optional(),
    coinbase_receiver: z.string().optional(),
  })
  .refine((c) => c.curr_global_slot_since_hard_fork !== undefined || c.curr_global_slot !== undefined, {
    message: "expected curr_global_slot_since_hard_fork.slot_number or curr_global_slot.slot_number",
  });

const BlockProduced = z
  .object({
    breadcrumb: z.object({
      validated_transition: z.object({
        // 2020 releases: the state hash itself; since: { state_hash, state_body_hash }
        hash: z.union([StateHash, z.object({ state_hash: StateHash })]),
        data: z.object({
          protocol_state: z.object({
            previous_state_hash: StateHash.optional(),
            body: z.object({ consensus_state: ConsensusState }),
          }),
        }),
      }),
      just_emitted_a_proof: z.boolean(),
    }),
  })
  .transform(({ breadcrumb }) => {
    const { hash, data } = breadcrumb.validated_transition;
    const consensus = data.protocol_state.body.consensus_state;
    const slot = consensus.curr_global_slot_since_hard_fork ?? consensus.curr_global_slot;
    return {
      block_height: consensus.blockchain_length,
      epoch: consensus.epoch_count,
      global_slot: slot?.slot_number ?? 0,
      snarked_ledger_generated: breadcrumb.just_emitted_a_proof,
      state_hash: typeof hash === "string" ? hash : hash.state_hash,
      ...(data.protocol_state.previous_state_hash !== undefined && { previous_state_hash: data.protocol_state.previous_state_hash }),
      ...(consensus.block_creator !== undefined && { creator: consensus.block_creator }),
      ...(consensus.coinbase_receiver !== undefined && { coinbase_receiver: consensus.coinbase_receiver }),
    };
  });

// --- user commands (Breadcrumb_added, Transactions_gossip) -----------------------------------

const ValidUntil = z.union([
  Count,
  z
    .string()
    .regex(/^\d{1,10}$/)
    .transform(Number),
  z.tuple([z.string(), z.union([z.string(), z.number()])]).transform(([, v]) => Number(v)),
]);

const SignedCommandCommon = z.object({
  fee: Fee,
  fee_payer_pk: PublicKey,
  nonce: Count,
  valid_until: ValidUntil.optional(),
  memo: z.string(),
  /** mainnet 1.x only */
  fee_token: z.unknown().optional(),
});

const SignedCommandBody = z.union([
  z.tuple([z.literal("Payment"), z.object({ receiver_pk: PublicKey, amount: Amount, source_pk: PublicKey.optional() })]),
  z.tuple([z.literal("Stake_delegation"), z.tuple([z.literal("Set_delegate"), z.object({ new_delegate: PublicKey, delegator: PublicKey.optional() })])]),
]);

const SignedCommand = z.object({
  payload: z.object({ common: SignedCommandCommon, body: SignedCommandBody }),
  signer: PublicKey,
  signature: z.string(),
});

const ZkappCommand = z.object({
  fee_payer: z.object({ body: z.object({ public_key: PublicKey, fee: Fee, nonce: Count }) }),
  memo: z.string().optional(),
});

/** With_status: ["Applied"] (1.x: ["Applied", aux, balances]) or ["Failed", failures, ...]. */
const Status = z.union([z.tuple([z.literal("Applied")]).rest(z.unknown()), z.tuple([z.literal("Failed")]).rest(z.unknown())]);

export interface UserCommand {
  /** Mina's transaction hash; absent for a zkApp command logged whole (hashing it needs Mina's zkApp serialisation, not ported) */
  hash?: string;
  kind?: "payment" | "delegation" | "zkapp";
  fee_payer?: string;
  /** the payment's receiver or the new delegate */
  receiver?: string;
  /** nanomina decimal string ("0" for a delegation) */
  amount?: string;
  /** nanomina decimal string */
  fee?: string;
  nonce?: number;
  /** Mina's Base58Check memo as logged */
  memo?: string;
  status: "applied" | "failed";
  failure?: string;
}

function failureText(rest: unknown[]): string {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
  };
  rest.forEach(walk);
  return strings.join(", ");
}

type CommandData = Omit<UserCommand, "status" | "failure">;

function signedCommandData(command: z.output<typeof SignedCommand>): CommandData {
  const { common, body } = command.payload;
  const fields: SignedCommandFields = {
    fee: BigInt(common.fee),
    feePayer: common.fee_payer_pk,
    nonce: BigInt(common.nonce),
    validUntil: BigInt(common.valid_until ?? 4294967295),
    memo: common.memo,
    body: body[0] === "Payment" ? { kind: "payment", receiver: body[1].receiver_pk, amount: BigInt(body[1].amount) } : { kind: "delegation", newDelegate: body[1][1].new_delegate },
    signer: command.signer,
  };
  // mainnet 1.x commands carry fee_token (and source_pk / delegator): the legacy hash
  const legacy = common.fee_token !== undefined || (body[0] === "Payment" ? body[1].source_pk !== undefined : body[1][1].delegator !== undefined);
  const hash = legacy ? legacySignedCommandHash(fields, command.signature) : berkeleySignedCommandHash(fields);
  return {
    ...(hash !== undefined && { hash }),
    kind: fields.body.kind,
    fee_payer: common.fee_payer_pk,
    receiver: body[0] === "Payment" ? body[1].receiver_pk : body[1][1].new_delegate,
    amount: body[0] === "Payment" ? body[1].amount : "0",
    fee: common.fee,
    nonce: common.nonce,
    memo: common.memo,
  };
}

/** A user command as logged: its hash (newest Mina), ["Signed_command", c] / ["Zkapp_command", c], or a bare signed command (2020). */
const CommandJson = z.union([
  z
    .string()
    .min(1)
    .transform((hash): CommandData => ({ hash })),
  z.tuple([z.literal("Signed_command"), SignedCommand]).transform(([, c]) => signedCommandData(c)),
  z.tuple([z.literal("Zkapp_command"), ZkappCommand]).transform(([, c]): CommandData => ({
    kind: "zkapp",
    fee_payer: c.fee_payer.body.public_key,
    fee: c.fee_payer.body.fee,
    nonce: c.fee_payer.body.nonce,
    ...(c.memo !== undefined && { memo: c.memo }),
  })),
  SignedCommand.transform(signedCommandData),
]);

/** A key or memo that does not decode makes the hash throw: report it as that field's problem. */
const SafeCommandJson = z.unknown().transform((value, ctx): CommandData => {
  try {
    const parsed = CommandJson.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path.map(String) });
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
  }
  return z.NEVER;
});

const UserCommandWithStatus = z.object({ data: SafeCommandJson, status: Status }).transform(({ data, status }): UserCommand => ({
  ...data,
  status: status[0] === "Applied" ? "applied" : "failed",
  ...(status[0] === "Failed" && { failure: failureText(status.slice(1)) }),
}));

const BreadcrumbAdded = z.object({ state_hash: StateHash, user_commands: z.array(UserCommandWithStatus) });

// --- gossip --------------------------------------------------------------------------------

const withSender = <T extends object>(data: T, sender: Sender | undefined) => (sender === undefined ? data : { ...data, sender });

const BlockGossip = z.object({ state_hash: StateHash, sender: Sender.optional() }).transform((m) => withSender({ state_hash: m.state_hash }, m.sender));

/** Transaction_pool diffs: the commands (develop 2023-09: `txns`) or their fee payers (newer: `fee_payer_summaries`). */
const TransactionsGossip = z
  .object({ txns: z.array(SafeCommandJson).optional(), fee_payer_summaries: z.array(z.unknown()).optional(), sender: Sender.optional() })
  .refine((m) => m.txns !== undefined || m.fee_payer_summaries !== undefined, { message: "expected txns or fee_payer_summaries" })
  .transform((m) =>
    withSender(
      {
        hashes: (m.txns ?? []).flatMap((c) => (c.hash === undefined ? [] : [c.hash])),
        ...(m.txns !== undefined && { commands: m.txns.length }),
        ...(m.fee_payer_summaries !== undefined && { fee_payer_summaries: m.fee_payer_summaries }),
      },
      m.sender,
    ),
  );

/**
 * A work id names a statement as the compact snark-pool diff carries it: "<source>-><target>",
 * the statement's source and target ledger hashes (Berkeley: first_pass_ledger; 1.x: ledger),
 * as GraphQL's pendingSnarkWork names a bundle by its ledger hashes. (Mina's own numeric work id
 * is an OCaml structural hash of the statement, which cannot be recomputed outside OCaml.)
 */
const LedgerSide = z.object({ first_pass_ledger: z.string().optional(), ledger: z.string().optional() }).transform((s, ctx) => {
  const hash = s.first_pass_ledger ?? s.ledger;
  if (hash === undefined) {
    ctx.addIssue({ code: "custom", message: "expected first_pass_ledger or ledger" });
    return z.NEVER;
  }
  return hash;
});
const Statement = z.object({ source: LedgerSide, target: LedgerSide }).transform((s) => `${s.source}->${s.target}`);
/** One_or_two: ["One", s] or ["Two", s1, s2] / ["Two", [s1, s2]]. */
const Work = z.union([
  z.tuple([z.literal("One"), Statement]).transform(([, s]) => [s]),
  z.tuple([z.literal("Two"), Statement, Statement]).transform(([, a, b]) => [a, b]),
  z.tuple([z.literal("Two"), z.tuple([Statement, Statement])]).transform(([, [a, b]]) => [a, b]),
]);
const Compact = z.object({ work: Work, fee: Fee, prover: PublicKey });
const SnarkWorkGossip = z.object({ work: Compact, sender: Sender.optional() }).transform((m) => withSender({ work_ids: m.work.work, fee: m.work.fee, prover: m.work.prover }, m.sender));

const SnarkWorkFailed = z.object({ error: z.unknown() }).refine((m) => m.error !== undefined, { message: "expected an error", path: ["error"] });

/** Each executive event that a structured event row can feed: its metadata decoder. */
export const EVENT_DECODERS = {
  Node_initialization: Empty,
  Transition_frontier_diff_application: TransitionFrontierDiffApplication,
  Block_produced: BlockProduced,
  Breadcrumb_added: BreadcrumbAdded,
  Block_gossip: BlockGossip,
  Snark_work_gossip: SnarkWorkGossip,
  Transactions_gossip: TransactionsGossip,
  Snark_work_failed: SnarkWorkFailed,
  Transition_frontier_loaded_from_persistence: Empty,
  Persisted_frontier_loaded: Empty,
  Persisted_frontier_fresh_boot: Empty,
  Persisted_frontier_dropped: Empty,
  Bootstrap_required: Empty,
} as const;
export type DecodedEventType = keyof typeof EVENT_DECODERS;

const dropNulls = <T extends Record<string, unknown>>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: NonNullable<T[K]> };

const NodeStarted = z.object({ pid: Count.nullable().optional(), fresh_state: z.boolean().nullable().optional() }).transform(dropNulls);
const NodeExit = z.object({ exit_code: Int.nullable().optional(), signal: z.string().nullable().optional() }).transform(dropNulls);

/** The forwarder's own lines (`metadata.puppeteer_event_type`, module mina-local.forwarder). */
export const FORWARDER_EVENT_SCHEMAS = {
  node_started: { type: "Node_started", schema: NodeStarted },
  node_stopped: { type: "Node_stopped", schema: NodeExit },
  node_crashed: { type: "Node_crashed", schema: NodeExit },
  node_offline: { type: "Node_offline", schema: Empty },
} as const;

export type BlockProduced = z.output<typeof BlockProduced>;
export type BreadcrumbAdded = z.output<typeof BreadcrumbAdded>;
export type TransitionFrontierDiffApplication = z.output<typeof TransitionFrontierDiffApplication>;
export type GossipDirection = "Received" | "Sent";
export type BlockGossip = z.output<typeof BlockGossip> & { direction: GossipDirection };
export type TransactionsGossip = z.output<typeof TransactionsGossip> & { direction: GossipDirection };
export type SnarkWorkGossip = z.output<typeof SnarkWorkGossip> & { direction: GossipDirection };
export type SnarkWorkFailed = { error: unknown };
export type NodeStarted = z.output<typeof NodeStarted>;
export type NodeExit = z.output<typeof NodeExit>;
