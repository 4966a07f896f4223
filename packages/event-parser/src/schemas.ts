import { z } from "zod";

/*
 * Zod schemas for the metadata of each structured event (the contract in the brief that
 * daemon-sim emits), each transforming Mina's nested shape into the flat event data the
 * executive uses. Integers may come as JSON numbers or decimal strings (Mina prints
 * lengths and slots as strings); amounts and fees stay nanomina decimal strings so the
 * event is the same object in memory and as JSON on the bus (use BigInt(x) to compute).
 */

const Count = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/, "expected a decimal integer").transform(Number)]);
const SignedInt = z.number().int();
const Nanomina = z.union([z.string().regex(/^\d{1,20}$/, "expected a nanomina decimal string"), z.number().int().nonnegative().transform(String)]);
const StateHash = z.string().min(1, "expected a state hash");
const PublicKey = z.string().min(1, "expected a public key");
const TxHash = z.string().min(1, "expected a transaction hash");

export const PeerSchema = z.object({ peer_id: z.string(), host: z.string(), libp2p_port: Count });
export type Peer = z.output<typeof PeerSchema>;

const Empty = z.object({}).transform(() => ({}));

const Diff = z
  .object({
    New_node: StateHash.optional(),
    Best_tip_changed: StateHash.optional(),
    Root_transitioned: z.object({ new_root: StateHash, garbage: z.array(StateHash) }).optional(),
  })
  .refine((d) => d.New_node !== undefined || d.Best_tip_changed !== undefined || d.Root_transitioned !== undefined, {
    message: "expected one of New_node, Best_tip_changed, Root_transitioned",
  });

const TransitionFrontierDiffApplication = z.object({ diffs: z.array(Diff) }).transform(({ diffs }) => {
  const data: { new_node?: string; best_tip_changed?: string; root_transitioned?: { new_root: string; garbage: string[] } } = {};
  for (const d of diffs) {
    if (d.New_node !== undefined) data.new_node = d.New_node;
    if (d.Best_tip_changed !== undefined) data.best_tip_changed = d.Best_tip_changed;
    if (d.Root_transitioned !== undefined) data.root_transitioned = d.Root_transitioned;
  }
  return data;
});

const BlockProduced = z
  .object({
    breadcrumb: z.object({
      state_hash: StateHash,
      just_emitted_a_proof: z.boolean(),
      validated_transition: z.object({
        data: z.object({
          protocol_state: z.object({
            previous_state_hash: StateHash,
            body: z.object({
              consensus_state: z.object({
                blockchain_length: Count,
                epoch_count: Count,
                curr_global_slot: z.object({ slot_number: Count, slots_per_epoch: Count }),
                block_creator: PublicKey,
                coinbase_receiver: PublicKey.optional(),
              }),
            }),
          }),
        }),
      }),
      user_commands_count: Count.optional(),
    }),
  })
  .transform(({ breadcrumb }) => {
    const { user_commands_count } = breadcrumb;
    const state = breadcrumb.validated_transition.data.protocol_state;
    const consensus = state.body.consensus_state;
    return {
      block_height: consensus.blockchain_length,
      epoch: consensus.epoch_count,
      global_slot: consensus.curr_global_slot.slot_number,
      snarked_ledger_generated: breadcrumb.just_emitted_a_proof,
      state_hash: breadcrumb.state_hash,
      previous_state_hash: state.previous_state_hash,
      creator: consensus.block_creator,
      ...(consensus.coinbase_receiver === undefined ? {} : { coinbase_receiver: consensus.coinbase_receiver }),
      ...(user_commands_count === undefined ? {} : { user_commands_count }),
    };
  });

const PaymentBody = z.tuple([z.literal("Payment"), z.object({ receiver_pk: PublicKey, amount: Nanomina })]);
const DelegationBody = z.tuple([z.literal("Stake_delegation"), z.tuple([z.literal("Set_delegate"), z.object({ new_delegate: PublicKey })])]);
const Status = z.union([z.tuple([z.literal("Applied")]), z.tuple([z.literal("Failed"), z.array(z.array(z.string()))])]);

const UserCommand = z
  .object({
    hash: TxHash,
    data: z.object({
      kind: z.literal("Signed_command"),
      payload: z.object({
        common: z.object({ fee: Nanomina, fee_payer_pk: PublicKey, nonce: Count, valid_until: Count.optional(), memo: z.string() }),
        body: z.union([PaymentBody, DelegationBody]),
      }),
      signer: PublicKey.optional(),
      signature: z.string().optional(),
    }),
    status: Status,
  })
  .transform(({ hash, data, status }) => {
    const { common, body } = data.payload;
    const payment = body[0] === "Payment";
    return {
      hash,
      kind: payment ? ("payment" as const) : ("delegation" as const),
      fee_payer: common.fee_payer_pk,
      /** the payment's receiver, or the new delegate of a delegation */
      receiver: body[0] === "Payment" ? body[1].receiver_pk : body[1][1].new_delegate,
      /** nanomina decimal string; "0" for a delegation, which moves no funds */
      amount: body[0] === "Payment" ? body[1].amount : "0",
      fee: common.fee,
      nonce: common.nonce,
      memo: common.memo,
      status: status[0] === "Applied" ? ("applied" as const) : ("failed" as const),
      ...(status[0] === "Failed" ? { failure: status[1].flat().join(", ") } : {}),
    };
  });

const BreadcrumbAdded = z.object({ state_hash: StateHash, user_commands: z.array(UserCommand) });

