import { resolve } from "node:path";
import { z } from "zod";
import { compileFilter, LogprocSyntaxError } from "@mina-local/logproc";
import { MinaLocalError } from "@mina-local/engine";
import { DEFAULT_DOCKER_LOG_MAX_SIZE } from "@mina-local/compose-generator";

/*
 * Docker's reference grammar: [registry[:port]/]path[:tag][@sha256:digest], path components
 * lowercase alphanumerics joined by one separator ("." "_" "__" or dashes).
 */
const REGISTRY = String.raw`(?:(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?::\d+)?|[A-Za-z0-9-]+:\d+)/`;
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const IMAGE_REFERENCE = new RegExp(String.raw`^(?:${REGISTRY})?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);
const ImageReference = z.string().regex(IMAGE_REFERENCE, { message: "expected a Docker image reference such as minaprotocol/mina-daemon:3.0.0" });

export const DEFAULT_OUTPUT_DIR = ".mina-local/runs";
/** Mina's log levels (src/lib/logger/logger.mli), lowest first: `--log-level` takes one of them. */
export const NODE_LOG_LEVELS = ["Internal", "Spam", "Trace", "Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"] as const;
/** The nodes' lines that reach the bus and logs/<node>.log, as Mina's engines collect them. */
export const DEFAULT_NODE_LOG_LEVEL = "Debug";
export const EXECUTIVE_LOG_LEVELS = ["spam", "debug", "info", "warn", "error"] as const;

/** Mina's level names in any case ("trace", "FAULTY_PEER") -> Mina's spelling; anything else is left for zod to reject. */
const nodeLogLevel = (value: unknown) => (typeof value === "string" ? (NODE_LOG_LEVELS.find((l) => l.toLowerCase() === value.toLowerCase()) ?? value) : value);
/** Seconds a node's line may take from the node to the FIFO reader before the run counts as falling behind. */
export const DEFAULT_MAX_LOG_LAG_S = 15;
/** Seconds a stopped node's daemon gets between SIGTERM and SIGKILL: a real daemon persists its frontier on the way out. */
export const DEFAULT_NODE_STOP_TIMEOUT_S = 600;

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** `--swarm-hosts host-1=unix:///run/h1/docker.sock,host-2=tcp://10.0.0.2:2375`: every host of the swarm by its hostname, with its Docker endpoint */
const SwarmHosts = z
  .string()
  .transform((value, ctx) => {
    const hosts: Array<{ name: string; endpoint: string }> = [];
    for (const part of value
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = part.indexOf("=");
      const name = part.slice(0, at);
      const endpoint = part.slice(at + 1);
      if (at <= 0 || !HOST_NAME.test(name) || !/^(unix:\/\/\/.+|tcp:\/\/[^:/]+:\d+\/?)$/.test(endpoint)) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not <host>=<docker endpoint> (e.g. host-2=unix:///run/host-2/docker.sock or host-2=tcp://10.0.0.2:2375)` });
        return z.NEVER;
      }
      if (hosts.some((h) => h.name === name)) {
        ctx.addIssue({ code: "custom", message: `host ${name} is named twice` });
        return z.NEVER;
      }
      hosts.push({ name, endpoint });
    }
    if (hosts.length === 0) {
      ctx.addIssue({ code: "custom", message: "expected at least one <host>=<docker endpoint>" });
      return z.NEVER;
    }
    return hosts;
  })
  .optional();
/** `--place node-a=host-2` (repeatable, or comma-separated): pins a node to a host */
const Placement = z
  .array(z.string())
  .transform((values, ctx) => {
    const placement: Record<string, string> = {};
    for (const part of values
      .flatMap((v) => v.split(","))
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [node, host, extra] = part.split("=");
      if (!node || !host || extra !== undefined || !HOST_NAME.test(host)) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not <node>=<host> (e.g. node-a=host-2)` });
        return z.NEVER;
      }
      placement[node] = host;
    }
    return placement;
  })
  .default({});

/** `test_executive local` options, validated before anything is deployed. */
export const LocalOptionsSchema = z.object({
  minaImage: ImageReference.optional(),
  archiveImage: ImageReference.optional(),
  postgresImage: ImageReference.optional(),
  debug: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  outputDir: z
    .string()
    .min(1)
    .default(DEFAULT_OUTPUT_DIR)
    .transform((dir) => resolve(dir)),
  dockerLogMaxSize: z
    .string()
    .regex(/^[1-9]\d*[kmg]$/, { message: 'expected a size such as "10m" (k, m or g)' })
    .default(DEFAULT_DOCKER_LOG_MAX_SIZE),
  logFilter: z
    .string()
    .optional()
    .superRefine((expr, ctx) => {
      if (expr === undefined) return;
      try {
        compileFilter(expr);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof LogprocSyntaxError ? error.message : String(error) });
      }
    }),
  /** nodes' lines below this level are dropped in the container; structured events always pass */
  logLevel: z.preprocess(nodeLogLevel, z.enum(NODE_LOG_LEVELS, { message: `expected one of Mina's log levels: ${NODE_LOG_LEVELS.join(", ")}` })).default(DEFAULT_NODE_LOG_LEVEL),
  /** the executive's own JSON log on stdout */
  executiveLogLevel: z.enum(EXECUTIVE_LOG_LEVELS, { message: `expected one of ${EXECUTIVE_LOG_LEVELS.join(", ")}` }).default("debug"),
  /** --event-ids <file>: the event-id table to read the nodes' logs with, instead of the one picked from the image */
  eventIds: z
    .string()
    .min(1, { message: "expected a file path" })
    .transform((file) => resolve(file))
    .optional(),
  /** node log errors decide the outcome (Mina's executive only reports them) */
  failOnLogErrors: z.boolean().default(false),
  natsPort: z.coerce
    .number({ message: "expected a port number" })
    .int({ message: "expected a port number" })
    .min(1, { message: "expected a port from 1 to 65535" })
    .max(65535, { message: "expected a port from 1 to 65535" })
    .optional(),
  graphqlPortBase: z.coerce
    .number({ message: "expected a port number" })
    .int({ message: "expected a port number" })
    .min(1024, { message: "expected a port from 1024 to 65535" })
    .max(65535, { message: "expected a port from 1024 to 65535" })
    .optional(),
  nodeStopTimeout: z.coerce
    .number({ message: "expected a number of seconds" })
    .int({ message: "expected a whole number of seconds" })
    .min(1, { message: "expected at least 1 second" })
    .max(3600)
    .default(DEFAULT_NODE_STOP_TIMEOUT_S),
  maxLogLag: z.coerce.number({ message: "expected a number of seconds" }).positive({ message: "expected a number of seconds above 0" }).max(3600).default(DEFAULT_MAX_LOG_LAG_S),
  /** a multi-host run: the swarm's hosts (DOCKER_HOST is a manager of that swarm) */
  swarmHosts: SwarmHosts,
  /** the address of this machine the swarm's hosts reach its bus at */
  busAddress: z.ipv4({ message: "expected an IPv4 address of this machine that the swarm's hosts can reach" }).optional(),
  /** nodes pinned to hosts (the swarm node label mina-local.host); the others are the swarm's choice */
  place: Placement,
});

export type LocalOptions = z.output<typeof LocalOptionsSchema>;

const FLAG_OF: Record<string, string> = {
  minaImage: "--mina-image",
  archiveImage: "--archive-image",
  postgresImage: "--postgres-image",
  debug: "--debug",
  dryRun: "--dry-run",
  outputDir: "--output-dir",
  dockerLogMaxSize: "--docker-log-max-size",
  logFilter: "--log-filter",
  logLevel: "--log-level",
  executiveLogLevel: "--executive-log-level",
  eventIds: "--event-ids",
  failOnLogErrors: "--fail-on-log-errors",
  maxLogLag: "--max-log-lag",
  natsPort: "--nats-port",
  graphqlPortBase: "--graphql-port-base",
  nodeStopTimeout: "--node-stop-timeout",
  swarmHosts: "--swarm-hosts",
  busAddress: "--bus-address",
  place: "--place",
};

export function parseLocalOptions(raw: Record<string, unknown>): LocalOptions {
  const parsed = LocalOptionsSchema.safeParse(raw);
  if (parsed.success) {
    const o = parsed.data;
    const problem =
      o.swarmHosts && o.busAddress === undefined
        ? "--bus-address: a multi-host run (--swarm-hosts) needs the address of this machine its hosts reach the bus at"
        : !o.swarmHosts && o.busAddress !== undefined
          ? "--bus-address: only a multi-host run (--swarm-hosts) listens beyond loopback"
          : !o.swarmHosts && Object.keys(o.place).length > 0
            ? "--place: nodes are placed on hosts only in a multi-host run (--swarm-hosts)"
            : o.swarmHosts && Object.values(o.place).find((h) => !o.swarmHosts?.some((s) => s.name === h))
              ? `--place: host ${Object.values(o.place).find((h) => !o.swarmHosts?.some((s) => s.name === h))} is not one of --swarm-hosts (${o.swarmHosts.map((s) => s.name).join(", ")})`
              : undefined;
    if (problem) throw new MinaLocalError("invalid-arguments", problem, { hint: "see `test_executive local --help`" });
    return o;
  }
  const lines = parsed.error.issues.map((issue) => `${FLAG_OF[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
  throw new MinaLocalError("invalid-arguments", lines.join("\n"), { hint: "see `test_executive local --help`" });
}
