import { z } from "zod";
import type { ChainNode, CompletedWork } from "../block.js";
import type { Genesis } from "../genesis.js";
import { applyBlock } from "../ledger.js";
import type { SignedCommand } from "../transaction.js";
import type { ZkappStatus } from "./apply.js";
import { loadMinaLogic } from "./mina-logic.js";
import type { ZkappPool } from "./pool.js";
import { ZkappCommandRecordSchema, type ZkappCommandRecord } from "./record.js";

/** What a node gossips to its peers: the commands its GraphQL took (the simulator's stand-in for Mina's transaction-pool diff). */
export const ZkappGossipSchema = z.object({
  from: z.object({ peerId: z.string(), port: z.number().int() }).passthrough(),
  commands: z.array(ZkappCommandRecordSchema),
});

/**
 * Loads o1js' zkApp logic (mina-logic.ts, on demand) when one of these blocks, or gossip
 * messages, carries a zkApp command: every entry point awaits this before it checks or applies
 * them, since the checks and the application are synchronous.
 */
export async function loadZkappLogicFor(carriers: readonly { zkappCommands?: readonly unknown[] | undefined }[]): Promise<void> {
  if (carriers.some((c) => (c.zkappCommands?.length ?? 0) > 0)) await loadMinaLogic();
}

/**
 * A block's user commands as Mina's producer takes them from its pool: best fee first over both
 * kinds (each pool's selection is already best fee first, per sender in nonce order), up to the
 * capacity. `selectSigned(n)` is the signed pool's selection of at most n.
 */
export function selectUserCommands(
  pool: ZkappPool,
  genesis: Genesis,
  parent: ChainNode,
  choice: { globalSlot: number; coinbaseReceiver: string; snarkWorks: CompletedWork[] },
  selectSigned: (max: number) => SignedCommand[],
): { commands: SignedCommand[]; zkappCommands: ZkappCommandRecord[] } {
  const capacity = genesis.transactionCapacity;
  const signed = selectSigned(capacity);
  if (pool.byHash.size === 0) return { commands: signed, zkappCommands: [] };
  const zkapp = selectZkappCommands(pool, genesis, parent, { ...choice, commands: [] }, capacity);
  let i = 0;
  let j = 0;
  while (i + j < capacity && (i < signed.length || j < zkapp.length)) {
    const nextSigned = signed[i];
    const nextZkapp = zkapp[j];
    if (nextZkapp && (!nextSigned || BigInt(nextZkapp.json.feePayer.body.fee) > nextSigned.fee)) j++;
    else i++;
  }
  const commands = signed.slice(0, i);
  return { commands, zkappCommands: j === 0 ? [] : selectZkappCommands(pool, genesis, parent, { ...choice, commands }, j) };
}

/** The zkApp commands a block on `parent` takes after its signed commands: at most `max`, within the capacity left. */
export function selectZkappCommands(
  pool: ZkappPool,
  genesis: Genesis,
  parent: ChainNode,
  choice: { globalSlot: number; coinbaseReceiver: string; commands: SignedCommand[]; snarkWorks: CompletedWork[] },
  max = genesis.transactionCapacity,
): ZkappCommandRecord[] {
  const room = Math.min(max, genesis.transactionCapacity - choice.commands.length);
  if (pool.byHash.size === 0 || room <= 0) return [];
  const afterSigned = applyBlock(parent.ledger, {
    commands: choice.commands,
    coinbaseReceiver: choice.coinbaseReceiver,
    coinbase: genesis.coinbase,
    snarkFees: choice.snarkWorks.map((w) => ({ prover: w.prover, fee: w.fee })),
    globalSlot: choice.globalSlot,
    accountCreationFee: genesis.accountCreationFee,
  });
  if (!afterSigned.ok) return [];
  return pool.select(afterSigned.ledger, room, { globalSlot: choice.globalSlot, blockchainLength: parent.block.height + 1, accountCreationFee: genesis.accountCreationFee });
}

/**
 * Transaction_status.to_yojson for a zkApp command: `["Applied"]`, or `["Failed", collection]`
 * with one list of failures per account update (index 0 the fee payer).
 */
export function zkappStatusJson(status: ZkappStatus | undefined): unknown {
  return !status || status.applied ? ["Applied"] : ["Failed", status.failures];
}

/**
 * A block's zkApp commands in Added_breadcrumb_user_commands: by their transaction hash with
 * their status, the newest Mina's form (develop 2023-09 logs the whole command in Mina's
 * Zkapp_command.to_yojson, which the simulator does not print).
 */
export function zkappCommandsWithStatusJson(node: ChainNode): unknown[] {
  return (node.block.zkappCommands ?? []).map((record, i) => ({ data: record.hash, status: zkappStatusJson(node.zkappStatuses?.[i]) }));
}

/** ZkappCommandResult.failureReason: the non-empty failure lists with their index; null when applied. */
export function failureReasonOf(status: ZkappStatus | undefined): { index: string; failures: string[] }[] | null {
  if (!status || status.applied) return null;
  return status.failures.flatMap((failures, index) => (failures.length > 0 ? [{ index: String(index), failures }] : []));
}
