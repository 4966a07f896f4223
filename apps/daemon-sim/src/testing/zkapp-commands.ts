// o1js 2.15's mina-signer (Mina 3.x layout, 8 app state fields), as zkapp/mina-logic.ts
import { o1jsMinaSigner } from "../zkapp/o1js.js";
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
