import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLibp2pKeyFile, openMinaKeyFile } from "@mina-local/engine";
import { SwarmManager } from "@mina-local/swarm-manager";
import type Docker from "dockerode";
import { EXIT_CODES } from "./report/model.js";
import { NOTHING_LEFT, appDir, leftovers, onlyRunDir, requireRunPrerequisites, runIdOf } from "./testing/cli-run.js";
import { commandOf, listeningSocketsOf, processTree } from "./testing/exposure-sockets.js";

/**
 * Issue 10, "Exposure": while `test_executive local send-payment --debug` keeps its network
 * up, nothing of the run listens off loopback or publishes a port, the run directory and
 * the key files are private, and nothing the executive prints holds a private key.
 */

const DEBUG_PAUSE = /--debug: the network stays up until you press Enter/;
const outputDir = mkdtempSync(join(tmpdir(), "exposure-"));
let docker: Docker;
let child: ChildProcessWithoutNullStreams | undefined;
let stdout = "";
let stderr = "";
let exited: Promise<number | null>;
let runId = "";
let runDir = "";
/** every private key of the run, by the file it came from */
const privateKeys = new Map<string, string>();

function waitFor(what: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (pattern.test(stderr)) {
        clearInterval(poll);
        resolve();
      } else if (child?.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`${what}: not seen after ${Date.now() - started} ms (exit code ${String(child?.exitCode)})\n${stderr.slice(-3000)}`));
      }
    }, 100);
  });
}

/**
 * The key files are Mina secret boxes: open each with the password its node's service gets
 * (the compose file's MINA_PRIVKEY_PASS / MINA_LIBP2P_PASS), so the check is on the real
 * private keys (base58 "EK..." and the libp2p ed25519 seed, base64).
 */
function readPrivateKeys(runDir: string): void {
  const keysDir = join(runDir, "keys");
  const compose = JSON.parse(readFileSync(join(runDir, "docker-compose.json"), "utf8")) as { services: Record<string, { environment: Record<string, string> }> };
  for (const node of readdirSync(keysDir)) {
    const environment = compose.services[node]?.environment ?? {};
    for (const file of readdirSync(join(keysDir, node))) {
      const path = join(keysDir, node, file);
      if (file.endsWith(".key")) privateKeys.set(path, openMinaKeyFile(readFileSync(path, "utf8"), environment.MINA_PRIVKEY_PASS ?? "", { where: path }).privateKey);
      if (file.endsWith(".libp2p")) privateKeys.set(path, openLibp2pKeyFile(readFileSync(path, "utf8"), environment.MINA_LIBP2P_PASS ?? "", { where: path }).privateKey);
    }
  }
}

beforeAll(async () => {
  docker = await requireRunPrerequisites();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MINA_IMAGE;
  const bin = join(appDir, "bin", "test_executive.js");
  child = spawn(process.execPath, [bin, "local", "send-payment", "--debug", "--output-dir", outputDir], { cwd: appDir, stdio: ["pipe", "pipe", "pipe"], env });
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const running = child;
  exited = new Promise((resolve) => running.on("exit", (code) => resolve(code)));
  await waitFor("the --debug pause", DEBUG_PAUSE, 240_000);
  runId = runIdOf(stdout);
  runDir = onlyRunDir(outputDir);
  readPrivateKeys(runDir);
}, 260_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.stdin.end("\n");
    const timer = setTimeout(() => child?.kill("SIGINT"), 60_000);
    await exited;
    clearTimeout(timer);
  }
  if (runId) {
    const swarm = await SwarmManager.connect().catch(() => undefined);
    await swarm?.cleanup({ runId, isOwnerAlive: () => false }).catch((error: unknown) => console.error(error));
  }
  rmSync(outputDir, { recursive: true, force: true });
}, 120_000);

