import { pino, type Logger } from "pino";

/**
 * The executive's own logs, on stdout, in Mina's JSON log shape, so that
 * `| logproc -i inline -f '!(.level in ["Spam","Debug"])'` works on them as on a
 * daemon's: {timestamp, level, source: {module, location}, message, metadata}.
 */
const MINA_LEVEL_NAMES: Record<string, string> = {
  spam: "Spam",
  trace: "Trace",
  debug: "Debug",
  info: "Info",
  warn: "Warn",
  error: "Error",
  fatal: "Fatal",
};

export type ExecutiveLogger = Logger<"spam">;

/** The metadata key that carries a line's `source.module` (set by `forModule`). */
const SOURCE = "__mina_source";

type LevelName = "spam" | "debug" | "info" | "warn" | "error" | "fatal";
type LogCall = (metadataOrMessage: Record<string, unknown> | string, message?: string) => void;
export type ModuleLogger = Record<LevelName, LogCall>;

/** A logger whose lines name `module` as their source, as Mina's do. */
export function forModule(logger: ExecutiveLogger, module: string): ModuleLogger {
  const call =
    (level: LevelName): LogCall =>
    (metadataOrMessage, message) => {
      if (typeof metadataOrMessage === "string") logger[level]({ [SOURCE]: module }, metadataOrMessage);
      // Mina lines always carry a message; logproc prints a line without one raw
      else logger[level]({ ...metadataOrMessage, [SOURCE]: module }, message ?? "");
    };
  return { spam: call("spam"), debug: call("debug"), info: call("info"), warn: call("warn"), error: call("error"), fatal: call("fatal") };
}

export function minaTimestamp(date = new Date()): string {
  // Mina prints "2021-06-01 12:00:00.123456Z"
  return `${date.toISOString().replace("T", " ").replace(/Z$/, "")}000Z`;
}

export function createExecutiveLogger(options: { level?: string; destination?: NodeJS.WritableStream | number } = {}): ExecutiveLogger {
  return pino(
    {
      level: options.level ?? "debug",
      customLevels: { spam: 5 },
      base: null,
      messageKey: "message",
      timestamp: () => `,"timestamp":"${minaTimestamp()}"`,
      formatters: {
        level: (label) => ({ level: MINA_LEVEL_NAMES[label] ?? label }),
        log: ({ [SOURCE]: source, ...metadata }) => ({
          source: { module: typeof source === "string" ? source : "Test_executive", location: "" },
          metadata: serializable(metadata),
        }),
      },
    },
    typeof options.destination === "object" ? options.destination : pino.destination({ dest: options.destination ?? 1, sync: true }),
  ) as ExecutiveLogger;
}

function serializable(object: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(object, (_key, value: unknown) => {
      if (typeof value === "bigint") return value.toString();
      if (value instanceof Error) return { message: value.message, name: value.name };
      return value;
    }),
  ) as Record<string, unknown>;
}
