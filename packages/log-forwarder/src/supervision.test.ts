import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleForwarder } from "./build.js";
import { FrameDecoder } from "./decoder.js";

const DAEMON = fileURLToPath(new URL("./testing/fake-daemon.mjs", import.meta.url));
// outside the workspace: the bundle must run without any node_modules
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forwarder-sup-"));
const bundle = path.join(dir, "forwarder.cjs");
const fifo = path.join(dir, "logs.fifo");
const processes: ChildProcess[] = [];
let readerSocket: net.Socket;
const linesByNode = new Map<string, string[]>();
const waiters: Array<() => void> = [];

beforeAll(async () => {
  await bundleForwarder({ outFile: bundle });
  execFileSync("mkfifo", [fifo]);
  const decoder = new FrameDecoder();
  readerSocket = new net.Socket({ fd: fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK), readable: true, writable: false });
  readerSocket.on("data", (chunk: Buffer) => {
    const { lines, gaps } = decoder.push(chunk);
    if (gaps.length > 0) throw new Error(`unexpected loss: ${gaps.map((g) => g.message).join("; ")}`);
    for (const { node, line } of lines) {
      const list = linesByNode.get(node) ?? [];
      list.push(line.toString());
      linesByNode.set(node, list);
    }
    for (const wake of waiters.splice(0)) wake();
  });
}, 30_000);

afterAll(async () => {
  // a failed test leaves forwarders running: SIGTERM stops their daemons too; SIGKILL would orphan them
  const running = processes.filter((p) => p.exitCode === null && p.signalCode === null);
  for (const p of running) p.kill("SIGTERM");
  await Promise.race([Promise.all(running.map((p) => new Promise((resolve) => p.once("exit", resolve)))), new Promise((r) => setTimeout(r, 5000))]);
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  for (const lines of linesByNode.values()) {
    for (const line of lines.filter(puppeteer("node_started"))) {
      const pid = (JSON.parse(line) as { metadata: { pid: number } }).metadata.pid;
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // gone, as it should be
      }
    }
  }
  readerSocket?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startForwarder(node: string, options: { port: number; stateDir: string; extra?: string[]; daemonExtra?: string[] }) {
  const socket = path.join(dir, `${node}.sock`);
  const args = [bundle, "--node", node, "--role", "block-producer", "--fifo", fifo, "--socket", socket, "--graphql-port", String(options.port), ...(options.extra ?? [])];
  args.push("--", process.execPath, DAEMON, "-config-directory", options.stateDir, "-rest-port", String(options.port), ...(options.daemonExtra ?? []));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] });
  processes.push(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, socket, exited };
}

/** Waits for a line of `node` matching `test` beyond the first `from` lines; returns its index. */
async function waitForLine(node: string, test: (line: string) => boolean, from = 0, ms = 10_000): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const lines = linesByNode.get(node) ?? [];
    const found = lines.findIndex((line, i) => i >= from && test(line));
    if (found >= 0) return found;
    if (Date.now() > deadline) throw new Error(`no matching line from ${node} within ${ms} ms; got:\n${lines.slice(from).join("\n")}`);
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 100);
    });
  }
}

const puppeteer = (type: string) => (line: string) => line.includes(`"puppeteer_event_type":"${type}"`);

