import { rmSync } from "node:fs";
import { join } from "node:path";
import { ensureRunStream, minaLineClassifier, startFifoRelay, startNatsServer, type BusCredentials, type EmbeddedNats } from "@mina-local/bus";
import { inlineEventParser } from "@mina-local/event-parser";
import type { NatsConnection } from "@nats-io/transport-node";
import type { RunOwner } from "@mina-local/swarm-manager";
import { removeBusRecord, writeBusRecord } from "../watch/bus-record.js";
import { startBusFeed } from "./bus-feed.js";
import type { PickedTable } from "./event-ids.js";
import type { LocalRun } from "./run-context.js";
import { recordOwner } from "./sweep.js";
import { lagFault } from "./lag-fault.js";
import { startHostLogs, type HostLogs } from "./multi-host/host-logs.js";

export interface LogPipeline {
  nats: EmbeddedNats;
  nc: NatsConnection;
  /** a multi-host run's: the lines from the hosts' relays, and their counters */
  hostLogs?: HostLogs;
}

/** A multi-host run's bus: on this machine's address too, with the run's credentials */
export interface NetworkBus {
  address: string;
  port: number;
  credentials: BusCredentials;
}

/**
 * The run's log pipeline, up before anything is deployed: the embedded nats-server (the
 * bus), the FIFO relay every forwarder writes to, the inline event parser, and the bus feed
 * that turns the bus's events into Network_state. Its teardown drains it after the stack is
 * gone (every forwarder has flushed its last line) and before the readers and nats-server stop.
 */
export async function startLogPipeline(run: LocalRun, input: { picked: PickedTable; owner: RunOwner; natsPort?: number; maxLogLagS: number; network?: NetworkBus }): Promise<LogPipeline> {
  const { runId, runDir, paths, teardown, log, step } = run;
  teardown.add("removing the NATS store", async () => rmSync(join(runDir, "nats"), { recursive: true, force: true }), { removes: true });
  const nats: EmbeddedNats = await step("starting the embedded NATS server", () =>
    startNatsServer({
      storeDir: join(runDir, "nats"),
      logFile: join(runDir, "nats-server.log"),
      ...(input.natsPort && { port: input.natsPort }),
      ...(input.network && { network: input.network }),
    }),
  );
  teardown.add("stopping nats-server", () => nats.stop(), { removes: true });
  log.info({ url: nats.url, ...(nats.networkUrl && { network_url: nats.networkUrl }) }, "The run's bus is at $url");
  // for `test_executive watch`: present exactly while the bus is up
  writeBusRecord(runDir, { url: nats.url, runId, natsPid: nats.pid });
  teardown.add("removing bus.json", async () => removeBusRecord(runDir));
  recordOwner(runDir, input.owner, nats.pid);
  // with nats-server dead (a fault already reported) there is no bus left to drain or close
  const whileBusUp = (work: () => Promise<unknown>) => async () => (nats.running ? work() : undefined);
  nats.onExit((exit) => {
    if (teardown.done) return;
    run.busFaults.push(`nats-server died mid-run (${JSON.stringify(exit)}); the logs up to then are in ${join(runDir, "logs")}`);
    run.abort("nats-server died mid-run");
  });
  const nc: NatsConnection = await nats.connect();
  teardown.add(
    "closing the NATS connection",
    whileBusUp(() => nc.drain()),
  );
  await ensureRunStream(nc, runId);

  // Events are parsed from the relay's batches in this process (the lines cross nats-server
  // once), and only the lines the relay's byte scan cannot rule out are parsed at all; the
  // relay writes logs/<node>.log and feeds the line tail from the same batches.
  const parser = inlineEventParser({ nc, runId, table: input.picked.table, logger: { warn: (message) => log.warn({ message }, "$message") } });
  run.pipeline.parser = parser;
  const utf8 = new TextDecoder();
  if (input.network) {
    // a multi-host run: the hosts' relays own the FIFOs; the lines come back from the stream
    const hostLogs = await startHostLogs(run, { nc, parser, maxLagMs: input.maxLogLagS * 1000 });
    await startFeed(run, nats, nc, () => hostLogs.drain());
    return { nats, nc, hostLogs };
  }
  const relay = await step("opening the log FIFO", () =>
    startFifoRelay({
      onBatch: parser.handleBatch,
      classify: minaLineClassifier(),
      logsDir: join(runDir, "logs"),
      onDelivered: (node, _role, delivered) => {
        for (const line of delivered) run.lines.push(node, utf8.decode(line));
      },
      fifoPath: paths.fifo,
      nc,
      runId,
      onGap: (gap) => log.error({ gap }, "Log lines lost: $gap"),
      onError: (error) => log.error({ kind: error.kind, node: error.node, error: error.message }, "Log pipeline error: $error"),
      maxLagMs: input.maxLogLagS * 1000,
      onLag: lagFault(run),
    }),
  );
  run.pipeline.relay = relay;
  teardown.add("stopping the FIFO relay", () => relay.stop());
  await startFeed(run, nats, nc, async () => void (await relay.drain()));
  return { nats, nc };
}

/** The bus feed (events -> Network_state), and the pipeline's drain at teardown: the lines first, then the parser, then the feed. */
async function startFeed(run: LocalRun, nats: EmbeddedNats, nc: NatsConnection, drainLines: () => Promise<void>): Promise<void> {
  const { runId, teardown, log } = run;
  const parser = run.pipeline.parser;
  const feed = await startBusFeed({ nc, runId, store: run.store, onBadEvent: (reason) => log.warn({ reason }, "Bad event on the bus: $reason") });
  run.pipeline.feed = feed;
  teardown.add("stopping the bus feed", () => feed.stop());
  teardown.add("draining the log pipeline", async () => {
    // with nats-server dead (a fault already reported) there is no bus left to drain
    if (!nats.running) return;
    await drainLines();
    await parser?.drain();
    await feed.drain();
  });
}
