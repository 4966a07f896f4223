import { z } from "zod";
import { BlockWireSchema } from "./block.js";
import { SignedCommandWireSchema } from "./transaction.js";

/**
 * The simulator's gossip and sync protocol: JSON over HTTP on the external port (Mina speaks
 * libp2p there). Every message names its sender's peer id and external port; the receiver
 * takes the host from the connection. See README.md, "Gossip protocol".
 */
export const PROTOCOL_PREFIX = "/mina-local/v1";

const sender = z.object({ peerId: z.string().min(1), port: z.number().int().min(1).max(65535) });

export const HelloSchema = z.object({ chainId: z.string(), from: sender });
export const HelloReplySchema = z.object({
  chainId: z.string(),
  peerId: z.string(),
  peers: z.array(z.object({ peerId: z.string(), host: z.string(), port: z.number().int() })),
});

export const BlockGossipSchema = z.object({ from: sender, block: BlockWireSchema });
export const TransactionsGossipSchema = z.object({ from: sender, txns: z.array(SignedCommandWireSchema).min(1).max(1000) });

export const SnarkWorkWireSchema = z.object({
  workIds: z.array(z.number().int().nonnegative()).min(1).max(2),
  fee: z.string().regex(/^\d+$/),
  prover: z.string().startsWith("B62"),
});
export const SnarkWorkGossipSchema = z.object({ from: sender, work: SnarkWorkWireSchema });

export const BestTipSchema = z.object({ stateHash: z.string(), height: z.number().int(), rootHash: z.string(), rootHeight: z.number().int() });
export const BestChainSchema = z.object({ blocks: z.array(BlockWireSchema) });

/** Snark coordinator <-> worker, on the coordinator's client port. */
export const GetWorkReplySchema = z.object({ work: z.object({ workIds: z.array(z.number().int()), fee: z.string(), prover: z.string() }).nullable() });
export const SubmitWorkSchema = z.object({ workIds: z.array(z.number().int().nonnegative()).min(1).max(2), worker: z.string().optional() });
export const SubmitWorkReplySchema = z.object({ accepted: z.boolean(), reason: z.string().optional() });
