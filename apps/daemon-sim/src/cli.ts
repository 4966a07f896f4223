import { LOG_LEVELS, parseMina, type LogLevel } from "@mina-local/engine";

/** What `mina daemon <flags>` asks for, after validation. */
export interface DaemonOptions {
  configFile: string;
  configDirectory: string;
  peers: string[];
  seed: boolean;
  libp2pKeypair?: string;
  externalPort: number;
  clientPort: number;
  restPort: number;
  insecureRestServer: boolean;
  blockProducerKey?: string;
  snarkCoordinator?: string;
  /** nanomina */
  snarkWorkerFee: bigint;
  workSelection: "seq" | "rand" | "roffset";
  logJson: boolean;
  logLevel: LogLevel;
  fileLogLevel: LogLevel;
  logPrecomputedBlocks: boolean;
  /** -log-txn-pool-gossip / -log-snark-work-gossip: log the pool diffs heard (Transactions_received, Snark_work_received); off by default as in Mina */
  logTxnPoolGossip: boolean;
  logSnarkWorkGossip: boolean;
  /** -external-ip: the host the daemon's log lines name (Mina's libp2p global metadata) */
  externalIp?: string;
  generateGenesisProof: boolean;
  /** -archive-address <host>:<port>: every block added to the frontier goes to that archive process */
  archiveAddress?: string;
  /** Mina flags accepted but not simulated: reported with a warning at start */
  ignored: string[];
}

export interface SnarkWorkerOptions {
  daemonAddress: { host: string; port: number };
  proofLevel: "full" | "check" | "none";
  shutdownOnDisconnect: boolean;
  logJson: boolean;
  logLevel: LogLevel;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

type FlagKind = "value" | "repeat" | "switch" | "bool";

const DAEMON_FLAGS: Record<string, FlagKind> = {
  "config-file": "repeat",
  "config-directory": "value",
  peer: "repeat",
  seed: "switch",
  "libp2p-keypair": "value",
  "external-port": "value",
  "client-port": "value",
  "rest-port": "value",
  "insecure-rest-server": "switch",
  "block-producer-key": "value",
  "run-snark-coordinator": "value",
  "snark-worker-fee": "value",
  "work-selection": "value",
  "log-json": "switch",
  "log-level": "value",
  "file-log-level": "value",
  "log-precomputed-blocks": "bool",
  "log-txn-pool-gossip": "bool",
  "log-snark-work-gossip": "bool",
  "external-ip": "value",
  "generate-genesis-proof": "bool",
  "archive-address": "value",
};

/** Real daemon flags the simulator accepts without simulating them (a warning names them at start). */
const IGNORED_DAEMON_FLAGS: Record<string, FlagKind> = {
  "metrics-port": "value",
  "libp2p-metrics-port": "value",
  "bind-ip": "value",
  "max-connections": "value",
  "validation-queue-size": "value",
  "direct-peer": "repeat",
  "peer-list-url": "value",
  "peer-list-file": "value",
  "proof-level": "value",
  "precomputed-blocks-file": "value",
  "snark-worker-parallelism": "value",
  "uptime-url": "value",
  "uptime-submitter-key": "value",
  "block-producer-pubkey": "value",
  "block-producer-password": "value",
  "coinbase-receiver": "value",
  "stop-time": "value",
  "working-dir": "value",
  "enable-peer-exchange": "bool",
  "enable-flooding": "bool",
  "isolate-network": "bool",
  "log-block-creation": "bool",
  "upload-blocks-to-gcloud": "bool",
  "node-status-url": "value",
  "node-error-url": "value",
  "itn-keys": "value",
  // newer daemons than 9f068b1c3b: the ids whose lines go to the GraphQL filtered log
  "start-filtered-logs": "repeat",
  "demo-mode": "switch",
  background: "switch",
  "internal-tracing": "switch",
  "no-super-catchup": "switch",
  "disable-node-status": "switch",
};

const WORKER_FLAGS: Record<string, FlagKind> = {
  "daemon-address": "value",
  "proof-level": "value",
  "shutdown-on-disconnect": "bool",
  "log-json": "switch",
  "log-level": "value",
  "conf-dir": "value",
};

/** Jane Street Command's wording, as `mina` prints it. */
export function commandLineError(command: string, problem: string): string {
  return `Error parsing command line:\n\n  ${problem}\n\nFor usage information, run\n\n  ${command} -help\n`;
}

interface RawFlags {
  values: Map<string, string[]>;
  ignored: string[];
}

function readFlags(argv: readonly string[], known: Record<string, FlagKind>, ignorable: Record<string, FlagKind>): Parsed<RawFlags> {
  const values = new Map<string, string[]>();
  const ignored: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const match = /^--?([a-z0-9][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!match) return { ok: false, error: `too many anonymous arguments: ${arg}` };
    const name = match[1] ?? "";
    const kind = known[name] ?? ignorable[name];
    if (!kind) return { ok: false, error: `unknown flag -${name}` };
    let value: string;
    if (kind === "switch") {
      if (match[2] !== undefined) return { ok: false, error: `flag -${name} takes no argument` };
      value = "true";
    } else if (match[2] !== undefined) {
      value = match[2];
    } else {
      const next = argv[i + 1];
      if (next === undefined) return { ok: false, error: `missing argument for flag -${name}` };
      value = next;
      i++;
    }
    if (!known[name]) {
      ignored.push(`-${name}`);
      continue;
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && kind !== "repeat") return { ok: false, error: `flag -${name} passed more than once` };
    list.push(value);
    values.set(name, list);
  }
  return { ok: true, value: { values, ignored } };
}

const first = (flags: RawFlags, name: string) => flags.values.get(name)?.[0];

function port(flags: RawFlags, name: string, fallback: number): Parsed<number> {
  const text = first(flags, name);
  if (text === undefined) return { ok: true, value: fallback };
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 65535) return { ok: false, error: `failed to parse -${name} value "${text}": expected a port number (1-65535)` };
  return { ok: true, value };
}

