import http from "node:http";

/** Small JSON-over-HTTP helpers on node:http (lighter than fetch/undici, which matters for the idle footprint). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 10_000 });

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function requestJson(method: "GET" | "POST", url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      url,
      {
        method,
        agent,
        timeout: timeoutMs,
        headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((response.statusCode ?? 500) >= 400) {
            reject(new HttpError(`${method} ${url} answered ${response.statusCode}: ${text.slice(0, 300)}`, response.statusCode));
            return;
          }
          try {
            resolve(text ? JSON.parse(text) : null);
          } catch {
            reject(new HttpError(`${method} ${url} answered invalid JSON`));
          }
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new HttpError(`${method} ${url} timed out after ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(payload);
  });
}

export const postJson = (url: string, body: unknown, timeoutMs = 3000) => requestJson("POST", url, body, timeoutMs);
export const getJson = (url: string, timeoutMs = 5000) => requestJson("GET", url, undefined, timeoutMs);

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.destroy();
        reject(new HttpError("request body too large", 413));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** The remote address as an IPv4 string when it is one ("::ffff:10.0.0.5" -> "10.0.0.5"). */
export function remoteHost(request: http.IncomingMessage): string {
  const address = request.socket.remoteAddress ?? "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export function destroyAgent(): void {
  agent.destroy();
}
