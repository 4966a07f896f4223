/**
 * The executive's side of the log pipeline, in its own process so that its CPU can be
 * read from /proc and profiled with `node --cpu-prof`: the FIFO relay (FIFO -> JetStream
 * and the per-node log files) and the event parser (the candidate lines of the relay's
 * batches -> event subjects, in process), wired as the executive wires them unless the
 * bench's --relay-parts says otherwise, through their public entries. In "stream" mode it
 * is a multi-host run's executive side instead: the hosts' relays own the FIFOs, and this
 * process reads their lines back from the stream (`startStreamLogs`) into the parser.
 * Driven by the bench over IPC: "stats", "drain", "stop".
 */
import { minaLineClassifier, startFifoRelay, startStreamLogs } from "@mina-local/bus";
import { inlineEventParser, type InlineEventParser } from "@mina-local/event-parser";
import { BENCH_EVENT_ID_TABLE } from "./run-ids.js";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";

const ConfigSchema = z.object({
  natsUrl: z.string(),
  /** the bus's per-run credentials (a multi-host run's bus) */
  user: z.string().optional(),
  password: z.string().optional(),
  runId: z.string(),
  mode: z.enum(["fifo", "stream"]).default("fifo"),
  fifoPath: z.string().optional(),
  /** the relay writes the per-node log files here (as the executive does) */
  logsDir: z.string().optional(),
  /** the relay's byte scan hands the parser only candidate lines (as the executive does) */
  classify: z.boolean().default(true),
});
const RequestSchema = z.object({ id: z.number(), op: z.enum(["stats", "drain", "stop", "mark"]) });

export type PipelineHostConfig = z.infer<typeof ConfigSchema>;

interface PipelineSide {
  stats(): unknown;
  drain(): Promise<void>;
  /** the final drain: returns what did not finish */
  stop(): Promise<{ stats: unknown; drainErrors: string[] }>;
}

async function fifoSide(config: PipelineHostConfig, nc: NatsConnection, parser: InlineEventParser): Promise<PipelineSide> {
  if (config.fifoPath === undefined) throw new Error("the fifo mode needs fifoPath");
  const gaps: string[] = [];
  const relay = await startFifoRelay({
    fifoPath: config.fifoPath,
    nc,
    runId: config.runId,
    onGap: (gap) => gaps.push(JSON.stringify(gap)),
    onError: (error) => gaps.push(JSON.stringify(error)),
    onBatch: parser.handleBatch,
    ...(config.logsDir !== undefined && { logsDir: config.logsDir }),
    ...(config.classify && { classify: minaLineClassifier() }),
  });
  const stats = () => ({ relay: relay.stats(), parser: parser.stats(), gaps: gaps.slice(0, 20) });
  return {
    stats,
    async drain() {
      await relay.drain({ final: false, timeoutMs: 120_000 });
      await parser.drain();
    },
    async stop() {
      // a drain that times out is reported, and the process still exits normally (so --cpu-prof writes its profile)
      const drainErrors: string[] = [];
      await relay.drain({ final: true, timeoutMs: 60_000 }).catch((error: unknown) => drainErrors.push(`relay: ${String(error)}`));
      await parser.drain().catch((error: unknown) => drainErrors.push(`event parser: ${String(error)}`));
      const last = stats();
      await relay.stop();
      return { stats: last, drainErrors };
    },
  };
}

async function streamSide(config: PipelineHostConfig, nc: NatsConnection, parser: InlineEventParser): Promise<PipelineSide> {
  if (config.logsDir === undefined) throw new Error("the stream mode needs logsDir");
  const errors: string[] = [];
  const stream = await startStreamLogs({ nc, runId: config.runId, logsDir: config.logsDir, onBatch: parser.handleBatch, onLines: () => undefined, onError: (message) => errors.push(message) });
  const stats = () => ({ stream: stream.stats(), parser: parser.stats(), gaps: errors.slice(0, 20) });
  return {
    stats,
    async drain() {
      await stream.drain(120_000);
      await parser.drain();
    },
    async stop() {
      const drainErrors: string[] = [];
      await stream.drain(120_000).catch((error: unknown) => drainErrors.push(`stream: ${String(error)}`));
      await parser.drain().catch((error: unknown) => drainErrors.push(`event parser: ${String(error)}`));
      const last = stats();
      await stream.stop();
      return { stats: last, drainErrors };
    },
  };
}

async function main(): Promise<void> {
  const config = ConfigSchema.parse(JSON.parse(process.env.MINA_LOCAL_BENCH_PIPELINE ?? "{}"));
  const send = (message: unknown) => process.send?.(message);
  const nc = await connect({ servers: config.natsUrl, timeout: 10_000, ...(config.user !== undefined && { user: config.user, pass: config.password ?? "" }) });
  const parser = inlineEventParser({ nc, runId: config.runId, table: BENCH_EVENT_ID_TABLE, logger: { warn: (message) => process.stderr.write(`${message}\n`) } });
  const side = config.mode === "stream" ? await streamSide(config, nc, parser) : await fifoSide(config, nc, parser);

  process.on("message", (raw) => {
    const request = RequestSchema.safeParse(raw);
    if (!request.success) return;
    const { id, op } = request.data;
    const answer = async () => {
      if (op === "mark") {
        // the profiler's clock (monotonic, µs): the bench cuts the profile to the measured window
        send({ id, ok: true, hrtimeUs: Number(process.hrtime.bigint() / 1000n) });
        return;
      }
      if (op === "drain") await side.drain();
      if (op === "stop") {
        const { stats, drainErrors } = await side.stop();
        await nc.drain();
        send({ id, ok: true, stats: { ...(stats as object), drainErrors } });
        // exit normally so that --cpu-prof writes its profile
        setTimeout(() => process.exit(0), 50);
        return;
      }
      send({ id, ok: true, stats: side.stats() });
    };
    answer().catch((error: unknown) => send({ id, ok: false, error: error instanceof Error ? error.message : String(error) }));
  });
  send({ id: 0, ok: true, ready: true, stats: side.stats() });
}

main().catch((error: unknown) => {
  process.stderr.write(`pipeline host: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