const withDirection = <T extends object>(direction: "Received" | "Sent", sender: Peer | undefined, data: T) => ({
  ...data,
  direction,
  ...(sender === undefined ? {} : { sender }),
});

const BlockGossip = z.object({ state_hash: StateHash, sender: PeerSchema }).transform((m) => withDirection("Received", m.sender, { state_hash: m.state_hash }));
const BlockGossipSent = z.object({ state_hash: StateHash }).transform((m) => withDirection("Sent", undefined, { state_hash: m.state_hash }));

const Txns = z.array(z.object({ hash: TxHash }));
const TransactionsGossip = z.object({ txns: Txns, sender: PeerSchema }).transform((m) => withDirection("Received", m.sender, { hashes: m.txns.map((t) => t.hash) }));
const TransactionsGossipSent = z.object({ txns: Txns }).transform((m) => withDirection("Sent", undefined, { hashes: m.txns.map((t) => t.hash) }));

const Work = z.object({ work_ids: z.array(Count), fee: Nanomina, prover: PublicKey });
const SnarkWorkGossip = z.object({ work: Work, sender: PeerSchema }).transform((m) => withDirection("Received", m.sender, m.work));
const SnarkWorkGossipSent = z.object({ work: Work }).transform((m) => withDirection("Sent", undefined, m.work));

const SnarkWorkFailed = z.object({ error: z.string() });
const PersistedFrontierLoaded = z.object({ best_tip: StateHash, blockchain_length: Count });
const BootstrapRequired = z.object({ best_tip_length: Count, own_length: Count });
const BootstrapComplete = z.object({ best_tip: StateHash });
const CatchupComplete = z.object({ count: Count, best_tip: StateHash });
const LedgerProofEmitted = z.object({ snarked_ledger_hash: StateHash, block_height: Count, transactions: Count });

const dropNulls = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: NonNullable<T[K]> };

const NodeStarted = z.object({ pid: Count.nullable().optional(), fresh_state: z.boolean().nullable().optional() }).transform(dropNulls);
const NodeExit = z.object({ exit_code: SignedInt.nullable().optional(), signal: z.string().nullable().optional() }).transform(dropNulls);

/** Each structured event of engine's STRUCTURED_EVENTS table: the event type it becomes and its metadata schema. */
export const STRUCTURED_EVENT_SCHEMAS = {
  Node_initialization: { type: "Node_initialization", schema: Empty },
  Transition_frontier_diff_application: { type: "Transition_frontier_diff_application", schema: TransitionFrontierDiffApplication },
  Block_produced: { type: "Block_produced", schema: BlockProduced },
  Breadcrumb_added: { type: "Breadcrumb_added", schema: BreadcrumbAdded },
  Block_gossip: { type: "Block_gossip", schema: BlockGossip },
  Block_gossip_sent: { type: "Block_gossip", schema: BlockGossipSent },
  Transactions_gossip: { type: "Transactions_gossip", schema: TransactionsGossip },
  Transactions_gossip_sent: { type: "Transactions_gossip", schema: TransactionsGossipSent },
  Snark_work_gossip: { type: "Snark_work_gossip", schema: SnarkWorkGossip },
  Snark_work_gossip_sent: { type: "Snark_work_gossip", schema: SnarkWorkGossipSent },
  Snark_work_failed: { type: "Snark_work_failed", schema: SnarkWorkFailed },
  Persisted_frontier_loaded: { type: "Persisted_frontier_loaded", schema: PersistedFrontierLoaded },
  Bootstrap_required: { type: "Bootstrap_required", schema: BootstrapRequired },
  Bootstrap_complete: { type: "Bootstrap_complete", schema: BootstrapComplete },
  Catchup_complete: { type: "Catchup_complete", schema: CatchupComplete },
  Ledger_proof_emitted: { type: "Ledger_proof_emitted", schema: LedgerProofEmitted },
} as const;

/** The forwarder's puppeteer events (`metadata.puppeteer_event_type`). */
export const PUPPETEER_EVENT_SCHEMAS = {
  node_started: { type: "Node_started", schema: NodeStarted },
  node_stopped: { type: "Node_stopped", schema: NodeExit },
  node_crashed: { type: "Node_crashed", schema: NodeExit },
  node_offline: { type: "Node_offline", schema: Empty },
} as const;

export type BlockProduced = z.output<typeof BlockProduced>;
export type UserCommand = z.output<typeof UserCommand>;
export type BreadcrumbAdded = z.output<typeof BreadcrumbAdded>;
export type TransitionFrontierDiffApplication = z.output<typeof TransitionFrontierDiffApplication>;
export type BlockGossip = z.output<typeof BlockGossip> | z.output<typeof BlockGossipSent>;
export type TransactionsGossip = z.output<typeof TransactionsGossip> | z.output<typeof TransactionsGossipSent>;
export type SnarkWorkGossip = z.output<typeof SnarkWorkGossip> | z.output<typeof SnarkWorkGossipSent>;
export type SnarkWorkFailed = z.output<typeof SnarkWorkFailed>;
export type PersistedFrontierLoaded = z.output<typeof PersistedFrontierLoaded>;
export type BootstrapRequired = z.output<typeof BootstrapRequired>;
export type BootstrapComplete = z.output<typeof BootstrapComplete>;
export type CatchupComplete = z.output<typeof CatchupComplete>;
export type LedgerProofEmitted = z.output<typeof LedgerProofEmitted>;
export type NodeStarted = z.output<typeof NodeStarted>;
export type NodeExit = z.output<typeof NodeExit>;
