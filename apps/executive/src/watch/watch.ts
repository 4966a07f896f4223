import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { MinaLocalError } from "@mina-local/engine";
import { followRun } from "@mina-local/bus";
import { connect } from "@nats-io/transport-node";
import { readBusRecord, type BusRecord } from "./bus-record.js";
import { watchPrinter, watchSubject, type WatchOptions } from "./watch-view.js";

export interface WatchCommand extends WatchOptions {
  /** a run id in the output directory, or a run directory's path; default: the newest live run */
  run?: string | undefined;
  outputDir: string;
  fromStart: boolean;
}

interface LiveRun {
  runDir: string;
  bus: BusRecord;
}

/** The run to watch: the one named, else the newest run of the output directory that is live. */
export function chooseRun(outputDir: string, run: string | undefined): LiveRun {
  if (run !== undefined) {
    const runDir = isAbsolute(run) || run.includes("/") ? resolve(run) : join(resolve(outputDir), run);
    if (!existsSync(runDir)) throw new MinaLocalError("invalid-arguments", `no run directory ${runDir}`, { hint: `pass a run id of ${resolve(outputDir)} or a run directory's path` });
    const bus = readBusRecord(runDir);
    if (!bus)
      throw new MinaLocalError("invalid-arguments", `run ${runDir} is not running (it has no bus.json)`, {
        hint: `its report is ${join(runDir, "report.html")}, its nodes' logs are in ${join(runDir, "logs")}`,
      });
    return { runDir, bus };
  }
  const root = resolve(outputDir);
  const runs = existsSync(root)
    ? readdirSync(root)
        .filter((name) => !name.startsWith("."))
        .map((name) => join(root, name))
        .filter((dir) => statSync(dir).isDirectory())
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    : [];
  for (const runDir of runs) {
    const bus = readBusRecord(runDir);
    if (bus) return { runDir, bus };
  }
  throw new MinaLocalError("invalid-arguments", `no live run in ${root}`, {
    hint: runs[0]
      ? `the newest run there, ${runs[0]}, has ended: see its report.html; start a run with test_executive local <test>`
      : "start one with `test_executive local <test>` (or pass --output-dir)",
  });
}

/**
 * `test_executive watch`: a live run's lines or events from its bus (never its log files),
 * printed to stdout until the run ends (its nats-server stops) or the user interrupts.
 */
export async function watchRun(command: WatchCommand, signal: AbortSignal, note: (text: string) => void): Promise<void> {
  const { runDir, bus } = chooseRun(command.outputDir, command.run);
  const print = watchPrinter(command);
  const subject = watchSubject(bus.runId, command);
  const nc = await connect({ servers: bus.url, reconnect: false, timeout: 5_000, name: "test_executive watch" }).catch((cause: unknown) => {
    throw new MinaLocalError("nats", `cannot reach the bus of run ${bus.runId} at ${bus.url}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: "the run may have died without its teardown: `test_executive cleanup` removes what it left",
      cause,
    });
  });
  note(`watching ${subject} on ${bus.url} (run ${runDir})${command.fromStart ? ", from the start" : ""}; Ctrl-C to stop`);
  const decoder = new TextDecoder();
  try {
    await followRun(
      {
        nc,
        runId: bus.runId,
        filter: subject,
        fromStart: command.fromStart,
        onMessage: (messageSubject, data) => {
          const text = print(messageSubject, decoder.decode(data));
          if (text !== undefined) process.stdout.write(`${text}\n`);
        },
      },
      signal,
    );
  } finally {
    if (!nc.isClosed()) await nc.close();
  }
  if (signal.aborted) return;
  note(`run ${bus.runId} ended (its bus stopped)${await outcomeOf(runDir)}`);
}

/** The outcome from report.json, which the run writes right after its bus stops (waits up to 30 s). */
async function outcomeOf(runDir: string): Promise<string> {
  const file = join(runDir, "report.json");
  for (let i = 0; i < 60 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 500));
  try {
    const report = JSON.parse(readFileSync(file, "utf8")) as { outcome?: string };
    return `: ${report.outcome ?? "?"}; report: ${join(runDir, "report.html")}`;
  } catch {
    return "";
  }
}
