/**
 * The executive's side of the log pipeline, in its own process so that its CPU can be
 * read from /proc and profiled with `node --cpu-prof`: the FIFO relay (FIFO -> JetStream
 * and the per-node log files) and the event parser (the candidate lines of the relay's
 * batches -> event subjects, in process), wired as the executive wires them unless the
 * bench's --relay-parts says otherwise, through their public entries.
 * Driven by the bench over IPC: "stats", "drain", "stop".
 */
import { minaLineClassifier, startFifoRelay } from "@mina-local/bus";
import { inlineEventParser } from "@mina-local/event-parser";
import { BENCH_EVENT_ID_TABLE } from "./run-ids.js";
import { connect } from "@nats-io/transport-node";
import { z } from "zod";

const ConfigSchema = z.object({
  natsUrl: z.string(),
  runId: z.string(),
  fifoPath: z.string(),
  /** the relay writes the per-node log files here (as the executive does) */
  logsDir: z.string().optional(),
  /** the relay's byte scan hands the parser only candidate lines (as the executive does) */
  classify: z.boolean().default(true),
});
const RequestSchema = z.object({ id: z.number(), op: z.enum(["stats", "drain", "stop", "mark"]) });

export type PipelineHostConfig = z.infer<typeof ConfigSchema>;

async function main(): Promise<void> {
  const config = ConfigSchema.parse(JSON.parse(process.env.MINA_LOCAL_BENCH_PIPELINE ?? "{}"));
  const send = (message: unknown) => process.send?.(message);
  const nc = await connect({ servers: config.natsUrl, timeout: 10_000 });
  const gaps: string[] = [];
  const parser = inlineEventParser({ nc, runId: config.runId, table: BENCH_EVENT_ID_TABLE, logger: { warn: (message) => process.stderr.write(`${message}\n`) } });
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
      if (op === "drain") {
        await relay.drain({ final: false, timeoutMs: 120_000 });
        await parser.drain();
      }
      if (op === "stop") {
        // a drain that times out is reported, and the process still exits normally (so --cpu-prof writes its profile)
        const drainErrors: string[] = [];
        await relay.drain({ final: true, timeoutMs: 60_000 }).catch((error: unknown) => drainErrors.push(`relay: ${String(error)}`));
        await parser.drain().catch((error: unknown) => drainErrors.push(`event parser: ${String(error)}`));
        const last = { ...stats(), drainErrors };
        await relay.stop();
        await nc.drain();
        send({ id, ok: true, stats: last });
        // exit normally so that --cpu-prof writes its profile
        setTimeout(() => process.exit(0), 50);
        return;
      }
      send({ id, ok: true, stats: stats() });
    };
    answer().catch((error: unknown) => send({ id, ok: false, error: error instanceof Error ? error.message : String(error) }));
  });
  send({ id: 0, ok: true, ready: true, stats: stats() });
}

main().catch((error: unknown) => {
  process.stderr.write(`pipeline host: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
