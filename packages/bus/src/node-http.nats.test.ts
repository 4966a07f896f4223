import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { bridgeNodeSockets, serveNodeRequests } from "./node-http.js";
import { newBusCredentials } from "./network-listener.js";
import { nodeRequestFilter } from "./subjects.js";
import { startNatsServer } from "./server.js";
import type { EmbeddedNats } from "./server.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bus-node-http-"));
const servers: EmbeddedNats[] = [];
const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await Promise.all(servers.map((s) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in forwarder socket: echoes what it got, as JSON. */
async function fakeForwarder(socketPath: string, node: string): Promise<void> {
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const text = JSON.stringify({ node, method: req.method, url: req.url, body, type: req.headers["content-type"] });
      res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json", "x-node": node });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

function ask(socketPath: string, method: string, urlPath: string, body = ""): Promise<{ status: number; json: Record<string, unknown>; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: urlPath, method, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown>, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("a node's forwarder socket across hosts (needs nats-server)", () => {
  it("carries requests to the host that has the node's socket, and names the node none has", async () => {
    const credentials = newBusCredentials();
    const bus = await startNatsServer({ storeDir: path.join(dir, "nats"), network: { address: "127.0.0.2", credentials } });
    servers.push(bus);
    // two hosts, each its own sockets dir and its own bus connection (as each host's relay)
    const hostDirs = { "host-1": path.join(dir, "h1"), "host-2": path.join(dir, "h2") };
    await fakeForwarder(path.join(hostDirs["host-1"], "seed.sock"), "seed");
    await fakeForwarder(path.join(hostDirs["host-2"], "node-a.sock"), "node-a");
    for (const [host, socketsDir] of Object.entries(hostDirs)) {
      const nc = await connect({ servers: bus.networkUrl as string, user: credentials.user, pass: credentials.password });
      const served = await serveNodeRequests({ nc, runId: "r1", host, socketsDir });
      closers.push(async () => {
        served.stop();
        await nc.close();
      });
    }
    const executive = await bus.connect();
    closers.push(() => executive.close());
    const socketOf = (node: string) => path.join(dir, "executive", `${node}.sock`);
    const bridge = await bridgeNodeSockets({ nc: executive, runId: "r1", nodes: ["seed", "node-a", "node-b"], socketOf, timeoutMs: 2_000 });
    closers.push(() => bridge.close());

    const seed = await ask(socketOf("seed"), "POST", "/graphql", '{"query":"{ syncStatus }"}');
    expect(seed.status).toBe(200);
    expect(seed.json).toEqual({ node: "seed", method: "POST", url: "/graphql", body: '{"query":"{ syncStatus }"}', type: "application/json" });
    expect(seed.headers["x-node"]).toBe("seed");
    expect(bridge.hostOf("seed")).toBe("host-1");

    const a = await ask(socketOf("node-a"), "POST", "/mina-local/stop");
    expect(a.json).toMatchObject({ node: "node-a", url: "/mina-local/stop" });
    expect(bridge.hostOf("node-a")).toBe("host-2");
    expect((await ask(socketOf("node-a"), "GET", "/missing")).status).toBe(404);

    // no host has node-b's socket: a GraphQL-shaped error naming the node, not a hang
    const b = await ask(socketOf("node-b"), "GET", "/mina-local/status");
    expect(b.status).toBe(502);
    expect(JSON.stringify(b.json)).toMatch(/no host's relay answered a request to node node-b/);
  }, 30_000);

  it("fails a request still waiting for a host at once when the run is aborted, naming why", async () => {
    const bus = await startNatsServer({ storeDir: path.join(dir, "nats-abort") });
    servers.push(bus);
    const executive = await bus.connect();
    closers.push(() => executive.close());
    // a host's relay that has no socket of node-a: it stays silent, so the request waits
    const silent = executive.subscribe(nodeRequestFilter("r2"));
    closers.push(() => silent.unsubscribe());
    const socketOf = (node: string) => path.join(dir, "executive-abort", `${node}.sock`);
    const abort = new AbortController();
    const bridge = await bridgeNodeSockets({ nc: executive, runId: "r2", nodes: ["node-a"], socketOf, signal: abort.signal });
    closers.push(() => bridge.close());
    const started = Date.now();
    const pending = ask(socketOf("node-a"), "POST", "/mina-local/start");
    setTimeout(() => abort.abort("the log relay of host-2 stopped mid-run"), 300);
    const answer = await pending;
    expect(answer.status).toBe(502);
    expect(JSON.stringify(answer.json)).toMatch(/the run was aborted: the log relay of host-2 stopped mid-run/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
