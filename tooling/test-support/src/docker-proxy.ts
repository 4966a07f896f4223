import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

/**
 * A Docker API in front of the real one, for fault tests that must not disturb the
 * machine's swarm: every request goes through to the real engine except the swarm
 * answers the test overrides. Leaving the real swarm would remove every stack on the
 * machine (a user's live runs included), so "not in a swarm" is shown to the code under
 * test here instead. Point a client at it with `DOCKER_HOST=<proxy.host>`.
 */
export interface SwarmView {
  /** the `Swarm` part of `GET /info` */
  info: { LocalNodeState: string; ControlAvailable: boolean; Error?: string };
  /**
   * how `POST /swarm/init` answers. A success (2xx, with `message` as the node id) makes
   * the swarm "exist": from then on the real engine's (active) swarm shows through.
   */
  init: { status: number; message: string };
}

export interface DockerApiProxy {
  /** `unix:///...`, for DOCKER_HOST */
  host: string;
  /** what the proxy was asked, in order (method and path without the API version) */
  requests: Array<{ method: string; path: string; body: string }>;
  /** from now on, answer swarm questions with the real engine's answers */
  passThrough(): void;
  close(): Promise<void>;
}

const REAL_SOCKET = "/var/run/docker.sock";
const VERSION_PREFIX = /^\/v\d+\.\d+/;

export async function startDockerApiProxy(view: SwarmView, realSocket = REAL_SOCKET): Promise<DockerApiProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-proxy-"));
  const socketPath = path.join(dir, "docker.sock");
  const requests: DockerApiProxy["requests"] = [];
  let overriding = true;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const route = (req.url ?? "/").replace(VERSION_PREFIX, "").split("?")[0] ?? "/";
      requests.push({ method: req.method ?? "GET", path: route, body: body.toString() });
      if (overriding && req.method === "POST" && route === "/swarm/init") {
        const succeeded = view.init.status < 300;
        res.writeHead(view.init.status, { "content-type": "application/json" });
        res.end(JSON.stringify(succeeded ? view.init.message : { message: view.init.message }));
        if (succeeded) overriding = false;
        return;
      }
      const upstream = http.request({ socketPath: realSocket, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const rewrite = overriding && req.method === "GET" && route === "/info" && answer.statusCode === 200;
        if (!rewrite) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          // a stream (the event stream) may send no body for a while: its headers must go now
          res.flushHeaders();
          answer.pipe(res);
          return;
        }
        const parts: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => parts.push(chunk));
        answer.on("end", () => {
          const info = JSON.parse(Buffer.concat(parts).toString()) as { Swarm?: Record<string, unknown> };
          info.Swarm = { ...info.Swarm, ...view.info };
          const text = JSON.stringify(info);
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
          res.end(text);
        });
      });
      upstream.on("error", (error) => {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `docker proxy: ${error.message}` }));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  return {
    host: `unix://${socketPath}`,
    requests,
    passThrough: () => {
      overriding = false;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
