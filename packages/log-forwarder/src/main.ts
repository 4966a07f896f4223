import { LogprocSyntaxError } from "@mina-local/logproc";
import { parseForwarderArgs, stateDirOf } from "./args.js";
import { startControlServer } from "./control.js";
import { compileLineFilter } from "./filter.js";
import type { LineFilter } from "./filter.js";
import { allOf, compileLevelFilter } from "./level-filter.js";
import { forwarderLine } from "./mina-line.js";
import { LinePipeline } from "./pipeline.js";
import { ContainerPreparation } from "./prepare.js";
import { FifoSink } from "./sink.js";
import { DaemonSupervisor } from "./supervisor.js";

/** How long shutdown waits for the FIFO to take the last frames before giving up on them. */
const SHUTDOWN_DRAIN_MS = 10_000;

function say(message: string): void {
  process.stderr.write(`forwarder: ${message}\n`);
}

/**
 * The forwarder's whole life; resolves with the process exit code once it has shut down
 * (on SIGTERM/SIGINT). The container's PID 1.
 */
export async function forwarderMain(argv: readonly string[]): Promise<number> {
  const parsed = parseForwarderArgs(argv);
  if (!parsed.ok) {
    say(parsed.message);
    return 2;
  }
  const args = parsed.value;
  let expression: LineFilter | undefined;
  if (args.filter !== undefined) {
    try {
      expression = compileLineFilter(args.filter);
    } catch (error) {
      if (error instanceof LogprocSyntaxError) {
        say(`--filter: ${error.message}`);
        return 2;
      }
      throw error;
    }
  }
  // the cheap level test first: it drops most of a Trace stream without parsing it
  const filter = allOf([...(args.logLevel ? [compileLevelFilter(args.logLevel)] : []), ...(expression ? [expression] : [])]);

  const sink = new FifoSink({ path: args.fifo, onNotice: say });
  const pipeline = new LinePipeline({ node: args.node, role: args.role, sink, ...(filter ? { filter } : {}) });
  const stateDir = stateDirOf(args.args);
  const preparation = args.prepare
    ? new ContainerPreparation({ node: args.node, mina: args.command, daemonArgs: args.args, keysDir: args.keysDir, stateDir, writeLine: (line) => pipeline.writeOwnLine(line) })
    : undefined;
  const supervisor = new DaemonSupervisor({
    node: args.node,
    command: args.command,
    args: args.args,
    stateDir,
    stopGraceMs: args.stopGraceMs,
    ...(args.shutdownGraceMs !== undefined && { shutdownGraceMs: args.shutdownGraceMs }),
    ...(preparation && { preparation }),
    pipeline,
    sink,
  });
  const control = await startControlServer({ socketPath: args.socket, graphqlPort: args.graphqlPort, target: supervisor });

  const report = (what: string) => (error: unknown) => say(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.on("SIGUSR1", () => void supervisor.stop().catch(report("stop on SIGUSR1")));
  process.on("SIGUSR2", () => void supervisor.start(false).catch(report("start on SIGUSR2")));

  const finished = new Promise<number>((resolve) => {
    let shuttingDown = false;
    const shutdown = (signal: NodeJS.Signals) => {
      if (shuttingDown) return;
      shuttingDown = true;
      void (async () => {
        await supervisor.shutdown().catch(report(`stop on ${signal}`));
        pipeline.writeOwnLine(forwarderLine("node_offline", `forwarder shutting down on ${signal}`, { node: args.node, signal }));
        const drained = await Promise.race([sink.idle().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), SHUTDOWN_DRAIN_MS))]);
        if (!drained) say(`${sink.queued} frame(s) could not be written to ${args.fifo} within ${SHUTDOWN_DRAIN_MS} ms (no reader); they are lost`);
        await control.close();
        sink.close();
        resolve(0);
      })();
    };
    process.on("SIGTERM", shutdown);
    process.on("SIGINT", shutdown);
  });

  // the socket answers during the preparation (its status says "running"), so the host sees its progress and its failure
  const prepared = await supervisor.prepare();
  if (prepared.setup_error) say(`container preparation failed: ${prepared.setup_error.message}`);
  else if (args.autostart) await supervisor.start(false);
  return finished;
}
