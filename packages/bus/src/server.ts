import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection, NodeConnectionOptions } from "@nats-io/transport-node";
import { authorizationConfig, listenOnNetwork } from "./network-listener.js";
import type { BusCredentials, NetworkListener } from "./network-listener.js";

export const NATS_INSTALL_HINT = "install it with `apt-get install nats-server` (Debian/Ubuntu) or set MINA_LOCAL_NATS_SERVER to its path";
/** Debian installs nats-server in /usr/sbin, which many users' PATH lacks. */
const EXTRA_DIRS = ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin"];
/**
 * The largest message the embedded server accepts. A NATS message carries whole lines,
 * and a Mina line can be megabytes (a block's diff); 64 MiB is NATS's own ceiling.
 */
export const NATS_MAX_PAYLOAD = 64 * 1024 * 1024;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The nats-server binary: MINA_LOCAL_NATS_SERVER, else `nats-server` on PATH. */
export function findNatsServer(env: NodeJS.ProcessEnv = process.env, extraDirs: readonly string[] = EXTRA_DIRS): string {
  const configured = env["MINA_LOCAL_NATS_SERVER"];
  if (configured !== undefined && configured !== "") {
    if (isExecutable(configured)) return configured;
    throw new MinaLocalError("nats", `MINA_LOCAL_NATS_SERVER=${configured} is not an executable file`, { hint: NATS_INSTALL_HINT });
  }
  const dirs = [...(env["PATH"] ?? "").split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, "nats-server");
    if (isExecutable(candidate)) return candidate;
  }
  throw new MinaLocalError("nats", `nats-server not found: ${NATS_INSTALL_HINT}`, { hint: NATS_INSTALL_HINT });
}

export interface NatsExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the end of the server's log, to say why */
  stderrTail: string;
}

export interface EmbeddedNats {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  /** with `network`: the bus's URL on that address, for clients on other hosts */
  networkUrl?: string;
  /** with `network`: what every client must present (`connect` presents it) */
  credentials?: BusCredentials;
  connect(options?: Partial<NodeConnectionOptions>): Promise<NatsConnection>;
  /** SIGTERM, then SIGKILL after a grace period; idempotent */
  stop(): Promise<void>;
  /** called when the server dies without stop() (mid-run) */
  onExit(listener: (exit: NatsExit) => void): void;
  readonly running: boolean;
}

export interface StartNatsOptions {
  storeDir: string;
  /** also write the server's log there */
  logFile?: string;
  /** how long to wait for the server to accept a connection (default 10 s) */
  readyTimeoutMs?: number;
  binary?: string;
  /** listen on this port of 127.0.0.1 (default: a free one) */
  port?: number;
  /**
   * A multi-host run's bus: also reachable on `address` (the swarm's advertise address;
   * `port` default: a free one), and every client, loopback ones too, must present
   * `credentials`. Without it (single-host runs) the bus is on loopback only, open.
   */
  network?: { address: string; port?: number; credentials: BusCredentials };
}

async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const TAIL_BYTES = 4096;

/**
 * Starts the run's own nats-server on loopback with a free port and JetStream stored in
 * `storeDir`. The port is found by binding 0; if another process takes it before the
 * server does, it is retried with a new one.
 */
