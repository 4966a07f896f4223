import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  LOG_LEVELS,
  SIMULATOR_EVENT_ID_TABLE_NAME,
  eventIdTable,
  expandNetworkConfig,
  libp2pKeyFile,
  minaKeyFile,
  parseTestConfig,
  type NetworkConfig,
  type NodeSpec,
  type TestConfigInput,
} from "@mina-local/engine";
import { z } from "zod";
import { bundleDaemonSim } from "../bundle.js";

/** Test helpers: a network of simulator processes on loopback, each with its own ports and state directory. */

/** Mina's line (src/lib/logger/native/logger.ml): `source` and `event_id` absent rather than null. */
export const MinaLogLineSchema = z.strictObject({
  timestamp: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z$/),
  level: z.enum(LOG_LEVELS),
  source: z.strictObject({ module: z.string().min(1), location: z.string().regex(/^File "[^"]+", line \d+, characters \d+-\d+$/) }).optional(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  event_id: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
});
export type ParsedLine = z.infer<typeof MinaLogLineSchema>;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * One place for the tests' bundle, in the package's node_modules/.cache: a directory per test
 * file under /tmp was left behind by every file (a vitest worker runs no exit hook).
 */
const BUNDLE_DIR = fileURLToPath(new URL("../../node_modules/.cache/daemon-sim-test-bundle/", import.meta.url));

let bundlePromise: Promise<string> | undefined;
/** The simulator bundle (built once per test file): the same artifact the image runs. */
export function simulatorBundle(): Promise<string> {
  bundlePromise ??= (async () => {
    // built beside its place and renamed over it: test files of parallel workers build at once,
    // and a simulator already started keeps the file it opened
    const building = join(BUNDLE_DIR, `mina.${process.pid}.${Date.now()}.mjs`);
    const outFile = join(BUNDLE_DIR, "mina.mjs");
    try {
      await bundleDaemonSim({ outFile: building });
      renameSync(building, outFile);
    } finally {
      // a failed build leaves no partial file behind (after the rename this is a no-op)
      rmSync(building, { force: true });
    }
    return outFile;
  })();
  return bundlePromise;
}

export interface SimNode {
  spec: NodeSpec;
  ports: { external: number; client: number; graphql: number };
  stateDir: string;
  keyFile?: string;
  libp2pFile: string;
  process?: ChildProcess;
  lines: ParsedLine[];
  /** every stdout line as printed */
  raw: string[];
  /** lines that were not valid Mina JSON (a test asserts this stays empty) */
  invalidLines: string[];
  exit?: Promise<number | null>;
}

export interface SimNetwork {
  dir: string;
  config: NetworkConfig;
  /** the environment every simulator process gets: the key files' passwords */
  keyEnv: { MINA_PRIVKEY_PASS: string; MINA_LIBP2P_PASS: string };
  runtimeConfigPath: string;
  nodes: Map<string, SimNode>;
  seedAddress: string;
  cleanup(): Promise<void>;
}

export async function createSimNetwork(test: TestConfigInput, options: { genesisOffsetMs?: number } = {}): Promise<SimNetwork> {
  const parsed = parseTestConfig(test);
  if (!parsed.ok) throw parsed.error;
  const config = expandNetworkConfig(parsed.value, { mina: "unused" }, { now: new Date(Date.now() + (options.genesisOffsetMs ?? 0)) });
  const dir = mkdtempSync(join(tmpdir(), "daemon-sim-net-"));
  const runtimeConfigPath = join(dir, "runtime-config.json");
  writeFileSync(runtimeConfigPath, JSON.stringify(config.runtimeConfig, null, 2));
  const nodes = new Map<string, SimNode>();
  for (const spec of config.nodes) {
    const nodeDir = join(dir, spec.name);
    mkdirSync(join(nodeDir, "state"), { recursive: true });
    mkdirSync(join(nodeDir, "keys"), { recursive: true, mode: 0o700 });
    // the key files as the compose generator writes them: Mina secret boxes, opened with the
    // run's password (keyEnv) in MINA_PRIVKEY_PASS / MINA_LIBP2P_PASS
    const libp2pFile = join(nodeDir, "keys", `${spec.name}.libp2p`);
    writeFileSync(libp2pFile, libp2pKeyFile(spec.libp2p, config.keyPassword).key, { mode: 0o600 });
    let keyFile: string | undefined;
    if (spec.account) {
      keyFile = join(nodeDir, "keys", `${spec.name}.key`);
      writeFileSync(keyFile, minaKeyFile(spec.account.keypair, config.keyPassword).key, { mode: 0o600 });
    }
    const ports = { external: await freePort(), client: await freePort(), graphql: await freePort() };
    nodes.set(spec.name, { spec, ports, stateDir: join(nodeDir, "state"), keyFile, libp2pFile, lines: [], raw: [], invalidLines: [] });
  }
  const seed = nodes.get("seed");
  if (!seed) throw new Error("no seed node");
  const seedAddress = `/ip4/127.0.0.1/tcp/${seed.ports.external}/p2p/${seed.spec.libp2p.peerId}`;
  const network: SimNetwork = {
    dir,
    config,
    keyEnv: { MINA_PRIVKEY_PASS: config.keyPassword, MINA_LIBP2P_PASS: config.keyPassword },
    runtimeConfigPath,
    nodes,
    seedAddress,
    async cleanup() {
      await Promise.all([...nodes.values()].map((node) => stopNode(node)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return network;
}

export function daemonArgs(network: SimNetwork, node: SimNode): string[] {
  const args = [
    "daemon",
    "-config-file",
    network.runtimeConfigPath,
    "-config-directory",
    node.stateDir,
    "-external-port",
    String(node.ports.external),
    "-client-port",
    String(node.ports.client),
    "-rest-port",
    String(node.ports.graphql),
    "-log-json",
    // as the executive runs a daemon: stdout at Trace (Applying_diffs and Added_breadcrumb_user_commands are Trace)
    // and the pool gossip logged, as Mina's own engines ask (-log-txn-pool-gossip, -log-snark-work-gossip)
    "-log-level",
    "Trace",
    "-log-txn-pool-gossip",
    "true",
    "-log-snark-work-gossip",
    "true",
    "-libp2p-keypair",
    node.libp2pFile,
  ];
  if (node.spec.role === "seed") args.push("-seed");
  else args.push("-peer", network.seedAddress);
  if (node.keyFile && node.spec.role === "block-producer") args.push("-block-producer-key", node.keyFile);
  if (node.spec.role === "snark-coordinator" && node.spec.account) {
    args.push("-run-snark-coordinator", node.spec.account.keypair.publicKey, "-snark-worker-fee", node.spec.snarkWorkerFee ?? "0.025", "-work-selection", "seq");
  }
  return args;
}

export async function startNode(network: SimNetwork, name: string, extraArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<SimNode> {
  const node = network.nodes.get(name);
  if (!node) throw new Error(`no node ${name}`);
  const bundle = await simulatorBundle();
  let args: string[];
  if (node.spec.role === "snark-worker") {
    const coordinator = network.nodes.get(node.spec.coordinator ?? "");
    if (!coordinator) throw new Error(`no coordinator for ${name}`);
    args = ["internal", "snark-worker", "-daemon-address", `127.0.0.1:${coordinator.ports.client}`, "-proof-level", "none", "-log-json"];
  } else args = daemonArgs(network, node);
  const child = spawn(process.execPath, [...(process.env.SIM_NODE_FLAGS ? process.env.SIM_NODE_FLAGS.split(" ") : []), bundle, ...args, ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...network.keyEnv, ...extraEnv },
  });
  node.process = child;
  let buffer = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!text) continue;
      node.raw.push(text);
      try {
        const parsed = MinaLogLineSchema.safeParse(JSON.parse(text));
        if (parsed.success) node.lines.push(parsed.data);
        else node.invalidLines.push(text);
      } catch {
        node.invalidLines.push(text);
      }
    }
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => node.invalidLines.push(`stderr: ${chunk}`));
  node.exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  return node;
}

export async function stopNode(node: SimNode, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  const child = node.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  try {
    return (await node.exit) ?? null;
  } finally {
    clearTimeout(timer);
    node.process = undefined;
  }
}

/** The table the simulator writes, the one the tests hold its lines against. */
export const SIMULATOR_TABLE = eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME);

/** A node's lines of one of Mina's structured events, by its constructor (e.g. "Block_produced", "Applying_diffs"). */
export function events(node: SimNode, constructor: string): ParsedLine[] {
  const ids = new Set(SIMULATOR_TABLE.rows.filter((row) => row.constructor === constructor).map((row) => row.id));
  if (ids.size === 0) throw new Error(`${constructor} is not an event of the ${SIMULATOR_TABLE.name} table`);
  return node.lines.filter((line) => line.event_id !== undefined && ids.has(line.event_id));
}

export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined | false | Promise<T | undefined | false>, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}

export async function graphqlRequest(node: SimNode, query: string, variables?: Record<string, unknown>): Promise<{ data?: Record<string, unknown> | null; errors?: { message: string }[] }> {
  const response = await fetch(`http://127.0.0.1:${node.ports.graphql}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
}