describe("test_executive local send-payment --debug, while the network is up", () => {
  it("has nothing of the executive's process tree (nats-server included) listening off loopback", () => {
    const tree = processTree(child?.pid as number);
    expect(
      tree.map(commandOf).some((c) => c.includes("nats-server") && c.includes(runId)),
      `no nats-server of run ${runId} among ${tree.map(commandOf).join(" | ")}`,
    ).toBe(true);
    const sockets = listeningSocketsOf(tree);
    // the embedded nats-server listens: the check sees real sockets
    expect(sockets.some((s) => s.command.includes("nats-server"))).toBe(true);
    expect(sockets.filter((s) => !s.loopback)).toEqual([]);
  });

  it("serves each node's GraphQL on 127.0.0.1 only, at the ports the run directory lists and --debug printed", async () => {
    const ports = JSON.parse(readFileSync(join(runDir, "graphql-ports.json"), "utf8")) as Record<string, { port: number; url: string }>;
    const compose = JSON.parse(readFileSync(join(runDir, "docker-compose.json"), "utf8")) as { services: Record<string, unknown> };
    expect(Object.keys(ports).sort()).toEqual(Object.keys(compose.services).sort());
    const sockets = listeningSocketsOf(processTree(child?.pid as number));
    for (const [node, { port, url }] of Object.entries(ports)) {
      expect(stderr).toContain(url);
      const listening = sockets.filter((s) => s.port === port);
      expect({ node, listening: listening.map((s) => s.loopback) }).toEqual({ node, listening: [true] });
      const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ syncStatus }" }) });
      expect({ node, status: answer.status, body: (await answer.json()) as unknown }).toEqual({ node, status: 200, body: { data: { syncStatus: "SYNCED" } } });
    }
  });

  it("publishes no port of any of the run's services or containers", async () => {
    const filters = JSON.stringify({ label: [`mina-local.run=${runId}`] });
    const services = await docker.listServices({ filters });
    expect(services.length).toBeGreaterThanOrEqual(3);
    for (const service of services) {
      expect({ service: service.Spec?.Name, ports: service.Endpoint?.Ports ?? [] }).toEqual({ service: service.Spec?.Name, ports: [] });
      expect({ service: service.Spec?.Name, ports: service.Spec?.EndpointSpec?.Ports ?? [] }).toEqual({ service: service.Spec?.Name, ports: [] });
    }
    const containers = await docker.listContainers({ filters });
    expect(containers.length).toBe(services.length);
    for (const container of containers)
      expect({ container: container.Names, published: container.Ports.filter((p) => p.PublicPort !== undefined) }).toEqual({ container: container.Names, published: [] });
  });

  it("keeps the run directory private (0700) and every key file 0600 in a 0700 directory", () => {
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(runDir)).toBe("700");
    const keysDir = join(runDir, "keys");
    const nodes = readdirSync(keysDir);
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    for (const node of nodes) {
      expect({ dir: node, mode: mode(join(keysDir, node)) }).toEqual({ dir: node, mode: "700" });
      for (const file of readdirSync(join(keysDir, node)).filter((f) => f.endsWith(".key") || f.endsWith(".libp2p"))) {
        expect({ file: `${node}/${file}`, mode: mode(join(keysDir, node, file)) }).toEqual({ file: `${node}/${file}`, mode: "600" });
      }
    }
    expect([...privateKeys.keys()].filter((p) => p.endsWith(".key")).length).toBeGreaterThanOrEqual(2);
    expect([...privateKeys.keys()].filter((p) => p.endsWith(".libp2p")).length).toBe(nodes.length);
  });
});

describe("test_executive local send-payment --debug, after Enter", () => {
  it("tears down and exits 0 once Enter is pressed", async () => {
    child?.stdin.end("\n");
    const code = await exited;
    expect(code, stderr.slice(-3000)).toBe(EXIT_CODES.passed);
  }, 120_000);

  it("never printed a private key of the run on stdout or stderr", () => {
    expect(stdout.length).toBeGreaterThan(1000);
    expect(privateKeys.size).toBeGreaterThan(0);
    for (const [file, key] of privateKeys) {
      expect(key.length).toBeGreaterThan(20);
      const leaks = [stdout.includes(key) && "stdout", stderr.includes(key) && "stderr", stdout.includes(key.slice(0, 20)) && "stdout (a prefix)"].filter(Boolean);
      expect(leaks, `the private key of ${file}`).toEqual([]);
    }
  });

  it("leaves nothing of the run behind", async () => {
    expect(await leftovers(docker, runId, runDir)).toEqual(NOTHING_LEFT);
    // the GraphQL ports closed with the run, and the file that listed them went with them
    expect(existsSync(join(runDir, "graphql-ports.json"))).toBe(false);
  });
});