export async function startNatsServer(options: StartNatsOptions): Promise<EmbeddedNats> {
  const binary = options.binary ?? findNatsServer();
  fs.mkdirSync(options.storeDir, { recursive: true });
  const config = path.join(options.storeDir, "nats-server.conf");
  // max_pending: a reader pulls up to one largest message plus what is in flight
  const auth = options.network ? authorizationConfig(options.network.credentials) : "";
  // 0600: with `network` it holds the run's password
  fs.writeFileSync(config, `# written by mina-local\nmax_payload: ${NATS_MAX_PAYLOAD}\nmax_pending: ${4 * NATS_MAX_PAYLOAD}\n${auth}`, { mode: 0o600 });
  fs.chmodSync(config, 0o600);
  if (options.port !== undefined) {
    try {
      return await launch(binary, options.port, config, options);
    } catch (error) {
      if (!(error instanceof PortTakenError)) throw error;
      throw new MinaLocalError("port", `127.0.0.1:${options.port} is taken by another process, so the embedded nats-server cannot listen there`, {
        hint: `choose another port with --nats-port, or leave --nats-port out to use a free one (\`ss -ltnp 'sport = :${options.port}'\` shows who holds it)`,
      });
    }
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await launch(binary, port, config, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw new MinaLocalError("port", `nats-server found each of 3 free ports of 127.0.0.1 taken before it could listen (${String(lastError)})`, {
    where: binary,
    hint: "another program is taking ports as fast as they come free; try again, or pick a port with --nats-port",
  });
}

class PortTakenError extends Error {}

async function launch(binary: string, port: number, config: string, options: StartNatsOptions): Promise<EmbeddedNats> {
  const args = ["-c", config, "-a", "127.0.0.1", "-p", String(port), "-js", "-sd", options.storeDir];
  // detached: its own process group, so the SIGINT a terminal sends to the executive's group
  // (Ctrl-C) does not reach it; the executive stops it after the last drain of the run
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: "a" }) : undefined;
  let tail = "";
  let networkListener: NetworkListener | undefined;
  let ready = false;
  let stopping = false;
  let exited: NatsExit | null = null;
  const exitListeners: Array<(exit: NatsExit) => void> = [];
  const readyWaiters: Array<() => void> = [];
  child.stderr.on("data", (chunk: Buffer) => {
    log?.write(chunk);
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
    if (!ready && tail.includes("Server is ready")) for (const wake of readyWaiters.splice(0)) wake();
  });
  const exitPromise = new Promise<NatsExit>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal, stderrTail: tail };
      log?.end();
      // a dead server's forwarder would accept connections that go nowhere
      void networkListener?.close();
      networkListener = undefined;
      if (ready && !stopping) for (const listener of exitListeners) listener(exited);
      resolve(exited);
    });
    child.once("error", (error) => {
      tail += `\n${error.message}`;
      if (child.pid === undefined) {
        exited = { code: null, signal: null, stderrTail: tail };
        resolve(exited);
      }
    });
  });
  const url = `nats://127.0.0.1:${port}`;
  const what = `${binary} ${args.join(" ")}`;
  const credentials = options.network?.credentials;
  const auth = credentials ? { user: credentials.user, pass: credentials.password } : {};

  const stop = async (): Promise<void> => {
    await networkListener?.close();
    networkListener = undefined;
    if (exited) return;
    stopping = true;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exitPromise;
    clearTimeout(killer);
  };

  try {
    const timeoutMs = options.readyTimeoutMs ?? 10_000;
    const readyLine = new Promise<void>((resolve) => readyWaiters.push(resolve));
    const outcome = await withTimeout(`waiting for ${what} to be ready`, timeoutMs, Promise.race([readyLine.then(() => "ready" as const), exitPromise.then(() => "exited" as const)]), "nats");
    if (outcome === "exited") {
      if (/address already in use/i.test(tail)) throw new PortTakenError(`port ${port} taken`);
      throw new MinaLocalError("nats", `nats-server exited before it was ready (${describeExit(exited)}):\n${tail.trim()}`, { where: what });
    }
    // ready in its log; prove it by a real connection
    const probe = await withTimeout(`connecting to ${url}`, timeoutMs, connect({ servers: url, timeout: timeoutMs, ...auth }), "nats");
    await probe.close();
    ready = true;
  } catch (error) {
    await stop();
    if (error instanceof PortTakenError || (error instanceof MinaLocalError && error.message.includes(what))) throw error;
    throw new MinaLocalError("nats", `nats-server did not become ready: ${error instanceof Error ? error.message : String(error)}\n${tail.trim()}`, { where: what, cause: error });
  }

  if (options.network) {
    try {
      networkListener = await listenOnNetwork(options.network.address, options.network.port ?? 0, { host: "127.0.0.1", port });
    } catch (error) {
      await stop();
      throw error;
    }
  }

  return {
    url,
    port,
    pid: child.pid as number,
    storeDir: options.storeDir,
    ...(networkListener && { networkUrl: `nats://${networkListener.address}:${networkListener.port}` }),
    ...(credentials && { credentials }),
    connect: (connectOptions = {}) => withTimeout(`connecting to ${url}`, 10_000, connect({ servers: url, timeout: 10_000, ...auth, ...connectOptions }), "nats"),
    stop,
    onExit: (listener) => {
      exitListeners.push(listener);
    },
    get running() {
      return exited === null;
    },
  };
}

function describeExit(exit: NatsExit | null): string {
  if (!exit) return "unknown";
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
