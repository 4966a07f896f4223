import type { PuppeteerEventName } from "@mina-local/engine";

export const FORWARDER_MODULE = "mina-local.forwarder";

/** Mina's timestamp shape: `2026-11-26 12:00:00.123456Z`. */
export function minaTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-26T12:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000Z`;
}

/**
 * One of the forwarder's own lines, shaped like the daemon's so every consumer reads it the
 * same way: Mina's key order, metadata keys sorted, and no event_id (Mina leaves the key out
 * of a line that is no structured event).
 */
export function forwarderLine(event: PuppeteerEventName, message: string, metadata: Record<string, unknown>, level: "Info" | "Warn" | "Error" = "Info", now: Date = new Date()): string {
  return JSON.stringify({
    timestamp: minaTimestamp(now),
    level,
    source: { module: FORWARDER_MODULE, location: "log-forwarder" },
    message,
    metadata: Object.fromEntries(Object.entries({ ...metadata, puppeteer_event_type: event }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  });
}
