// Lines for the tests, in Mina's shape (src/lib/logger, develop 2023-09): keys timestamp, level,
// source, message, metadata, event_id; ids, messages and levels from the engine's tables.
// Real lines that Mina users posted are in real-lines.ts.
import { eventIdTable } from "@mina-local/engine";
import type { EventIdTable, LogLevel } from "@mina-local/engine";

export const BERKELEY = eventIdTable("berkeley-2023-09");
export const MAINNET = eventIdTable("mainnet-1.3");

export const H1 = "3NKeMoncuHab5ScarV5ViyF16cJPT4taWNSaTLS64Dp67wuXigPZ";
export const H2 = "3NLvLMhRJhHtLvJrN3AAeMfUtiokZtzz9UrWrKVcCCwqGdqJuBok";
export const H3 = "3NKhyqD8KhnT9Kwkc1FyaWvfbEjCRxp8DUsZV2EV8vGFTdRmFgaR";
export const PK1 = "B62qrPN5Y5yq8kGE3FbVKbGTdTAJNdtNtB5sNVpxyRwWGcDEhpMzc8g";
export const PK2 = "B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg";
/** Envelope.Sender.to_yojson of a remote peer (Network_peer.Peer: host, libp2p_port, peer_id). */
export const REMOTE = { Remote: { host: "10.0.1.5", libp2p_port: 8302, peer_id: "12D3KooWKBRK1C6pBuZxzFwpiAJ5ivpBkjP3yVdZHzP44eW3E1hV" } };

export function minaLine(message: string, metadata: Record<string, unknown>, options: { level?: LogLevel; eventId?: string | null; module?: string; location?: string } = {}): string {
  return JSON.stringify({
    timestamp: "2023-11-11 13:25:54.414332Z",
    level: options.level ?? "Info",
    source: { module: options.module ?? "Transition_frontier", location: options.location ?? 'File "src/lib/transition_frontier/transition_frontier.ml", line 456, characters 2-13' },
    message,
    metadata,
    ...(options.eventId === undefined ? {} : { event_id: options.eventId }),
  });
}

/** A structured event's line as the daemon of `table` writes it: its message, level and event_id. */
export function eventLine(table: EventIdTable, constructor: string, metadata: Record<string, unknown>, options: { level?: LogLevel } = {}): string {
  const row = table.rows.find((r) => r.constructor === constructor);
  if (row === undefined) throw new Error(`${table.name} has no ${constructor}`);
  return minaLine(row.message, metadata, { level: options.level ?? row.level, eventId: row.id });
}

export function forwarderLine(type: string, extra: Record<string, unknown> = {}, level: LogLevel = "Info"): string {
  return minaLine(`daemon ${type}`, { puppeteer_event_type: type, ...extra }, { level, module: "mina-local.forwarder", location: "log-forwarder" });
}

/** The puppeteer's line, byte for byte as dockerfiles/puppeteer-context/mina_daemon_puppeteer.py writes it. */
export const PUPPETEER_NODE_OFFLINE = '{"puppeteer_script_event": true, "puppeteer_event_type": "node_offline", "message":"daemon is being stopped by puppeteer script and is going offline"}';

/** Breadcrumb.to_yojson of develop 2023-09 (the fields event_type.ml reads, and some it does not). */
export const blockProducedMetadata = (height: number | string = "5", slot: number | string = "12", options: { legacyHash?: boolean; legacySlot?: boolean } = {}) => ({
  breadcrumb: {
    validated_transition: {
      data: {
        protocol_state: {
          previous_state_hash: H1,
          body: {
            genesis_state_hash: H3,
            consensus_state: {
              blockchain_length: String(height),
              epoch_count: "0",
              min_window_density: "77",
              ...(options.legacySlot
                ? { curr_global_slot: { slot_number: String(slot), slots_per_epoch: "7140" } }
                : { curr_global_slot_since_hard_fork: { slot_number: String(slot), slots_per_epoch: "7140" } }),
              block_creator: PK1,
              coinbase_receiver: PK1,
            },
          },
        },
      },
      hash: options.legacyHash ? H2 : { state_hash: H2, state_body_hash: "3WtvvPN7qBxDyqwa3V7JFGKQsWBBqimTHhmuuyo2PEE7Lu2xtZg9" },
    },
    staged_ledger: "<opaque>",
    just_emitted_a_proof: false,
    transition_receipt_time: "2023-11-11T13:25:54.414332Z",
  },
});

/**
 * The command of Mina's own transaction-hash test vector (transaction_hash.ml, "signed command v2
 * hash from transaction id"), as a Berkeley daemon's JSON prints it: its hash is
 * 5JvBt4173K3t7gQSpFoMGtbtZuYWPSg29cWad5pnnRd9BnAowoqY.
 */
export const VECTOR_COMMAND = [
  "Signed_command",
  {
    payload: {
      common: {
        fee: "2.000000008",
        fee_payer_pk: "B62qmM48jczCSEQ5CtZhkUgJmwoKXeckPSW8GjX1ifZrEmfybomgo6u",
        nonce: "0",
        valid_until: "4294967295",
        memo: "E4QrrmNc5Bag198tAkuEXCdzFNBvsVAFg2US3oDYzhu6SA6x3wscb",
      },
      body: ["Payment", { receiver_pk: "B62qjBrdnzkAWFbUU8Wid52jArUHTaFWiaeujBVnvHAMhKEgXwTxBYv", amount: "9396" }],
    },
    signer: "B62qmM48jczCSEQ5CtZhkUgJmwoKXeckPSW8GjX1ifZrEmfybomgo6u",
    signature: "7mXFbws8zFVHDngRcRgUAs9gvWcJ4ZDmXrjXozyhhNyM1KrR2XsBzSQGDSR4ghD5Dip13iFrnweGKB5mguDmDLhk1h87etB8",
  },
] as const;
export const VECTOR_HASH = "5JvBt4173K3t7gQSpFoMGtbtZuYWPSg29cWad5pnnRd9BnAowoqY";

export const delegationCommand = () => [
  "Signed_command",
  {
    payload: {
      common: { fee: "0.02", fee_payer_pk: PK2, nonce: 3, valid_until: "4294967295", memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH" },
      body: ["Stake_delegation", ["Set_delegate", { new_delegate: PK1 }]],
    },
    signer: PK2,
    signature: "7mXFbws8zFVHDngRcRgUAs9gvWcJ4ZDmXrjXozyhhNyM1KrR2XsBzSQGDSR4ghD5Dip13iFrnweGKB5mguDmDLhk1h87etB8",
  },
];

/** A Transaction_snark.Statement as Berkeley logs it (only source/target ledgers are read). */
export const statement = (from: string, to: string) => ({
  source: { first_pass_ledger: from, second_pass_ledger: from, pending_coinbase_stack: { data: "x", state: {} }, local_state: {} },
  target: { first_pass_ledger: to, second_pass_ledger: to, pending_coinbase_stack: { data: "x", state: {} }, local_state: {} },
  connecting_ledger_left: from,
  connecting_ledger_right: to,
  supply_increase: { magnitude: "0", sgn: ["Pos"] },
  fee_excess: [],
  sok_digest: null,
});
