/**
 * GraphQL over HTTP on loopback while a run is up: one server per node on 127.0.0.1 that
 * forwards every request to the node's forwarder socket in the run directory, so any HTTP
 * client (o1js, curl, a browser tool) reaches a node without a published port. Nothing
 * listens on another interface.
 */
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { MinaLocalError } from "@mina-local/engine";

export const GRAPHQL_PROXY_HOST = "127.0.0.1";

/** The file of a run directory that lists each node's loopback GraphQL URL while the run is up. */
export const GRAPHQL_PORTS_FILE = "graphql-ports.json";

export interface GraphqlProxyTarget {
  node: string;
  socketPath: string;
}

export interface GraphqlProxies {
  /** node name -> its loopback URL, in the order the nodes were given */
  readonly urls: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** What the run directory's graphql-ports.json holds, node by node. */
export type GraphqlPortsFile = Record<string, { port: number; url: string }>;

/** The ports a `--graphql-port-base` asks for: the base, then one up per node, in the config's order. */
export function portsFromBase(base: number, count: number): number[] {
  if (base + count - 1 > 65535)
    throw new MinaLocalError("invalid-arguments", `--graphql-port-base ${base}: ${count} nodes need ports ${base}-${base + count - 1}, past 65535`, { hint: "pick a lower base" });
  return Array.from({ length: count }, (_, i) => base + i);
}

export function graphqlUrl(port: number): string {
  return `http://${GRAPHQL_PROXY_HOST}:${port}/graphql`;
}

/** Starts one proxy per target; `ports` fixes them (same order), otherwise each takes a free port. */
export async function startGraphqlProxies(targets: readonly GraphqlProxyTarget[], ports?: readonly number[]): Promise<GraphqlProxies> {
  const servers: http.Server[] = [];
  const urls = new Map<string, string>();
  try {
    for (const [i, target] of targets.entries()) {
      const server = proxyServer(target);
      servers.push(server);
      const port = await listen(server, ports?.[i] ?? 0, target.node);
      urls.set(target.node, graphqlUrl(port));
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  return { urls, close: () => Promise.all(servers.map(closeServer)).then(() => undefined) };
}

export function writeGraphqlPortsFile(path: string, urls: ReadonlyMap<string, string>): void {
  const file: GraphqlPortsFile = {};
  for (const [node, url] of urls) file[node] = { port: Number(new URL(url).port), url };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

function proxyServer(target: GraphqlProxyTarget): http.Server {
  const server = http.createServer((req, res) => {
    const upstream = http.request({ socketPath: target.socketPath, path: req.url, method: req.method, headers: { ...req.headers, host: "localhost" }, timeout: 120_000 }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("timeout", () => upstream.destroy(new Error("no answer from the node's forwarder in 120 s")));
    upstream.on("error", (error) => {
      if (res.headersSent) return res.destroy();
      const message = `mina-local: node ${target.node}'s GraphQL is unreachable through ${target.socketPath}: ${error.message}`;
      res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message }] }));
    });
    req.pipe(upstream);
  });
  // keep-alive sockets of clients (o1js keeps them) must not hold the teardown
  server.keepAliveTimeout = 1_000;
  return server;
}

function listen(server: http.Server, port: number, node: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new MinaLocalError("port", `could not listen on ${GRAPHQL_PROXY_HOST}:${port} for node ${node}'s GraphQL: ${error.code ?? error.message}`, {
          hint: error.code === "EADDRINUSE" ? "another process holds that port: pick another --graphql-port-base, or leave it out for free ports" : "leave --graphql-port-base out for free ports",
        }),
      ),
    );
    server.listen(port, GRAPHQL_PROXY_HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
