import { readFile } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { LOG_LEVELS, type LogLevel } from "@mina-local/engine";
import { genesisNode } from "../block.js";
import { genesisFromRuntimeConfig, type Genesis } from "../genesis.js";
import { minaTimestamp } from "../log.js";
import { EMULATED_MINA_COMMIT, SIM_VERSION } from "../version.js";
import { archiveBlockOf } from "./from-chain.js";
import { addBlock, updateChainStatus, type Sql } from "./store.js";
import { ArchiveMessageSchema, type ArchiveAck } from "./wire.js";

/**
 * `mina-archive run`, answered by the simulator: takes its daemon's blocks (wire.ts) and writes
 * them into PostgreSQL in Mina's schema. Flags as Mina's archive_cli.ml (9f068b1c3b) declares
 * them; `--metrics-port`, `--missing-blocks-width` and `--delete-older-than` are accepted and
 * not simulated. The PostgreSQL client is loaded here only, never by the daemon.
 */
interface ArchiveOptions {
  postgresUri: string;
  serverPort: number;
  configFile?: string;
  logJson: boolean;
  logLevel: LogLevel;
}

const VALUE_FLAGS = new Set(["log-level", "server-port", "metrics-port", "missing-blocks-width", "postgres-uri", "config-file", "delete-older-than"]);
const SWITCHES = new Set(["log-json"]);
/** Mina's `Flag.Uri.Archive.postgres` default */
const DEFAULT_POSTGRES_URI = "postgres://admin:codarules@postgres:5432/archiver";
const POSTGRES_WAIT_MS = 120_000;

export function parseArchiveArgs(argv: readonly string[]): { ok: true; value: ArchiveOptions } | { ok: false; error: string } {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = /^--?([a-z][a-z0-9-]*)$/.exec(argv[i] ?? "")?.[1];
    if (name !== undefined && SWITCHES.has(name)) values.set(name, "true");
    else if (name !== undefined && VALUE_FLAGS.has(name)) {
      const value = argv[i + 1];
      if (value === undefined) return { ok: false, error: `missing argument for flag --${name}` };
      values.set(name, value);
      i++;
    } else return { ok: false, error: `unknown flag ${argv[i]}` };
  }
  const port = Number(values.get("server-port") ?? "3086");
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, error: `failed to parse --server-port value "${values.get("server-port")}"` };
  const levelText = values.get("log-level") ?? "Info";
  const logLevel = LOG_LEVELS.find((l) => l.toLowerCase() === levelText.toLowerCase());
  if (!logLevel) return { ok: false, error: `failed to parse --log-level value "${levelText}": expected one of ${LOG_LEVELS.join(", ")}` };
  const configFile = values.get("config-file");
  return {
    ok: true,
    value: { postgresUri: values.get("postgres-uri") ?? DEFAULT_POSTGRES_URI, serverPort: port, logJson: values.has("log-json"), logLevel, ...(configFile !== undefined && { configFile }) },
  };
}

function archiveLogger(options: ArchiveOptions) {
  const minRank = LOG_LEVELS.indexOf(options.logLevel);
  return (level: LogLevel, message: string, metadata: Record<string, unknown> = {}) => {
    if (LOG_LEVELS.indexOf(level) < minRank) return;
    const line = {
      timestamp: minaTimestamp(BigInt(Date.now()) * 1000n),
      level,
      source: { module: "Archive_lib__Processor", location: 'File "src/app/archive/lib/processor.ml", line 1, characters 0-1' },
      message,
      metadata,
    };
    process.stdout.write(options.logJson ? `${JSON.stringify(line)}\n` : `${line.timestamp} [${level}] ${message}\n`);
  };
}

type Log = ReturnType<typeof archiveLogger>;

async function loadGenesis(file: string): Promise<Genesis> {
  const genesis = genesisFromRuntimeConfig(JSON.parse(await readFile(file, "utf8")), file);
  if (!genesis.ok) throw new Error(genesis.error);
  return genesis.genesis;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runArchive(argv: readonly string[]): Promise<number> {
  const parsed = parseArchiveArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`Error parsing command line:\n\n  ${parsed.error}\n\nFor usage information, run\n\n  mina-archive run -help\n`);
    return 1;
  }
  const options = parsed.value;
  const log = archiveLogger(options);
  const genesis = options.configFile === undefined ? undefined : await loadGenesis(options.configFile);
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: options.postgresUri, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on("error", (error) => log("Error", "PostgreSQL connection error: $error", { error: error.message }));

  // Mina's engine sleeps 15 s for its PostgreSQL; the simulator retries until it answers
  const deadline = Date.now() + POSTGRES_WAIT_MS;
  for (;;) {
    try {
      await pool.query("SELECT 1 FROM blocks LIMIT 1");
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        log("Error", "Failed to create a Caqti pool for Postgresql, see error: $error", {
          error: `${(error as Error).message} (after ${POSTGRES_WAIT_MS / 1000} s, at ${redact(options.postgresUri)})`,
        });
        await pool.end();
        return 1;
      }
      await sleep(1_000);
    }
  }
  log("Info", "Starting archive process; built with commit $commit on branch $branch", { commit: EMULATED_MINA_COMMIT, branch: "mina-local", simulator: SIM_VERSION });

  const store = async (message: unknown, chainStatus: "canonical" | "pending"): Promise<ArchiveAck> => {
    const valid = ArchiveMessageSchema.safeParse(message);
    if (!valid.success) return { ok: false, error: `not an archive block: ${valid.error.issues[0]?.message ?? "invalid"}` };
    const block = valid.data.block;
    log("Info", "Attempting to add block data for $state_hash", { state_hash: block.state_hash });
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const added = await addBlock(client as Sql, block, chainStatus);
      if (added.status === "added" && genesis) await updateChainStatus(client as Sql, added.id, genesis.k);
      await client.query("COMMIT");
      return { ok: true };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      log("Warn", "Block $block could not be archived: $error", { block: block.state_hash, error: (error as Error).message });
      return { ok: false, error: (error as Error).message };
    } finally {
      client.release();
    }
  };

  if (genesis) {
    const ack = await store({ block: archiveBlockOf(genesis, genesisNode(genesis)) }, "canonical");
    if (!ack.ok) {
      log("Fatal", "Could not add the genesis block: $error", { error: ack.error });
      await pool.end();
      return 1;
    }
  }

  const sockets = new Set<Socket>();
  const server = createServer((socket) => serve(socket, (message) => store(message, "pending"), log, sockets));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.serverPort, "0.0.0.0", () => resolve());
    });
  } catch (error) {
    log("Fatal", "Archive server cannot listen on port $port: $error", { port: options.serverPort, error: (error as Error).message });
    await pool.end();
    return 1;
  }
  log("Info", "Archive process ready. Clients can now connect", { port: options.serverPort });

  await new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
  server.close();
  for (const socket of sockets) socket.destroy();
  await pool.end();
  return 0;
}

/** One daemon connection: one line in, one answer out, in order. */
function serve(socket: Socket, store: (message: unknown) => Promise<ArchiveAck>, log: Log, sockets: Set<Socket>): void {
  sockets.add(socket);
  let buffered = "";
  let chain = Promise.resolve();
  socket.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      chain = chain.then(async () => {
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          message = undefined;
        }
        const ack = await store(message);
        if (!socket.destroyed) socket.write(`${JSON.stringify(ack)}\n`);
      });
    }
  });
  socket.on("error", (error) => log("Debug", "Daemon connection error: $error", { error: error.message }));
  socket.on("close", () => sockets.delete(socket));
}

function redact(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
