import { appendFileSync, statSync, truncateSync } from "node:fs";
import { LOG_LEVELS, type EventIdTable, type LogLevel, type StructuredEventRow } from "@mina-local/engine";
import { EVENTS, simulatorSite, type EventSite, type LineSite, type MinaSite } from "./mina-sites.js";

/**
 * Mina's log line, as src/lib/logger/native/logger.ml (develop 2023-09) writes it: keys
 * `timestamp, level, source, message, metadata, event_id` (Message.to_yojson; `source` and
 * `event_id` are left out when absent, and a Spam line has no `source`), metadata keys in
 * String.Map order (sorted), the logger-wide metadata (`host`, `peer_id`, `port`, set by
 * gossip_net/libp2p.ml once libp2p runs) merged under each call's own keys.
 */
export interface MinaLogLine {
  timestamp: string;
  level: LogLevel;
  source?: { module: string; location: string };
  message: string;
  metadata: Record<string, unknown>;
  event_id?: string;
}

/** Mina's timestamp (Core's Time.to_string_abs ~zone:utc): `2023-11-11 13:25:54.414332Z`. */
export function minaTimestamp(microsSinceEpoch: bigint): string {
  const millis = Number(microsSinceEpoch / 1000n);
  const micros = String(microsSinceEpoch % 1_000_000n).padStart(6, "0");
  return `${new Date(millis).toISOString().replace("T", " ").slice(0, 19)}.${micros}Z`;
}

/** A microsecond wall clock: Date for the epoch, hrtime for the microseconds. */
function microsecondClock(): () => bigint {
  const baseMicros = BigInt(Date.now()) * 1000n;
  const baseHr = process.hrtime.bigint();
  return () => baseMicros + (process.hrtime.bigint() - baseHr) / 1000n;
}

export interface LoggerOptions {
  json: boolean;
  /** startFilteredLog's capture: gets every structured event it wants, at any level */
  capture?: { wants(eventId: string): boolean; record(json: string): void };
  /** -log-level: what reaches stdout */
  level: LogLevel;
  /** the event-id table the simulator writes (engine: eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME)) */
  table: EventIdTable;
  /** -file-log-level: also append to this file (the config directory's mina.log) */
  file?: { path: string; level: LogLevel };
  write?: (line: string) => void;
  now?: () => bigint;
}

const FILE_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** Every event site's row of the table; throws when the table lacks one (the simulator must not invent ids). */
export function eventRows(table: EventIdTable): Map<string, StructuredEventRow> {
  const rows = new Map(table.rows.map((row) => [`${row.declaredIn}.${row.constructor}`, row]));
  const missing = Object.values(EVENTS as Record<string, EventSite>).filter((site) => !rows.has(site.event));
  if (missing.length > 0) throw new Error(`event id table ${table.name} lacks ${missing.map((s) => s.event).join(", ")}`);
  return rows;
}

export class Logger {
  private readonly minRank: number;
  private readonly fileRank: number;
  private readonly write: (line: string) => void;
  private readonly now: () => bigint;
  private readonly rows: Map<string, StructuredEventRow>;
  private global: Record<string, unknown> = {};
  private fileBytes = 0;

  constructor(private readonly options: LoggerOptions) {
    this.minRank = LOG_LEVELS.indexOf(options.level);
    this.fileRank = options.file ? LOG_LEVELS.indexOf(options.file.level) : Number.POSITIVE_INFINITY;
    this.write = options.write ?? ((line) => process.stdout.write(line));
    this.now = options.now ?? microsecondClock();
    this.rows = eventRows(options.table);
    if (options.file) {
      try {
        this.fileBytes = statSync(options.file.path).size;
      } catch {
        this.fileBytes = 0;
      }
    }
  }

  /** Logger.append_to_global_metadata: merged into every later line. */
  appendGlobalMetadata(entries: Record<string, unknown>): void {
    this.global = { ...this.global, ...entries };
  }

  /** A structured event: the table's message and id; `fields` are the constructor's record, `extra` the call's ~metadata. */
  event(site: EventSite, fields: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): void {
    const row = this.rows.get(site.event) as StructuredEventRow;
    this.emit(site, row.message, { ...extra, ...fields }, row.id);
  }

  /** One of Mina's plain lines; `message` replaces the site's when Mina formats it (`%s`). */
  line(site: LineSite, metadata: Record<string, unknown> = {}, message: string = site.message): void {
    this.emit(site, message, metadata);
  }

  /** A line only the simulator writes (see simulatorSite). */
  sim(file: string, level: LogLevel, message: string, metadata: Record<string, unknown> = {}): void {
    this.emit(simulatorSite(file, level), message, metadata);
  }

  private emit(site: MinaSite, message: string, metadata: Record<string, unknown>, eventId?: string): void {
    const rank = LOG_LEVELS.indexOf(site.level);
    const captured = eventId !== undefined && this.options.capture?.wants(eventId) === true;
    if (rank < this.minRank && rank < this.fileRank && !captured) return;
    const merged: Record<string, unknown> = { ...this.global, ...metadata };
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(merged).sort()) sorted[key] = merged[key];
    const line: MinaLogLine = {
      timestamp: minaTimestamp(this.now()),
      level: site.level,
      ...(site.level !== "Spam" && { source: { module: site.module, location: site.location } }),
      message,
      metadata: sorted,
      ...(eventId !== undefined && { event_id: eventId }),
    };
    const json = JSON.stringify(line);
    if (captured) this.options.capture?.record(json);
    if (rank >= this.minRank) this.write(this.options.json ? `${json}\n` : pretty(line));
    if (rank >= this.fileRank && this.options.file) this.appendToFile(`${json}\n`);
  }

  private appendToFile(text: string): void {
    const file = this.options.file;
    if (!file) return;
    try {
      // a simple cap instead of Mina's rotation: the file never grows without bound
      if (this.fileBytes > FILE_LOG_MAX_BYTES) {
        truncateSync(file.path, 0);
        this.fileBytes = 0;
      }
      appendFileSync(file.path, text);
      this.fileBytes += Buffer.byteLength(text);
    } catch {
      // the file log is a convenience: stdout stays the authoritative log
    }
  }
}

/** Mina's Pretty processor (no -log-json): `2023-09-12 10:49:49 UTC [Info] <interpolated message>`. */
function pretty(line: MinaLogLine): string {
  return `${line.timestamp.slice(0, 19)} UTC [${line.level}] ${interpolate(line.message, line.metadata)}\n`;
}

/** Mina's `$name` interpolation, for the human-readable (non -log-json) output. */
export function interpolate(message: string, metadata: Record<string, unknown>): string {
  return message.replace(/\$([a-zA-Z_][a-zA-Z0-9_]*)/g, (whole, name: string) => {
    if (!(name in metadata)) return whole;
    const value = metadata[name];
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}
