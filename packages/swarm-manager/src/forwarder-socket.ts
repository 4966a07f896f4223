import { request } from "node:http";
import { z } from "zod";
import { MinaLocalError } from "@mina-local/engine";

/** `GET /mina-local/status` of a node's forwarder, served on `<runDir>/shared/sockets/<node>.sock`. */
export const ForwarderStatusSchema = z.object({
  node: z.string(),
  running: z.boolean(),
  pid: z.number().int().nullable().optional(),
  starts: z.number().int().nonnegative(),
  /** Mina's container preparation in the forwarder (absent from forwarders older than it) */
  preparation: z.enum(["none", "running", "done", "failed"]).optional(),
  setup_error: z.object({ step: z.string(), command: z.array(z.string()).optional(), message: z.string() }).optional(),
});
export type ForwarderStatus = z.infer<typeof ForwarderStatusSchema>;

export function forwarderStatus(socketPath: string, timeoutMs = 5_000): Promise<ForwarderStatus> {
  const what = `asking the forwarder on ${socketPath} for its status`;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: "/mina-local/status", method: "GET", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        try {
          if (res.statusCode !== 200) throw new Error(`HTTP ${String(res.statusCode)}: ${body.slice(0, 200)}`);
          resolve(ForwarderStatusSchema.parse(JSON.parse(body)));
        } catch (cause) {
          reject(new MinaLocalError("docker", `${what}: unexpected answer (${cause instanceof Error ? cause.message : String(cause)})`, { cause }));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (cause) => reject(new MinaLocalError("docker", `${what}: ${cause.message}`, { cause })));
    req.end();
  });
}

/** `POST <path>` on a node's forwarder socket (e.g. `/mina-local/start?fresh=1`); resolves on a 2xx answer. */
export function forwarderPost(socketPath: string, path: string, timeoutMs = 10_000): Promise<void> {
  const what = `POST ${path} on the forwarder socket ${socketPath}`;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: "POST", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new MinaLocalError("docker", `${what}: HTTP ${status}: ${body.slice(0, 200)}`));
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (cause) => reject(new MinaLocalError("docker", `${what}: ${cause.message}`, { cause })));
    req.end();
  });
}