function level(flags: RawFlags, name: string, fallback: LogLevel): Parsed<LogLevel> {
  const text = first(flags, name);
  if (text === undefined) return { ok: true, value: fallback };
  const found = LOG_LEVELS.find((l) => l.toLowerCase() === text.toLowerCase());
  if (!found) return { ok: false, error: `failed to parse -${name} value "${text}": expected one of ${LOG_LEVELS.join(", ")}` };
  return { ok: true, value: found };
}

function bool(flags: RawFlags, name: string): Parsed<boolean> {
  const text = first(flags, name);
  if (text === undefined) return { ok: true, value: false };
  if (text === "true" || text === "false") return { ok: true, value: text === "true" };
  return { ok: false, error: `failed to parse -${name} value "${text}": expected true or false` };
}

export function parseDaemonArgs(argv: readonly string[]): Parsed<DaemonOptions> {
  const read = readFlags(argv, DAEMON_FLAGS, IGNORED_DAEMON_FLAGS);
  if (!read.ok) return read;
  const flags = read.value;
  const results = {
    externalPort: port(flags, "external-port", 8302),
    clientPort: port(flags, "client-port", 8301),
    restPort: port(flags, "rest-port", 3085),
    logLevel: level(flags, "log-level", "Info"),
    fileLogLevel: level(flags, "file-log-level", "Trace"),
    logPrecomputedBlocks: bool(flags, "log-precomputed-blocks"),
    logTxnPoolGossip: bool(flags, "log-txn-pool-gossip"),
    logSnarkWorkGossip: bool(flags, "log-snark-work-gossip"),
    generateGenesisProof: bool(flags, "generate-genesis-proof"),
  };
  for (const result of Object.values(results)) if (!result.ok) return result;
  const value = <T>(p: Parsed<T>) => (p as { ok: true; value: T }).value;

  const configFiles = flags.values.get("config-file") ?? [];
  if (configFiles.length === 0) return { ok: false, error: "missing required flag -config-file (the simulator needs Mina's runtime config: genesis constants and ledger)" };
  if (configFiles.length > 1) return { ok: false, error: "the simulator reads one -config-file; merge the runtime configs into one file" };

  const feeText = first(flags, "snark-worker-fee");
  const fee = feeText === undefined ? 0n : parseMina(feeText);
  if (fee === undefined) return { ok: false, error: `failed to parse -snark-worker-fee value "${feeText}": expected an amount of MINA such as 0.025` };

  const coordinator = first(flags, "run-snark-coordinator");
  if (coordinator !== undefined && !/^B62[1-9A-HJ-NP-Za-km-z]{52}$/.test(coordinator)) {
    return { ok: false, error: `failed to parse -run-snark-coordinator value "${coordinator}": expected a public key (B62...)` };
  }
  const selection = first(flags, "work-selection") ?? "seq";
  if (selection !== "seq" && selection !== "rand" && selection !== "roffset") {
    return { ok: false, error: `failed to parse -work-selection value "${selection}": expected seq, rand or roffset` };
  }
  const peers = flags.values.get("peer") ?? [];
  for (const peer of peers) {
    if (!parsePeerAddress(peer)) return { ok: false, error: `failed to parse -peer value "${peer}": expected a multiaddr /dns4/<host>/tcp/<port>/p2p/<peer id> or /ip4/<ip>/tcp/<port>/p2p/<peer id>` };
  }
  return {
    ok: true,
    value: {
      configFile: configFiles[0] ?? "",
      configDirectory: first(flags, "config-directory") ?? `${process.env.HOME ?? "/root"}/.mina-config`,
      peers,
      seed: first(flags, "seed") === "true",
      libp2pKeypair: first(flags, "libp2p-keypair"),
      externalPort: value(results.externalPort),
      clientPort: value(results.clientPort),
      restPort: value(results.restPort),
      insecureRestServer: first(flags, "insecure-rest-server") === "true",
      blockProducerKey: first(flags, "block-producer-key"),
      snarkCoordinator: coordinator,
      snarkWorkerFee: fee,
      workSelection: selection,
      logJson: first(flags, "log-json") === "true",
      logLevel: value(results.logLevel),
      fileLogLevel: value(results.fileLogLevel),
      logPrecomputedBlocks: value(results.logPrecomputedBlocks),
      logTxnPoolGossip: value(results.logTxnPoolGossip),
      logSnarkWorkGossip: value(results.logSnarkWorkGossip),
      externalIp: first(flags, "external-ip"),
      generateGenesisProof: value(results.generateGenesisProof),
      ...(first(flags, "archive-address") !== undefined && { archiveAddress: first(flags, "archive-address") }),
      ignored: read.value.ignored,
    },
  };
}

