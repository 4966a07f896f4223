import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eventIdTable, SIMULATOR_EVENT_ID_TABLE_NAME } from "@mina-local/engine";
import { commandLineError, parseDaemonArgs, parseSnarkWorkerArgs, type DaemonOptions } from "./cli.js";
import { Daemon } from "./daemon.js";
import { genesisFromRuntimeConfig, type Genesis } from "./genesis.js";
import { FilteredLog } from "./filtered-log.js";
import { createGraphqlHandler } from "./graphql.js";
import { loadLibp2pKeypair, loadMinaKeyFile, type MinaKeypair } from "./keys.js";
import { Logger } from "./log.js";
import { LINES } from "./mina-sites.js";
import { runSnarkWorker } from "./snark-worker.js";
import { dumpStructuredEvents } from "./structured-events.js";
import { EMULATED_MINA_COMMIT, SIM_VERSION, SIMULATOR_BRANCH, versionLine } from "./version.js";
import { accountsImportCommand, compileTimeConstantsCommand, libp2pGenerateKeypairCommand } from "./subcommands.js";

const USAGE = `mina (mina-local daemon simulator ${SIM_VERSION}, emulating Mina ${EMULATED_MINA_COMMIT.slice(0, 10)})

  mina daemon -config-file <runtime-config.json> [flags]   run a simulated daemon
  mina internal snark-worker -daemon-address <host:port>    run a simulated snark worker
  mina internal dump-structured-events [-out-file <file>] [-pretty]
                                                            list the structured events the simulator logs
  mina version                                              print the version
  mina advanced compile-time-constants                      print the simulator's profile (JSON)
  mina accounts import -privkey-path <file> [-config-directory <dir>]
  mina libp2p generate-keypair -privkey-path <file>
`;

const SIM_FILE = "main.ts";

/** The `mina` command line. Resolves with the exit code once the process should exit. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "version" || command === "-version" || command === "--version") {
    process.stdout.write(versionLine());
    return 0;
  }
  if (command === "daemon") return runDaemonCommand(rest);
  if (command === "advanced" && rest[0] === "compile-time-constants") return compileTimeConstantsCommand(rest.slice(1));
  if (command === "accounts" && rest[0] === "import") return accountsImportCommand(rest.slice(1));
  if (command === "libp2p" && rest[0] === "generate-keypair") return libp2pGenerateKeypairCommand(rest.slice(1));
  if (command === "internal" && rest[0] === "snark-worker") return runWorkerCommand(rest.slice(1));
  if (command === "internal" && rest[0] === "dump-structured-events") return runDumpCommand(rest.slice(1));
  if (command === undefined || command === "-help" || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  process.stderr.write(commandLineError("mina", `unknown subcommand ${command}`) + `\n${USAGE}`);
  return 1;
}

/** `mina internal dump-structured-events` (mina_cli_entrypoint.ml): compact JSON on stdout, or -pretty, or into -out-file. */
async function runDumpCommand(argv: readonly string[]): Promise<number> {
  let outFile: string | undefined;
  let pretty = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-pretty" || arg === "--pretty") pretty = true;
    else if ((arg === "-out-file" || arg === "--out-file") && argv[i + 1] !== undefined) outFile = argv[++i];
    else {
      process.stderr.write(commandLineError("mina internal dump-structured-events", arg === "-out-file" || arg === "--out-file" ? `missing argument for flag ${arg}` : `unknown flag ${arg}`));
      return 1;
    }
  }
  const text = dumpStructuredEvents(pretty);
  if (outFile) await writeFile(outFile, text);
  else process.stdout.write(text);
  return 0;
}

async function runWorkerCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseSnarkWorkerArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(commandLineError("mina internal snark-worker", parsed.error));
    return 1;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await runSnarkWorker(parsed.value, controller.signal);
  return 0;
}

