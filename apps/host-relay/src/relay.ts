import { MinaLocalError, withTimeout } from "@mina-local/engine";
import path from "node:path";
import { relayDrainSubject, serveNodeRequests, startFifoRelay } from "@mina-local/bus";
import type { FifoRelay, RelayStats } from "@mina-local/bus";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/transport-node";
import type { HostRelayConfig } from "./config.js";

export interface HostRelayLog {
  (level: "Info" | "Warn" | "Error", message: string, metadata?: Record<string, unknown>): void;
}

export interface RunningHostRelay {
  /** resolves when the relay has stopped: after `stop()`, or when the bus is gone for good */
  done: Promise<RelayStats>;
  /** the final drain (everything written into the FIFO before it), then closes; idempotent */
  stop(): Promise<RelayStats>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reaches the executive's bus with the run's credentials. Refused credentials end it at
 * once; an unreachable bus is tried again until `connectTimeoutMs` (the executive may
 * start listening just after the service starts).
 */
export async function connectToBus(config: HostRelayConfig): Promise<NatsConnection> {
  const deadline = Date.now() + config.connectTimeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await connect({ servers: config.busUrl, user: config.user, pass: config.password, timeout: 5_000, maxReconnectAttempts: -1, reconnectTimeWait: 500, name: `host-relay ${config.host}` });
    } catch (error) {
      last = error;
      const message = error instanceof Error ? error.message : String(error);
      if (/authori[sz]ation/i.test(message)) {
        throw new MinaLocalError("nats", `the relay of ${config.host} was refused by the bus at ${config.busUrl}: wrong credentials (${message})`, {
          where: config.host,
          hint: "the relay's MINA_LOCAL_BUS_USER and password must be the run's; are they from another run?",
        });
      }
    }
    if (Date.now() > deadline) {
      throw new MinaLocalError(
        "nats",
        `the relay of ${config.host} cannot reach the bus at ${config.busUrl} after ${config.connectTimeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`,
        {
          where: config.host,
          hint: "is the executive's bus listening on the swarm's advertise address, and can this host route to it?",
        },
      );
    }
    await sleep(500);
  }
}

/**
 * One host's relay: the bus's FIFO relay (same framing, sequence numbers, gap counting and
 * ledger as the executive's) on this host's FIFO, publishing over the network. It answers
 * drain requests on `relayDrainSubject(run, host)` with its counters, so the executive
 * can count every host before it reads the totals.
 */
export async function startHostRelay(config: HostRelayConfig, log: HostRelayLog): Promise<RunningHostRelay> {
  const nc = await connectToBus(config);
  let relay: FifoRelay;
  try {
    relay = await startFifoRelay({
      fifoPath: config.fifoPath,
      nc,
      runId: config.runId,
      host: config.host,
      onGap: (gap) => log("Warn", `frames lost in the FIFO of ${config.host}`, { ...gap }),
      onError: (error) => log("Error", `relay fault on ${config.host}: ${error.message}`, { ...error }),
    });
  } catch (error) {
    await nc.close();
    throw error;
  }
  log("Info", `relaying ${config.fifoPath} of ${config.host} to ${config.busUrl}`, { run: config.runId });

  // the executive reaches this host's nodes (GraphQL, start, stop) through their forwarder sockets, here
  const socketsDir = path.join(path.dirname(config.fifoPath), "sockets");
  const nodeRequests = await serveNodeRequests({ nc, runId: config.runId, host: config.host, socketsDir, onError: (message) => log("Warn", message) });

  const drains = nc.subscribe(relayDrainSubject(config.runId, config.host));
  // once started, a drain request must find the relay: the server has the subscription
  await withTimeout(`subscribing ${config.host}'s relay to drain requests`, 10_000, nc.flush(), "nats");
  void (async () => {
    for await (const request of drains) {
      try {
        const stats = await relay.drain({ final: false, timeoutMs: config.drainTimeoutMs });
        request.respond(JSON.stringify({ host: config.host, ok: true, stats }));
      } catch (error) {
        request.respond(JSON.stringify({ host: config.host, ok: false, error: error instanceof Error ? error.message : String(error) }));
      }
    }
  })();

  let stopping: Promise<RelayStats> | undefined;
  let resolveDone!: (stats: RelayStats) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<RelayStats>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined);

  const stop = (): Promise<RelayStats> => {
    stopping ??= (async () => {
      try {
        drains.unsubscribe();
        nodeRequests.stop();
        const stats = await relay.drain({ final: true, timeoutMs: config.drainTimeoutMs });
        await relay.stop();
        await withTimeout(`closing ${config.host}'s bus connection`, 10_000, nc.drain(), "nats");
        log("Info", `drained the FIFO of ${config.host}`, { linesReceived: stats.linesReceived, linesLost: stats.linesLost, framesLost: stats.framesLost });
        resolveDone(stats);
        return stats;
      } catch (error) {
        await relay.stop();
        await nc.close().catch(() => undefined);
        rejectDone(error);
        throw error;
      }
    })();
    return stopping;
  };

  // the connection closing for good (not by stop) is a pipeline fault naming the host
  void nc.closed().then((error) => {
    if (stopping) return;
    void relay.stop();
    rejectDone(new MinaLocalError("nats", `the relay of ${config.host} lost the bus at ${config.busUrl}${error ? `: ${error.message}` : ""}`, { where: config.host }));
  });
  return { done, stop };
}
