import type { TestContext, TestNode } from "./define-test.js";

export interface TestPaymentsLoad {
  /** private keys of the paying accounts, split evenly over the nodes (a remainder is left out, as in Mina) */
  senderKeys: readonly string[];
  receiver: string;
  amount: bigint;
  fee: bigint;
  /** payments each node sends (Mina's repeat_count) */
  numPayments: number;
  /** Mina's repeat_delay_ms */
  delayMs: number;
}

/**
 * The "spawn transaction sending" of Mina's block_production_priority.ml and slot_end_test.ml
 * (develop 9f068b1c3b / 032cc00266): each node gets keys_per_sender = keys / nodes distinct keys
 * and sends numPayments payments from them through sendTestPayments (the node signs; the call
 * returns once the first is sent).
 */
export async function spawnTestPayments(t: TestContext, nodes: readonly TestNode[], load: TestPaymentsLoad): Promise<void> {
  const keysPerSender = Math.floor(load.senderKeys.length / nodes.length);
  t.log.info(
    { payments: load.numPayments, nodes: nodes.length, keys: keysPerSender },
    "will now send $payments payments from as many accounts.  $nodes nodes will send $keys payments each from distinct keys",
  );
  for (const [i, node] of nodes.entries()) {
    await node.graphql.sendTestPayments({
      senders: load.senderKeys.slice(i * keysPerSender, (i + 1) * keysPerSender),
      receiver: load.receiver,
      amount: load.amount,
      fee: load.fee,
      repeatCount: load.numPayments,
      repeatDelayMs: load.delayMs,
    });
  }
}
