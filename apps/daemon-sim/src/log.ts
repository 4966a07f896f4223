import { appendFileSync, statSync, truncateSync } from "node:fs";
import { eventIdOf, LOG_LEVELS, STRUCTURED_EVENTS, type LogLevel, type MinaLogLine, type StructuredEventName } from "@mina-local/engine";

/** Mina's timestamp format: "2026-11-26 12:00:00.123456Z". */
export function minaTimestamp(date: Date = new Date()): string {
  return `${date.toISOString().replace("T", " ").slice(0, 23)}000Z`;
}

/** Mina's source modules; the location names the OCaml file the real daemon logs from. */
const MODULE_FILES: Record<string, string> = {
  Mina_cli_entrypoint: "src/app/cli/src/init/mina_cli_entrypoint.ml",
  Block_producer: "src/lib/block_producer/block_producer.ml",
  Transition_frontier: "src/lib/transition_frontier/transition_frontier.ml",
  Transition_frontier_controller: "src/lib/transition_frontier_controller/transition_frontier_controller.ml",
  Transition_handler__Processor: "src/lib/transition_handler/processor.ml",
  Mina_networking: "src/lib/mina_networking/mina_networking.ml",
  Network_pool__Transaction_pool: "src/lib/network_pool/transaction_pool.ml",
  Network_pool__Snark_pool: "src/lib/network_pool/snark_pool.ml",
  Ledger_catchup: "src/lib/ledger_catchup/normal_catchup.ml",
  Bootstrap_controller: "src/lib/bootstrap_controller/bootstrap_controller.ml",
  Persistent_frontier: "src/lib/transition_frontier/persistent_frontier/persistent_frontier.ml",
  Mina_graphql: "src/lib/mina_graphql/mina_graphql.ml",
  Snark_worker: "src/lib/snark_worker/functor.ml",
  Work_selector: "src/lib/work_selector/work_selector.ml",
  Staged_ledger: "src/lib/staged_ledger/staged_ledger.ml",
  Mina_lib: "src/lib/mina_lib/mina_lib.ml",
};

export interface LoggerOptions {
  json: boolean;
  /** startFilteredLog's capture: gets every structured event it wants, at any level */
  capture?: { wants(eventId: string): boolean; record(json: string): void };
  level: LogLevel;
  /** -file-log-level: also append to this file (the config directory's mina.log) */
  file?: { path: string; level: LogLevel };
  write?: (line: string) => void;
}

const FILE_LOG_MAX_BYTES = 10 * 1024 * 1024;

export class Logger {
  private readonly minRank: number;
  private readonly fileRank: number;
  private readonly write: (line: string) => void;
  private fileBytes = 0;

  constructor(private readonly options: LoggerOptions) {
    this.minRank = LOG_LEVELS.indexOf(options.level);
    this.fileRank = options.file ? LOG_LEVELS.indexOf(options.file.level) : Number.POSITIVE_INFINITY;
    this.write = options.write ?? ((line) => process.stdout.write(line));
    if (options.file) {
      try {
        this.fileBytes = statSync(options.file.path).size;
      } catch {
        this.fileBytes = 0;
      }
    }
  }

  log(level: LogLevel, module: string, message: string, metadata: Record<string, unknown> = {}, event?: StructuredEventName): void {
    const rank = LOG_LEVELS.indexOf(level);
    const captured = event !== undefined && this.options.capture?.wants(eventIdOf(event)) === true;
    if (rank < this.minRank && rank < this.fileRank && !captured) return;
    const line: MinaLogLine = {
      timestamp: minaTimestamp(),
      level,
      source: { module, location: `File "${MODULE_FILES[module] ?? "src/lib/mina_lib/mina_lib.ml"}", line 1, characters 0-1` },
      message,
      metadata,
      ...(event && { event_id: eventIdOf(event) }),
    };
    const json = JSON.stringify(line);
    if (captured) this.options.capture?.record(json);
    if (rank >= this.minRank) this.write(this.options.json ? `${json}\n` : `${line.timestamp} [${level}] ${interpolate(message, metadata)}\n`);
    if (rank >= this.fileRank && this.options.file) this.appendToFile(`${json}\n`);
  }

  /** A structured event: the message is the table's template, the metadata fills its placeholders. */
  event(name: StructuredEventName, module: string, metadata: Record<string, unknown>, level: LogLevel = "Info"): void {
    this.log(level, module, STRUCTURED_EVENTS[name].message, metadata, name);
  }

  spam = (module: string, message: string, metadata?: Record<string, unknown>) => this.log("Spam", module, message, metadata);
  debug = (module: string, message: string, metadata?: Record<string, unknown>) => this.log("Debug", module, message, metadata);
  info = (module: string, message: string, metadata?: Record<string, unknown>) => this.log("Info", module, message, metadata);
  warn = (module: string, message: string, metadata?: Record<string, unknown>) => this.log("Warn", module, message, metadata);
  error = (module: string, message: string, metadata?: Record<string, unknown>) => this.log("Error", module, message, metadata);
  fatal = (module: string, message: string, metadata?: Record<string, unknown>) => this.log("Fatal", module, message, metadata);

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

/** Mina's `$name` interpolation, for the human-readable (non -log-json) output. */
export function interpolate(message: string, metadata: Record<string, unknown>): string {
  return message.replace(/\$([a-zA-Z_][a-zA-Z0-9_]*)/g, (whole, name: string) => {
    if (!(name in metadata)) return whole;
    const value = metadata[name];
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}
