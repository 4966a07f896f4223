import { poolRefusesAt } from "../stop-slots.js";
import { GraphQLError } from "graphql";
import type { ChainNode } from "../block.js";
import type { Daemon } from "../daemon.js";
import type { ZkappStatus } from "./apply.js";
import { malformedPart, unsupportedPart, ZkappCommandJsonSchema, type ZkappCommandJsonShape } from "./command.js";
import { zkappCommandHash } from "./hash.js";
import { loadMinaLogic } from "./mina-logic.js";
import { failureReasonOf } from "./node.js";
import { refusalMessage } from "./pool.js";
import type { ZkappCommandRecord } from "./record.js";

/** A zkApp command's `id`: the base64 of its JSON (Mina's is the base64 of its bin_prot form, which the simulator does not write); its hash works too. */
export function zkappCommandId(record: ZkappCommandRecord): string {
  return Buffer.from(JSON.stringify(record.json)).toString("base64");
}

/** Which records an id names: a transaction hash, or the base64 JSON `zkappCommandId` gives; undefined when it is neither. */
function matcherOfId(id: string): ((record: ZkappCommandRecord) => boolean) | undefined {
  if (/^5J[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(id)) return (r) => r.hash === id;
  try {
    const parsed = ZkappCommandJsonSchema.safeParse(JSON.parse(Buffer.from(id, "base64").toString("utf8")));
    if (!parsed.success) return undefined;
    const text = JSON.stringify(parsed.data);
    return (r) => JSON.stringify(r.json) === text;
  } catch {
    return undefined;
  }
}

/**
 * ZkappCommandResult. The derived output type `Permissions` of the served schema still spells
 * setVerificationKey as AuthRequired (reference/SOURCE.md), so a permissions update answers its auth.
 */
export function zkappResult(record: ZkappCommandRecord, status: ZkappStatus | undefined) {
  const accountUpdates = record.json.accountUpdates.map((u) => {
    const permissions = u.body.update.permissions;
    return { ...u, body: { ...u.body, update: { ...u.body.update, permissions: permissions ? { ...permissions, setVerificationKey: permissions.setVerificationKey.auth } : null } } };
  });
  return { id: zkappCommandId(record), hash: record.hash, zkappCommand: { ...record.json, accountUpdates }, failureReason: failureReasonOf(status) };
}

export function blockZkappCommands(node: ChainNode) {
  return (node.block.zkappCommands ?? []).map((record, i) => zkappResult(record, node.zkappStatuses?.[i]));
}

/** sendZkapp, pooledZkappCommands and transactionStatus(zkappTransaction:) as a daemon answers them. */
export function zkappResolvers(daemon: Daemon): Record<string, (args: Record<string, unknown>) => unknown> {
  return {
    sendZkapp: async (args) => {
      const frontier = daemon.frontier;
      if (!frontier || daemon.syncStatus === "BOOTSTRAP") throw new GraphQLError("Daemon is bootstrapping");
      const parsed = ZkappCommandJsonSchema.safeParse((args.input as { zkappCommand?: unknown }).zkappCommand);
      if (!parsed.success) throw new GraphQLError(`Invalid zkApp command: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      const json: ZkappCommandJsonShape = parsed.data;
      const malformed = malformedPart(json);
      if (malformed) throw new GraphQLError(`Invalid zkApp command: ${malformed}`);
      const unsupported = unsupportedPart(json, daemon.genesis.proofLevel);
      if (unsupported) throw new GraphQLError(`Couldn't send zkApp command: ${unsupported}`);
      const [hash] = await Promise.all([zkappCommandHash(json), loadMinaLogic()]);
      const record: ZkappCommandRecord = { hash, json };
      const ledger = frontier.best.ledger;
      const feePayer = json.feePayer.body.publicKey;
      const inferred = daemon.pool.inferredNonce(ledger, feePayer);
      const queued = daemon.zkappPool.fromFeePayer(feePayer).length;
      // indexed_pool.ml refuses every command, zkApp commands too, from slot_tx_end on
      const error =
        poolRefusesAt(daemon.genesis, daemon.currentSlot()) ??
        daemon.zkappPool.check(ledger, record, inferred === undefined ? undefined : inferred + queued, {
          globalSlot: daemon.currentSlot(),
          blockchainLength: frontier.best.block.height + 1,
          accountCreationFee: daemon.genesis.accountCreationFee,
        });
      if (error) throw new GraphQLError(typeof error === "string" ? `Couldn't send zkApp command: ${JSON.stringify([error])}` : refusalMessage(error));
      daemon.submitLocalZkapp(record);
      return { zkapp: zkappResult(record, undefined) };
    },
    pooledZkappCommands: (args) => {
      let records = [...daemon.zkappPool.byHash.values()];
      if (typeof args.publicKey === "string") records = records.filter((r) => r.json.feePayer.body.publicKey === args.publicKey);
      if (Array.isArray(args.hashes)) {
        const hashes = new Set(args.hashes as string[]);
        records = records.filter((r) => hashes.has(r.hash));
      }
      if (Array.isArray(args.ids)) {
        const matchers = (args.ids as string[]).map(matcherOfId).filter((m) => m !== undefined);
        records = records.filter((r) => matchers.some((m) => m(r)));
      }
      return records.map((r) => zkappResult(r, undefined));
    },
  };
}

/** transactionStatus(zkappTransaction: id): INCLUDED on the best chain, PENDING in another block of the frontier or the pool, else UNKNOWN. */
export function zkappTransactionStatus(daemon: Daemon, id: string): string {
  const frontier = daemon.frontier;
  if (!frontier || daemon.syncStatus === "BOOTSTRAP") throw new GraphQLError("Daemon is bootstrapping");
  const matches = matcherOfId(id);
  if (!matches) throw new GraphQLError("Invalid zkApp command provided");
  if (frontier.path().some((n) => n.block.zkappCommands?.some(matches))) return "INCLUDED";
  if ([...frontier.nodes.values()].some((n) => n.block.zkappCommands?.some(matches))) return "PENDING";
  return [...daemon.zkappPool.byHash.values()].some(matches) ? "PENDING" : "UNKNOWN";
}
