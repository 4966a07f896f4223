import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { portsFromBase, startGraphqlProxies, writeGraphqlPortsFile, type GraphqlProxies } from "./graphql-proxy.js";

const dir = mkdtempSync(join(tmpdir(), "graphql-proxy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stand-in for a node's forwarder socket: echoes what it got, answers 503 on /stopped. */
async function forwarderSocket(name: string): Promise<string> {
  const socketPath = join(dir, `${name}.sock`);
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url === "/stopped") return res.writeHead(503, { "content-type": "text/plain" }).end("daemon stopped");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { node: name, method: req.method, url: req.url, body, contentType: req.headers["content-type"] } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return socketPath;
}

async function proxies(targets: { node: string; socketPath: string }[], ports?: number[]): Promise<GraphqlProxies> {
  const started = await startGraphqlProxies(targets, ports);
  cleanups.push(() => started.close());
  return started;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the loopback GraphQL proxies", () => {
  it("forward each node's requests to its socket and its answers back, on 127.0.0.1 only", async () => {
    const started = await proxies([
      { node: "seed", socketPath: await forwarderSocket("seed") },
      { node: "bp-1", socketPath: await forwarderSocket("bp-1") },
    ]);
    expect([...started.urls.keys()]).toEqual(["seed", "bp-1"]);
    for (const [node, url] of started.urls) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ version }"}' });
      expect(await answer.json()).toEqual({ data: { node, method: "POST", url: "/graphql", body: '{"query":"{ version }"}', contentType: "application/json" } });
    }
    const port = new URL(started.urls.get("seed") as string).port;
    await expect(fetch(`http://[::1]:${port}/graphql`)).rejects.toThrow();
  });

  it("passes the forwarder's 503 (daemon stopped) through, and answers 502 naming the node when the socket is gone", async () => {
    const started = await proxies([
      { node: "up", socketPath: await forwarderSocket("up") },
      { node: "gone", socketPath: join(dir, "missing.sock") },
    ]);
    const stopped = await fetch(new URL("/stopped", started.urls.get("up")));
    expect(stopped.status).toBe(503);
    const gone = await fetch(started.urls.get("gone") as string, { method: "POST", body: "{}" });
    expect(gone.status).toBe(502);
    const body = (await gone.json()) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toMatch(/^mina-local: node gone's GraphQL is unreachable through .*missing\.sock: .*ENOENT/);
  });

  it("takes the ports --graphql-port-base fixes, and names the port another process holds", async () => {
    const base = await freePort();
    const started = await proxies([{ node: "seed", socketPath: await forwarderSocket("fixed") }], portsFromBase(base, 1));
    expect(started.urls.get("seed")).toBe(`http://127.0.0.1:${base}/graphql`);
    await expect(startGraphqlProxies([{ node: "again", socketPath: join(dir, "x.sock") }], [base])).rejects.toThrow(`could not listen on 127.0.0.1:${base} for node again's GraphQL: EADDRINUSE`);
    expect(() => portsFromBase(65535, 2)).toThrow("2 nodes need ports 65535-65536, past 65535");
  });

  it("writes the run directory's graphql-ports.json", () => {
    const path = join(dir, "graphql-ports.json");
    writeGraphqlPortsFile(path, new Map([["seed", "http://127.0.0.1:4100/graphql"]]));
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ seed: { port: 4100, url: "http://127.0.0.1:4100/graphql" } });
  });
});
