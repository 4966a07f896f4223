import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { DaemonStatus } from "./supervisor.js";

export interface ControlTarget {
  status(): DaemonStatus;
  start(fresh: boolean): Promise<DaemonStatus>;
  stop(): Promise<DaemonStatus>;
}

export interface ControlServerOptions {
  socketPath: string;
  graphqlPort: number;
  target: ControlTarget;
  /** how long a proxied request may take (default 120 s) */
  proxyTimeoutMs?: number;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function graphqlError(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { errors: [{ message }] });
}

/**
 * The node's control socket: start/stop/status under /mina-local/, and every other
 * request proxied to the daemon's GraphQL port inside the container, so the host reaches
 * GraphQL through the socket and no port is published.
 */
export async function startControlServer(options: ControlServerOptions): Promise<{ close(): Promise<void> }> {
  const { target } = options;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://forwarder");
    if (url.pathname.startsWith("/mina-local/")) {
      void control(url, req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) sendJson(res, 409, { error: message, status: target.status() });
        else res.destroy();
      });
      return;
    }
    proxy(req, res);
  });

  async function control(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    req.resume();
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "GET /mina-local/status":
        return sendJson(res, 200, target.status());
      case "POST /mina-local/start": {
        const fresh = ["1", "true", "yes"].includes(url.searchParams.get("fresh") ?? "");
        return sendJson(res, 200, await target.start(fresh));
      }
      case "POST /mina-local/stop":
        return sendJson(res, 200, await target.stop());
      default:
        return sendJson(res, 404, { error: `no route ${route}; use GET /mina-local/status, POST /mina-local/start[?fresh=1], POST /mina-local/stop` });
    }
  }

  function proxy(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!target.status().running) {
      req.resume();
      return graphqlError(res, 503, "daemon stopped");
    }
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: options.graphqlPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${options.graphqlPort}` },
        timeout: options.proxyTimeoutMs ?? 120_000,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("timeout", () => upstream.destroy(new Error(`no answer within ${options.proxyTimeoutMs ?? 120_000} ms`)));
    upstream.on("error", (error) => {
      if (res.headersSent) return void res.destroy();
      graphqlError(res, 502, `daemon not reachable on 127.0.0.1:${options.graphqlPort}: ${error.message}`);
    });
    req.pipe(upstream);
  }

  // a socket file left by an earlier forwarder of this node would make listen() fail
  fs.rmSync(options.socketPath, { force: true });
  fs.mkdirSync(path.dirname(options.socketPath), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // the host side may run as another user than the container's root
  fs.chmodSync(options.socketPath, 0o666);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
