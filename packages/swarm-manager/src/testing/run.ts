// Test support for the Docker tests (not exported from index.ts; buildTestImage is, through testing/index.ts).
import { constants, openSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { composeFromNetwork, writeRunDirectory, type RunFiles } from "@mina-local/compose-generator";
import { MinaLocalError, expandNetworkConfig, newRunId, parseTestConfig, type NetworkConfig } from "@mina-local/engine";
import { buildScratchImage } from "@mina-local/image-builder";
import { bundleForwarder } from "@mina-local/log-forwarder/build";
import { currentOwner } from "../owner.js";

/**
 * A stand-in Mina daemon: JSON log lines, HTTP on 3085, exits on SIGTERM. Like Mina's
 * daemon, which starts helper processes (libp2p_helper, Rpc_parallel workers), it leaves
 * a process behind: a launcher starts a detached helper and exits, so the helper is
 * orphaned and re-parented to the container's PID 1; it exits after 6 s.
 */
const FAKE_DAEMON = `#!/usr/bin/node
// the container preparation's subcommands (mina accounts import, mina libp2p generate-keypair) succeed at once
if (process.argv[2] === "accounts" || process.argv[2] === "libp2p") { process.stdout.write("done\\n"); process.exit(0); }
const http = require("node:http");
const { spawn } = require("node:child_process");
const launcher = "require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 6000)', 'orphaned-helper'], { detached: true, stdio: 'ignore' }).unref()";
spawn(process.execPath, ["-e", launcher], { stdio: "ignore" });
const log = (message) => process.stdout.write(JSON.stringify({ timestamp: new Date().toISOString(), level: "Info", source: { module: "Fake_daemon", location: "test" }, message, metadata: { argv: process.argv.slice(2) } }) + "\\n");
log("daemon started");
const timer = setInterval(() => log("tick"), 500);
const server = http.createServer((req, res) => { res.setHeader("content-type", "application/json"); res.end(JSON.stringify({ data: { ok: true } })); }).listen(3085);
process.on("SIGTERM", () => { log("daemon stopping"); clearInterval(timer); server.close(); process.exit(0); });
`;

export interface TestImageOptions {
  /** the stand-in daemon's script, installed as /usr/local/bin/mina (default: FAKE_DAEMON above) */
  daemon?: string;
  /** the image's mina-local.test label: which tests built it */
  label?: string;
}

/**
 * Builds a FROM-scratch test image: Node runtime, the real forwarder bundle as
 * /mina-local/forwarder, a stand-in daemon as /usr/local/bin/mina (the one every Docker
 * test image of the workspace uses: exported through @mina-local/swarm-manager/testing).
 */
export async function buildTestImage(tag: string, options: TestImageOptions = {}): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "swarm-manager-image-"));
  try {
    const { outFile } = await bundleForwarder({ outFile: join(work, "forwarder.cjs") });
    const bundle = await readFile(outFile, "utf8");
    await buildScratchImage({
      tag,
      files: [
        { path: "/mina-local/forwarder", content: `#!/usr/bin/node\n${bundle}`, mode: 0o755 },
        { path: "/usr/local/bin/mina", content: options.daemon ?? FAKE_DAEMON, mode: 0o755 },
      ],
      env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
      labels: { "mina-local.test": options.label ?? "swarm-manager" },
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface TestRun {
  runId: string;
  network: NetworkConfig;
  files: RunFiles;
  /** holds the FIFO open for reading and drains it, as the bus does */
  fifoReader: Socket;
  parent: string;
}

export async function prepareRun(image: string, blockProducers: string[]): Promise<TestRun> {
  const runId = newRunId(undefined, "smt");
  const config = parseTestConfig({
    genesis_ledger: blockProducers.map((name) => ({ account_name: name, balance: "1000" })),
    block_producers: blockProducers.map((name) => ({ node_name: name, account_name: name })),
  });
  if (!config.ok) throw config.error;
  const network = expandNetworkConfig(config.value, { mina: image });
  const parent = await mkdtemp(join(tmpdir(), "swarm-manager-run-"));
  const runDir = join(parent, runId);
  const compose = composeFromNetwork(network, { runId, runDir, owner: currentOwner() });
  const files = await writeRunDirectory(network, compose, runDir);
  execFileSync("mkfifo", ["-m", "0600", files.fifo]);
  const fd = openSync(files.fifo, constants.O_RDWR | constants.O_NONBLOCK);
  const fifoReader = new Socket({ fd, readable: true, writable: false });
  fifoReader.resume();
  return { runId, network, files, fifoReader, parent };
}

export async function disposeRun(run: TestRun | undefined): Promise<void> {
  if (!run) return;
  run.fifoReader.destroy();
  await rm(run.parent, { recursive: true, force: true });
}

/** A Docker error with the hint a user needs (how to install/start Docker) in its message. */
export function withHint(error: unknown): Error {
  if (error instanceof MinaLocalError && error.hint) return new Error(`${error.message}\n${error.hint}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
