import fs from "node:fs";
import { z } from "zod";
import { MinaLocalError, err, ok } from "@mina-local/engine";
import type { Result } from "@mina-local/engine";

/** Where every node container of a host mounts the host's directory, and the FIFO in it. */
export const HOST_FIFO_PATH = "/mina-local/host/logs.fifo";

export interface HostRelayConfig {
  runId: string;
  /** the swarm host this relay owns the FIFO of (a service sets it from `{{.Node.Hostname}}`) */
  host: string;
  busUrl: string;
  user: string;
  password: string;
  fifoPath: string;
  drainTimeoutMs: number;
  /** how long to keep trying to reach the bus at start */
  connectTimeoutMs: number;
}

const token = z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only");
const Env = z.object({
  MINA_LOCAL_RUN_ID: token,
  MINA_LOCAL_HOST: token,
  MINA_LOCAL_BUS_URL: z.string().regex(/^nats:\/\/[^/\s]+:\d+$/, "nats://<address>:<port>"),
  MINA_LOCAL_BUS_USER: token,
  MINA_LOCAL_BUS_PASSWORD: z.string().min(1).optional(),
  /** a swarm secret's file, preferred: an environment variable shows in `docker service inspect` */
  MINA_LOCAL_BUS_PASSWORD_FILE: z.string().min(1).optional(),
  MINA_LOCAL_FIFO: z.string().startsWith("/").default(HOST_FIFO_PATH),
  MINA_LOCAL_DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  MINA_LOCAL_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
});

/** The relay's configuration from its environment; every problem names the variable. */
export function parseHostRelayEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => fs.readFileSync(p, "utf8")): Result<HostRelayConfig> {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    return err(new MinaLocalError("invalid-config", `the host relay's environment: ${problems}`, { hint: "the multi-host stack sets these on the relay service" }));
  }
  const e = parsed.data;
  let password = e.MINA_LOCAL_BUS_PASSWORD;
  if (e.MINA_LOCAL_BUS_PASSWORD_FILE !== undefined) {
    try {
      password = readFile(e.MINA_LOCAL_BUS_PASSWORD_FILE).trim();
    } catch (cause) {
      return err(new MinaLocalError("invalid-config", `cannot read the bus password from ${e.MINA_LOCAL_BUS_PASSWORD_FILE}`, { where: "MINA_LOCAL_BUS_PASSWORD_FILE", cause }));
    }
  }
  if (password === undefined || password === "") {
    return err(new MinaLocalError("invalid-config", "the host relay has no bus password: set MINA_LOCAL_BUS_PASSWORD_FILE (a swarm secret) or MINA_LOCAL_BUS_PASSWORD", { where: e.MINA_LOCAL_HOST }));
  }
  return ok({
    runId: e.MINA_LOCAL_RUN_ID,
    host: e.MINA_LOCAL_HOST,
    busUrl: e.MINA_LOCAL_BUS_URL,
    user: e.MINA_LOCAL_BUS_USER,
    password,
    fifoPath: e.MINA_LOCAL_FIFO,
    drainTimeoutMs: e.MINA_LOCAL_DRAIN_TIMEOUT_MS,
    connectTimeoutMs: e.MINA_LOCAL_CONNECT_TIMEOUT_MS,
  });
}