async function runDaemonCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes("-help") || argv.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseDaemonArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(commandLineError("mina daemon", parsed.error));
    return 1;
  }
  const options = parsed.value;
  const filteredLog = new FilteredLog();
  const logger = new Logger({
    json: options.logJson,
    level: options.logLevel,
    table: eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME),
    capture: filteredLog,
    file: { path: join(options.configDirectory, "mina.log"), level: options.fileLogLevel },
  });
  const fatal = (message: string, metadata: Record<string, unknown> = {}) => {
    logger.sim(SIM_FILE, "Fatal", message, metadata);
    return 1;
  };
  await ensureDirectory(options.configDirectory);
  logger.line(LINES.bootingUp, { commit: EMULATED_MINA_COMMIT, branch: SIMULATOR_BRANCH, commit_date: "2023-09-12T10:49:49+02:00", marlin_commit: "[UNKNOWN]" });
  if (options.ignored.length > 0) {
    // Info, not Warn: a real daemon logs nothing of the kind, and a Warn line is a soft error of the test
    logger.sim(SIM_FILE, "Info", "The daemon simulator accepts but does not simulate $flags", { flags: options.ignored });
  }

  const setup = await loadSetup(options);
  if (!setup.ok) return fatal("$error", { error: setup.error });
  const { genesis, peerId, producerKey } = setup;
  logger.sim(SIM_FILE, "Info", "Loaded the runtime config $file: $accounts genesis accounts, k=$k, slot $slot_ms ms", {
    file: options.configFile,
    accounts: genesis.ledger.size,
    k: genesis.k,
    slot_ms: genesis.blockWindowMs,
    chain_id: genesis.genesisStateHash,
  });
  if (options.generateGenesisProof) logger.sim(SIM_FILE, "Info", "Genesis proof: not generated (the simulator does not prove)", {});
  if (producerKey) logger.sim(SIM_FILE, "Info", "Block producer key loaded: producing blocks for $public_key", { public_key: producerKey.publicKey });
  if (options.snarkCoordinator) {
    logger.sim(SIM_FILE, "Info", "Running a snark coordinator for $public_key with fee $fee (work selection $selection)", {
      public_key: options.snarkCoordinator,
      fee: options.snarkWorkerFee.toString(),
      selection: options.workSelection,
    });
  }

  const daemon = new Daemon(options, genesis, logger, peerId, producerKey);
  let stopping: Promise<void> | undefined;
  const exited = new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.sim(SIM_FILE, "Info", "Received $signal: shutting down", { signal });
      stopping ??= daemon.stop().then(() => resolve(0));
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  try {
    await daemon.start(createGraphqlHandler(daemon, filteredLog));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === "EADDRINUSE" ? " (a port is already in use: choose others with -external-port, -client-port, -rest-port)" : "";
    await daemon.stop();
    return fatal("Daemon failed to start: $error", { error: `${(error as Error).message}${hint}` });
  }
  return exited;
}

type Setup = { ok: true; genesis: Genesis; peerId: string; producerKey: MinaKeypair | undefined } | { ok: false; error: string };

async function loadSetup(options: DaemonOptions): Promise<Setup> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(options.configFile, "utf8"));
  } catch (error) {
    return { ok: false, error: `${options.configFile}: cannot read the runtime config: ${(error as Error).message}` };
  }
  const genesis = genesisFromRuntimeConfig(json, options.configFile);
  if (!genesis.ok) return genesis;

  let peerId: string;
  if (options.libp2pKeypair) {
    const identity = await loadLibp2pKeypair(options.libp2pKeypair);
    if (!identity.ok) return identity;
    peerId = identity.value.peerId;
  } else {
    // Mina generates a fresh identity when none is given
    peerId = `12D3KooWsim${process.pid.toString(36)}${Date.now().toString(36)}`;
  }
  let producerKey: MinaKeypair | undefined;
  if (options.blockProducerKey) {
    const key = await loadMinaKeyFile(options.blockProducerKey);
    if (!key.ok) return key;
    producerKey = key.value;
  }
  return { ok: true, genesis: genesis.genesis, peerId, producerKey };
}

async function ensureDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}
