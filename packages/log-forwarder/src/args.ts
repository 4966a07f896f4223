import { parseArgs } from "node:util";
import { z } from "zod";
import { MINA_LOG_LEVELS } from "./level-filter.js";

export const DEFAULT_STATE_DIR = "/root/.mina-config";

export const ForwarderArgsSchema = z.object({
  node: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "a node name: lowercase letters, digits, - and _"),
  role: z.string().regex(/^[a-z][a-z-]{0,62}$/, "a role such as block-producer"),
  fifo: z.string().min(1),
  socket: z.string().min(1),
  graphqlPort: z.coerce.number().int().min(1).max(65535),
  filter: z.string().min(1).optional(),
  /** lines below this level are dropped in the container, structured events excepted */
  logLevel: z.enum(MINA_LOG_LEVELS, { message: `a Mina log level: ${MINA_LOG_LEVELS.join(", ")}` }).optional(),
  autostart: z.boolean(),
  stopGraceMs: z.coerce.number().int().min(0).max(3_600_000),
  shutdownGraceMs: z.coerce.number().int().min(0).max(3_600_000).optional(),
  prepare: z.boolean(),
  keysDir: z.string().min(1),
  command: z.string().min(1, "the daemon command after --"),
  args: z.array(z.string()),
});
export type ForwarderArgs = z.infer<typeof ForwarderArgsSchema>;

export const USAGE =
  "usage: forwarder --node <name> --role <role> --fifo <path> --socket <path> --graphql-port <port> " +
  "[--filter '<logproc expr>'] [--log-level <Mina level>] [--no-autostart] [--stop-grace-ms <ms>] [--shutdown-grace-ms <ms>] [--prepare [--keys-dir <dir>]] " +
  "-- <daemon command> [args...]";

export type ParsedArgs = { ok: true; value: ForwarderArgs } | { ok: false; message: string };

/** Parses the forwarder's command line; pure. */
export function parseForwarderArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        node: { type: "string" },
        role: { type: "string" },
        fifo: { type: "string" },
        socket: { type: "string" },
        "graphql-port": { type: "string", default: "3085" },
        filter: { type: "string" },
        "log-level": { type: "string" },
        "no-autostart": { type: "boolean", default: false },
        "stop-grace-ms": { type: "string", default: "5000" },
        "shutdown-grace-ms": { type: "string" },
        prepare: { type: "boolean", default: false },
        "keys-dir": { type: "string", default: "/mina-local/keys" },
      },
    });
  } catch (error) {
    return { ok: false, message: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
  const [command, ...args] = parsed.positionals;
  const result = ForwarderArgsSchema.safeParse({
    node: parsed.values.node,
    role: parsed.values.role,
    fifo: parsed.values.fifo,
    socket: parsed.values.socket,
    graphqlPort: parsed.values["graphql-port"],
    filter: parsed.values.filter,
    logLevel: parsed.values["log-level"],
    autostart: !parsed.values["no-autostart"],
    stopGraceMs: parsed.values["stop-grace-ms"],
    shutdownGraceMs: parsed.values["shutdown-grace-ms"],
    prepare: parsed.values.prepare,
    keysDir: parsed.values["keys-dir"],
    command: command ?? "",
    args,
  });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; ");
    return { ok: false, message: `invalid forwarder arguments: ${problems}\n${USAGE}` };
  }
  return { ok: true, value: result.data };
}

/** The daemon's state directory, as its own command line says (`-config-directory`), or Mina's default. */
export function stateDirOf(daemonArgs: readonly string[]): string {
  for (let i = 0; i < daemonArgs.length; i++) {
    const arg = daemonArgs[i] as string;
    const match = /^--?config-directory(?:=(.*))?$/.exec(arg);
    if (!match) continue;
    const value = match[1] ?? daemonArgs[i + 1];
    if (value !== undefined && value !== "") return value;
  }
  return DEFAULT_STATE_DIR;
}