export function parseSnarkWorkerArgs(argv: readonly string[]): Parsed<SnarkWorkerOptions> {
  const read = readFlags(argv, WORKER_FLAGS, {});
  if (!read.ok) return read;
  const flags = read.value;
  const address = first(flags, "daemon-address");
  if (address === undefined) return { ok: false, error: "missing required flag -daemon-address" };
  const match = /^(.+):(\d{1,5})$/.exec(address);
  const portNumber = Number(match?.[2]);
  if (!match || portNumber < 1 || portNumber > 65535) return { ok: false, error: `failed to parse -daemon-address value "${address}": expected <host>:<port>` };
  const proofLevel = first(flags, "proof-level") ?? "full";
  if (proofLevel !== "full" && proofLevel !== "check" && proofLevel !== "none") {
    return { ok: false, error: `failed to parse -proof-level value "${proofLevel}": expected full, check or none` };
  }
  const shutdown = bool(flags, "shutdown-on-disconnect");
  if (!shutdown.ok) return shutdown;
  const logLevel = level(flags, "log-level", "Info");
  if (!logLevel.ok) return logLevel;
  return {
    ok: true,
    value: {
      daemonAddress: { host: match[1] ?? "", port: portNumber },
      proofLevel,
      shutdownOnDisconnect: shutdown.value,
      logJson: first(flags, "log-json") !== "false",
      logLevel: logLevel.value,
    },
  };
}

export interface PeerAddress {
  host: string;
  port: number;
  peerId: string;
}

/** `/dns4/<host>/tcp/<port>/p2p/<id>` or `/ip4/<ip>/tcp/<port>/p2p/<id>` (also /dns and /ip6). */
export function parsePeerAddress(multiaddr: string): PeerAddress | undefined {
  const match = /^\/(dns4|dns|ip4|ip6)\/([^/]+)\/tcp\/(\d{1,5})\/p2p\/([1-9A-HJ-NP-Za-km-z]+)$/.exec(multiaddr);
  if (!match) return undefined;
  const portNumber = Number(match[3]);
  if (portNumber < 1 || portNumber > 65535) return undefined;
  return { host: match[2] ?? "", port: portNumber, peerId: match[4] ?? "" };
}
