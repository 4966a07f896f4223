import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { z } from "zod";
import { MinaLocalError, withTimeout } from "@mina-local/engine";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { nodeRequestFilter, nodeRequestSubject, parseNodeRequestSubject } from "./subjects.js";

/*
 * A node's forwarder socket across hosts: in a multi-host run the executive cannot reach a
 * socket on another host, so it serves a socket of its own for each node (where the
 * single-host run has the forwarder's) and carries each HTTP request over the bus
 * (request-reply on the node's subject) to the relay of the node's host, which sends it to
 * the forwarder's socket there. No port of a node is published; GraphQL, start, stop and
 * status go this way.
 */

const NodeRequest = z.object({ method: z.string(), path: z.string(), headers: z.record(z.string(), z.string()), body: z.string(), timeoutMs: z.number().int().positive() });
type NodeRequest = z.infer<typeof NodeRequest>;
const NodeReply = z.union([z.object({ status: z.number().int(), headers: z.record(z.string(), z.string()), body: z.string(), host: z.string() }), z.object({ error: z.string(), host: z.string() })]);
type NodeReply = z.infer<typeof NodeReply>;

/** the longest a carried request may take (a node stop waits for the daemon: `--node-stop-timeout`, up to an hour) */
const MAX_REQUEST_MS = 3_700_000;

/**
 * How long a carried request waits for a host to answer, by what it asks: a status is
 * polled (while no host has the node's socket yet, none answers), GraphQL is bounded by the
 * forwarder's own proxy timeout (120 s), a stop by the daemon's shutdown.
 */
export function nodeRequestTimeoutMs(urlPath: string): number {
  if (urlPath.startsWith("/mina-local/status")) return 5_000;
  if (urlPath.startsWith("/mina-local/stop")) return MAX_REQUEST_MS - 5_000;
  return 130_000;
}

const flatHeaders = (headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : String(v)]])));

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
  });
}

/** One request on a forwarder's socket on this host. */
function askSocket(socketPath: string, request: NodeRequest): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const { host: _host, "content-length": _length, ...headers } = request.headers;
    const body = Buffer.from(request.body, "base64");
    const req = http.request({ socketPath, path: request.path, method: request.method, headers: { ...headers, "content-length": String(body.length) }, timeout: request.timeoutMs }, (res) => {
      readBody(res).then((answer) => resolve({ status: res.statusCode ?? 502, headers: flatHeaders(res.headers), body: answer }), reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

export interface NodeRequestServer {
  /** nodes whose requests it answered at least once */
  served(): string[];
  stop(): void;
}

/**
 * A host's side (its relay): answers the requests of the nodes whose forwarder sockets are
 * in `socketsDir` on this host, and stays silent on the others (another host's relay has
 * them), so the executive needs to know no placement to reach a node.
 */
export async function serveNodeRequests(options: { nc: NatsConnection; runId: string; host: string; socketsDir: string; onError?: (message: string) => void }): Promise<NodeRequestServer> {
  const { nc, runId, host, socketsDir } = options;
  const sub: Subscription = nc.subscribe(nodeRequestFilter(runId));
  await withTimeout(`subscribing ${host}'s relay to node requests`, 10_000, nc.flush(), "nats");
  const served = new Set<string>();
  void (async () => {
    for await (const message of sub) {
      const node = parseNodeRequestSubject(message.subject);
      if (node === undefined) continue;
      const socketPath = path.join(socketsDir, `${node}.sock`);
      if (!fs.existsSync(socketPath)) continue;
      served.add(node);
      void (async () => {
        let reply: NodeReply;
        try {
          const request = NodeRequest.parse(message.json());
          const answer = await askSocket(socketPath, request);
          reply = { status: answer.status, headers: answer.headers, body: answer.body.toString("base64"), host };
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          options.onError?.(`a request to node ${node}'s forwarder on ${host} failed: ${why}`);
          reply = { error: `the forwarder of node ${node} on ${host} did not answer: ${why}`, host };
        }
        message.respond(JSON.stringify(reply));
      })();
    }
  })();
  return { served: () => [...served], stop: () => sub.unsubscribe() };
}

/** Sends one HTTP request to a node's forwarder over the bus; rejects naming the node when no host answers. */
export async function requestNode(nc: NatsConnection, runId: string, node: string, request: NodeRequest): Promise<{ status: number; headers: Record<string, string>; body: Buffer; host: string }> {
  let answer;
  try {
    answer = await nc.request(nodeRequestSubject(runId, node), JSON.stringify(request), { timeout: Math.min(request.timeoutMs + 5_000, MAX_REQUEST_MS) });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new MinaLocalError("nats", `no host's relay answered a request to node ${node} (${request.method} ${request.path}): ${why}`, {
      where: `node ${node}`,
      hint: "the node's container may not run (yet), or the relay of its host lost the bus: see `docker service ps` on the swarm's manager",
      cause,
    });
  }
  const reply = NodeReply.parse(answer.json());
  if ("error" in reply) throw new MinaLocalError("docker", reply.error, { where: `node ${node} on ${reply.host}` });
  return { status: reply.status, headers: reply.headers, body: Buffer.from(reply.body, "base64"), host: reply.host };
}

export interface NodeSocketBridge {
  /** the host whose relay last answered for each node */
  hostOf(node: string): string | undefined;
  close(): Promise<void>;
}

/**
 * The executive's side: a unix socket per node at `socketOf(node)`, speaking HTTP as the
 * forwarder's does, each request carried over the bus. Everything that talks to a node's
 * socket (the GraphQL client, the loopback GraphQL proxies, start/stop, the forwarder wait)
 * works unchanged.
 */
export async function bridgeNodeSockets(options: {
  nc: NatsConnection;
  runId: string;
  nodes: readonly string[];
  socketOf: (node: string) => string;
  timeoutMs?: number;
  /** once aborted (the run failed), every request waiting for a host, and every later one, fails at once with its reason */
  signal?: AbortSignal;
}): Promise<NodeSocketBridge> {
  const { nc, runId, signal } = options;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new MinaLocalError("setup", `the run was aborted: ${String(signal?.reason)}`));
    if (signal?.aborted) fail();
    else signal?.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => undefined);
  const hosts = new Map<string, string>();
  const servers: http.Server[] = [];
  const close = async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };
  try {
    for (const node of options.nodes) {
      const socketPath = options.socketOf(node);
      const server = http.createServer((req, res) => {
        void (async () => {
          try {
            const body = await readBody(req);
            const answer = await Promise.race([
              requestNode(nc, runId, node, {
                method: req.method ?? "GET",
                path: req.url ?? "/",
                headers: flatHeaders(req.headers),
                body: body.toString("base64"),
                timeoutMs: options.timeoutMs ?? nodeRequestTimeoutMs(req.url ?? "/"),
              }),
              aborted,
            ]);
            hosts.set(node, answer.host);
            const { "content-length": _length, "transfer-encoding": _encoding, connection: _connection, ...headers } = answer.headers;
            res.writeHead(answer.status, { ...headers, "content-length": String(answer.body.length) });
            res.end(answer.body);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (res.headersSent) return void res.destroy();
            const text = JSON.stringify({ errors: [{ message }] });
            res.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
            res.end(text);
          }
        })();
      });
      fs.rmSync(socketPath, { force: true });
      fs.mkdirSync(path.dirname(socketPath), { recursive: true });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(socketPath, () => {
          server.off("error", reject);
          resolve();
        });
      });
      servers.push(server);
    }
  } catch (error) {
    await close();
    throw new MinaLocalError("setup", `cannot serve the nodes' sockets in the run directory: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { hostOf: (node) => hosts.get(node), close };
}
