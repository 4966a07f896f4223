// o1js 2.15's mina-signer (Mina 3.x layout, 8 app state fields), as zkapp/mina-logic.ts
import { o1jsMinaSigner, o1jsModule } from "../zkapp/o1js.js";
import type { ZkappCommandJsonShape } from "../zkapp/command.js";
// a zkApp command o1js 2.15 built (`Mina.transaction`, a signed AccountUpdate sending 1 MINA,
// `toJSON()`): the template the tests re-key and re-sign with mina-signer
import template from "./o1js-zkapp-payment.json" with { type: "json" };

const Client = await o1jsMinaSigner();
const client = new Client({ network: "testnet" });

export type UpdateEdit = (update: ZkappCommandJsonShape["accountUpdates"][number]) => void;

/**
 * A zkApp command from the o1js template: `sender` pays the fee and sends `amount` to
 * `receiver`; `edit` changes the two account updates before mina-signer signs the fee payer
 * and the sender's update (Client.signZkappCommand).
 */
export function zkappPayment(options: {
  sender: { publicKey: string; privateKey: string };
  receiver: string;
  amount: bigint;
  fee?: bigint;
  nonce: number;
  editSender?: UpdateEdit;
  editReceiver?: UpdateEdit;
  extra?: ZkappCommandJsonShape["accountUpdates"];
}): ZkappCommandJsonShape {
  const command = structuredClone(template) as unknown as ZkappCommandJsonShape;
  const [from, to] = command.accountUpdates as [ZkappCommandJsonShape["accountUpdates"][number], ZkappCommandJsonShape["accountUpdates"][number]];
  from.body.publicKey = options.sender.publicKey;
  from.body.balanceChange = { magnitude: options.amount.toString(), sgn: "Negative" };
  to.body.publicKey = options.receiver;
  to.body.balanceChange = { magnitude: options.amount.toString(), sgn: "Positive" };
  options.editSender?.(from);
  options.editReceiver?.(to);
  command.accountUpdates.push(...(options.extra ?? []));
  const signed = client.signZkappCommand(
    {
      feePayer: { feePayer: options.sender.publicKey, fee: (options.fee ?? 100_000_000n).toString(), nonce: String(options.nonce), memo: "" },
      zkappCommand: { feePayer: command.feePayer, accountUpdates: command.accountUpdates, memo: command.memo } as never,
    },
    options.sender.privateKey,
  );
  return (signed.data as unknown as { zkappCommand: ZkappCommandJsonShape }).zkappCommand;
}

const zkappSigning = await o1jsModule<{ signZkappCommand(command: unknown, privateKey: string, network: string): unknown }>("dist/node/mina-signer/src/sign-zkapp-command.js");

export interface UpdateSpec {
  key: { publicKey: string; privateKey: string };
  tokenId: string;
  balanceChange: bigint;
  callDepth: number;
  mayUseToken?: "No" | "ParentsOwnToken" | "InheritFromParent";
  edit?: UpdateEdit;
}

/**
 * A zkApp command of signed account updates (the template's update re-shaped, as Mina's
 * Zkapp_command_builder.mk_account_update_body: full commitment, no implicit creation fee),
 * signed by the fee payer and by each update's key.
 */
export function signedZkappCommand(options: { feePayer: { publicKey: string; privateKey: string }; nonce: number; fee?: bigint; updates: UpdateSpec[] }): ZkappCommandJsonShape {
  const shape = (template as unknown as ZkappCommandJsonShape).accountUpdates[1] as ZkappCommandJsonShape["accountUpdates"][number];
  const updates = options.updates.map((spec) => {
    const update = structuredClone(shape);
    const magnitude = spec.balanceChange < 0n ? -spec.balanceChange : spec.balanceChange;
    Object.assign(update.body, {
      publicKey: spec.key.publicKey,
      tokenId: spec.tokenId,
      balanceChange: { magnitude: magnitude.toString(), sgn: spec.balanceChange < 0n ? "Negative" : "Positive" },
      callDepth: spec.callDepth,
      useFullCommitment: true,
      mayUseToken: { parentsOwnToken: spec.mayUseToken === "ParentsOwnToken", inheritFromParent: spec.mayUseToken === "InheritFromParent" },
      authorizationKind: { ...update.body.authorizationKind, isSigned: true },
    });
    spec.edit?.(update);
    return update;
  });
  const signed = client.signZkappCommand(
    {
      feePayer: { feePayer: options.feePayer.publicKey, fee: (options.fee ?? 100_000_000n).toString(), nonce: String(options.nonce), memo: "" },
      zkappCommand: { feePayer: { body: { publicKey: options.feePayer.publicKey, fee: "0", nonce: "0", validUntil: null }, authorization: "" }, accountUpdates: updates, memo: "" } as never,
    },
    options.feePayer.privateKey,
  );
  let command = (signed.data as unknown as { zkappCommand: unknown }).zkappCommand;
  for (const { key } of options.updates) if (key.publicKey !== options.feePayer.publicKey) command = zkappSigning.signZkappCommand(command, key.privateKey, "testnet");
  return command as ZkappCommandJsonShape;
}
