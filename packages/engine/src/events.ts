/**
 * Events the log-forwarder writes about the daemon it supervises (Mina's puppeteer
 * events): `puppeteer_event_type` in the line's metadata.
 */
export const PUPPETEER_EVENTS = ["node_started", "node_stopped", "node_offline", "node_crashed"] as const;
export type PuppeteerEventName = (typeof PUPPETEER_EVENTS)[number];

/** Mina's log levels, lowest first (Logger.Level in src/lib/logger/logger.mli, develop 2023-09). */
export const LOG_LEVELS = ["Internal", "Spam", "Trace", "Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One line of Mina's structured log (src/lib/logger: `source` and `event_id` are left out when absent). */
export interface MinaLogLine {
  timestamp: string;
  level: LogLevel;
  source?: { module: string; location: string };
  message: string;
  metadata: Record<string, unknown>;
  event_id?: string | null;
}
