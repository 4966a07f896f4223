// Sample lines for the tests, written exactly per the structured-event contract in the brief.
import { STRUCTURED_EVENTS, eventIdOf } from "@mina-local/engine";
import type { LogLevel, StructuredEventName } from "@mina-local/engine";

export const H1 = "3NKeMoncuHab5ScarV5ViyF16cJPT4taWNSaTLS64Dp67wuXigPZ";
export const H2 = "3NLvLMhRJhHtLvJrN3AAeMfUtiokZtzz9UrWrKVcCCwqGdqJuBok";
export const H3 = "3NKhyqD8KhnT9Kwkc1FyaWvfbEjCRxp8DUsZV2EV8vGFTdRmFgaR";
export const PK1 = "B62qrPN5Y5yq8kGE3FbVKbGTdTAJNdtNtB5sNVpxyRwWGcDEhpMzc8g";
export const PK2 = "B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg";
export const SENDER = { peer_id: "12D3KooWKBRK1C6pBuZxzFwpiAJ5ivpBkjP3yVdZHzP44eW3E1hV", host: "10.0.1.5", libp2p_port: 8302 };

export function minaLine(
  message: string,
  metadata: Record<string, unknown>,
  options: { level?: LogLevel; eventId?: string | null; module?: string } = {},
): string {
  return JSON.stringify({
    timestamp: "2026-11-26 12:00:00.123456Z",
    level: options.level ?? "Info",
    source: { module: options.module ?? "Transition_frontier", location: 'File "src/lib/transition_frontier/frontier.ml", line 1' },
    message,
    metadata,
    ...(options.eventId === undefined ? {} : { event_id: options.eventId }),
  });
}

/** A structured event's line: its template message and, unless told otherwise, its event_id. */
export function eventLine(name: StructuredEventName, metadata: Record<string, unknown>, options: { level?: LogLevel; withId?: boolean } = {}): string {
  return minaLine(STRUCTURED_EVENTS[name].message, metadata, { level: options.level ?? "Info", eventId: options.withId === false ? undefined : eventIdOf(name) });
}

export function forwarderLine(type: string, extra: Record<string, unknown> = {}, level: LogLevel = "Info"): string {
  return minaLine(`daemon ${type}`, { puppeteer_event_type: type, ...extra }, { level, module: "mina-local.forwarder" });
}

export const blockProducedMetadata = (height: number | string = "5", slot: number | string = "12") => ({
  breadcrumb: {
    state_hash: H2,
    just_emitted_a_proof: false,
    validated_transition: {
      data: {
        protocol_state: {
          previous_state_hash: H1,
          body: {
            consensus_state: {
              blockchain_length: String(height),
              epoch_count: "0",
              curr_global_slot: { slot_number: String(slot), slots_per_epoch: "480" },
              block_creator: PK1,
              coinbase_receiver: PK1,
            },
          },
        },
      },
    },
    user_commands_count: 1,
  },
});

export const payment = (status: unknown = ["Applied"]) => ({
  hash: "5JuSRViCY1GbnnpExLhoYLkD96vwnCf8hHDbsn6FYWdSNFBZNmzD",
  data: {
    kind: "Signed_command",
    payload: {
      common: { fee: "10000000", fee_payer_pk: PK1, nonce: "0", valid_until: "4294967295", memo: "E4YM2vTHhWEg66xpj52JErHUBU4pZ1yageL4TVDDpTTSsv8mK6YaH" },
      body: ["Payment", { receiver_pk: PK2, amount: "1000000000" }],
    },
    signer: PK1,
    signature: "7mXFbws8zFVHDngRcRgUAs9gvWcJ4ZDmXrjXozyhhNyM1KrR2XsBzSQGDSR4ghD5Dip13iFrnweGKB5mguDmDLhk1h87etB8",
  },
  status,
});

export const delegation = () => ({
  hash: "5JvBt4173K3t7gQSpFoMGtbtZuYWPSg29cWct5qJuT2iGVqNXXQ4",
  data: {
    kind: "Signed_command",
    payload: {
      common: { fee: "20000000", fee_payer_pk: PK2, nonce: 3, valid_until: "4294967295", memo: "" },
      body: ["Stake_delegation", ["Set_delegate", { new_delegate: PK1 }]],
    },
    signer: PK2,
    signature: "7mX...",
  },
  status: ["Failed", [["Amount_insufficient_to_create_account"], ["Cancelled"]]],
});