function request(socketPath: string, method: string, urlPath: string, body?: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: urlPath, headers: { "content-type": "application/json" }, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function waitForSocket(socketPath: string): Promise<void> {
  for (let i = 0; i < 100 && !fs.existsSync(socketPath); i++) await new Promise((r) => setTimeout(r, 50));
}

describe("forwarder supervising a daemon (bundled, as a real process)", () => {
  it("starts, filters, stops on SIGUSR1, starts on SIGUSR2, serves control and GraphQL on its socket, and exits cleanly on SIGTERM", async () => {
    const port = await freePort();
    const stateDir = path.join(dir, "state-bp1");
    const forwarder = startForwarder("bp-1", { port, stateDir, extra: ["--filter", '.level != "Debug"', "--stop-grace-ms", "2000"] });
    await waitForSocket(forwarder.socket);

    const started = await waitForLine("bp-1", puppeteer("node_started"));
    await waitForLine("bp-1", (l) => l.includes("graphql listening"));
    // stderr is its own pipe: its line may come after every stdout line written later
    await waitForLine("bp-1", (l) => l === "a line on stderr");
    const lines = linesByNode.get("bp-1") ?? [];
    // the filter drops Debug lines but never an event, and passes what is not JSON
    expect(lines.some((l) => l.includes("a debug line"))).toBe(false);
    expect(lines.some((l) => l.includes("an info line"))).toBe(true);
    expect(lines.some((l) => l.includes('"event_id":"0123456789abcdef"'))).toBe(true);
    expect(lines).toContain("plain text, not JSON");
    expect(lines).toContain("a line on stderr");
    const startedLine = JSON.parse(lines[started] as string) as { source: { module: string }; metadata: { pid: number; fresh_state: boolean } };
    expect(startedLine.source.module).toBe("mina-local.forwarder");
    expect(startedLine.metadata.fresh_state).toBe(false);

    const status = await request(forwarder.socket, "GET", "/mina-local/status");
    expect(status).toEqual({ status: 200, json: { node: "bp-1", running: true, pid: startedLine.metadata.pid, starts: 1, preparation: "none" } });
    const graphql = await request(forwarder.socket, "POST", "/graphql", '{"query":"{ version }"}');
    expect(graphql).toEqual({ status: 200, json: { data: { pid: startedLine.metadata.pid, path: "/graphql", method: "POST" } } });

    // SIGUSR1: stop
    let mark = lines.length;
    forwarder.child.kill("SIGUSR1");
    await waitForLine("bp-1", puppeteer("node_stopped"), mark);
    expect((await request(forwarder.socket, "GET", "/mina-local/status")).json).toMatchObject({ running: false, pid: null, starts: 1 });
    expect(await request(forwarder.socket, "POST", "/graphql", "{}")).toEqual({ status: 503, json: { errors: [{ message: "daemon stopped" }] } });

    // SIGUSR2: start again, state kept
    mark = (linesByNode.get("bp-1") ?? []).length;
    forwarder.child.kill("SIGUSR2");
    await waitForLine("bp-1", puppeteer("node_started"), mark);
    await waitForLine("bp-1", (l) => l.includes("graphql listening"), mark);
    expect((await request(forwarder.socket, "GET", "/mina-local/status")).json).toMatchObject({ running: true, starts: 2 });
    expect(fs.readdirSync(stateDir).filter((f) => f.startsWith("started-"))).toHaveLength(2);

    // control socket: stop, then start with a fresh state
    expect(await request(forwarder.socket, "POST", "/mina-local/stop")).toMatchObject({ status: 200, json: { running: false } });
    fs.writeFileSync(path.join(stateDir, "chain-state"), "old");
    mark = (linesByNode.get("bp-1") ?? []).length;
    const fresh = await request(forwarder.socket, "POST", "/mina-local/start?fresh=1");
    expect(fresh).toMatchObject({ status: 200, json: { running: true, starts: 3 } });
    const freshLine = await waitForLine("bp-1", puppeteer("node_started"), mark);
    expect((linesByNode.get("bp-1") ?? [])[freshLine]).toContain('"fresh_state":true');
    await waitForLine("bp-1", (l) => l.includes("graphql listening"), mark);
    expect(fs.readdirSync(stateDir)).toEqual([`started-${(fresh.json as { pid: number }).pid}`]);
    // a fresh state while running is refused: it would pull the chain from under the daemon
    expect(await request(forwarder.socket, "POST", "/mina-local/start?fresh=1")).toMatchObject({ status: 409 });

    // SIGTERM: the daemon stops, every line (even one without a final newline) is flushed, exit 0
    mark = (linesByNode.get("bp-1") ?? []).length;
    forwarder.child.kill("SIGTERM");
    expect(await forwarder.exited).toBe(0);
    await waitForLine("bp-1", puppeteer("node_offline"), mark);
    const tail = (linesByNode.get("bp-1") ?? []).slice(mark);
    const order = ["goodbye", "no newline at the end", "node_stopped", "node_offline"].map((text) => tail.findIndex((l) => l.includes(text)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(fs.existsSync(forwarder.socket)).toBe(false);
  }, 60_000);

  it("reports a crashing daemon with its exit code, and kills one that ignores SIGTERM after the grace period", async () => {
    const crashing = startForwarder("bp-crash", { port: await freePort(), stateDir: path.join(dir, "state-crash"), daemonExtra: ["-exit-after-ms", "300", "-exit-code", "7"] });
    const crashed = await waitForLine("bp-crash", puppeteer("node_crashed"));
    const crashLine = JSON.parse((linesByNode.get("bp-crash") ?? [])[crashed] as string) as { level: string; metadata: { exit_code: number; signal: null } };
    expect(crashLine.level).toBe("Error");
    expect(crashLine.metadata).toMatchObject({ exit_code: 7, signal: null });
    expect((await request(crashing.socket, "GET", "/mina-local/status")).json).toMatchObject({ running: false });

    const stubborn = startForwarder("bp-stubborn", { port: await freePort(), stateDir: path.join(dir, "state-stubborn"), extra: ["--stop-grace-ms", "300"], daemonExtra: ["-ignore-sigterm"] });
    await waitForLine("bp-stubborn", (l) => l.includes("graphql listening"));
    await waitForSocket(stubborn.socket);
    const stopped = await request(stubborn.socket, "POST", "/mina-local/stop");
    expect(stopped).toMatchObject({ status: 200, json: { running: false } });
    const line = await waitForLine("bp-stubborn", puppeteer("node_stopped"));
    const stoppedLine = JSON.parse((linesByNode.get("bp-stubborn") ?? [])[line] as string) as { level: string; message: string; metadata: Record<string, unknown> };
    // the SIGKILL after the node stop timeout is reported, not silent
    expect(stoppedLine).toMatchObject({ level: "Warn", metadata: { signal: "SIGKILL", killed_after_ms: 300 } });
    expect(stoppedLine.message).toContain("did not stop within $killed_after_ms ms of SIGTERM");

    crashing.child.kill("SIGTERM");
    stubborn.child.kill("SIGTERM");
    expect(await Promise.all([crashing.exited, stubborn.exited])).toEqual([0, 0]);
  }, 30_000);

  it("runs the container preparation before the first start; a failing key import keeps the daemon stopped, with the command's message in its status", async () => {
    const keysDir = path.join(dir, "keys-prep");
    fs.mkdirSync(keysDir, { mode: 0o700 });
    fs.writeFileSync(path.join(keysDir, "bp-prep.key"), "{}", { mode: 0o600 });
    const forwarder = startForwarder("bp-prep", { port: await freePort(), stateDir: path.join(dir, "state-prep"), extra: ["--prepare", "--keys-dir", keysDir] });
    await waitForSocket(forwarder.socket);
    // the daemon command is `node fake-daemon.mjs`, so `node accounts import ...` is what fails here
    const failed = await waitForLine("bp-prep", (l) => l.includes('"step":"import-key"') && l.includes('"level":"Error"'));
    const failedLine = JSON.parse((linesByNode.get("bp-prep") ?? [])[failed] as string) as { metadata: { command: string[]; error: string } };
    expect(failedLine.metadata.command.slice(1)).toEqual(["accounts", "import", "-config-directory", path.join(dir, "state-prep"), "-privkey-path", path.join(keysDir, "bp-prep.key")]);
    const lines = linesByNode.get("bp-prep") ?? [];
    expect(lines.filter((l) => l.includes("Container preparation: ")).map((l) => (JSON.parse(l) as { metadata: { step: string } }).metadata.step)).toEqual([
      "remove-builtin-config",
      "remove-stale-lock",
      "libp2p-keypair",
      "keys-dir-mode",
      "import-key",
    ]);
    let status = await request(forwarder.socket, "GET", "/mina-local/status");
    for (let i = 0; i < 50 && (status.json as { preparation: string }).preparation === "running"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await request(forwarder.socket, "GET", "/mina-local/status");
    }
    expect(status.json).toMatchObject({ running: false, starts: 0, preparation: "failed", setup_error: { step: "import-key", command: failedLine.metadata.command } });
    expect(lines.some(puppeteer("node_started"))).toBe(false);
    const refused = await request(forwarder.socket, "POST", "/mina-local/start");
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.json)).toContain("the container preparation failed");
    forwarder.child.kill("SIGTERM");
    expect(await forwarder.exited).toBe(0);
  }, 30_000);

  it("refuses a bad filter expression, naming the column", () => {
    let output = "";
    try {
      execFileSync(process.execPath, [bundle, "--node", "x", "--role", "seed", "--fifo", fifo, "--socket", path.join(dir, "x.sock"), "--filter", ".level ==", "--", "true"], { stdio: "pipe" });
    } catch (error) {
      const failed = error as { status: number; stderr: Buffer };
      expect(failed.status).toBe(2);
      output = failed.stderr.toString();
    }
    expect(output).toMatch(/--filter: .*column/);
  });
});
