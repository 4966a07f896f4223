import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { Command } from "commander";
import { EVENT_ID_TABLES, MinaLocalError, eventIdTable, parseEventIdTableFile } from "@mina-local/engine";
import type { EventIdTable } from "@mina-local/engine";
import { readDaemonLog } from "@mina-local/event-parser";
import type { LogSummary } from "@mina-local/event-parser";
import { EXIT_CODES } from "./report/model.js";

/*
 * `test_executive events <file | ->`: a post-mortem reader for a daemon's log (a real mina.log,
 * a run's logs/<node>.log, journalctl output, or stdin). One JSON object per event Mina's
 * executive would derive goes to stdout; the summary, and which event-id table was used and why,
 * go to stderr. Exit 0 unless the input (or the --event-ids file) cannot be read.
 */

export interface EventsOptions {
  eventIds?: string;
  table?: string;
}

export interface EventsIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** Runs the command; resolves with the exit code. */
export async function runEventsCommand(file: string, options: EventsOptions, io: EventsIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`);
  const unreadable = (error: unknown): number => {
    const hint = error instanceof MinaLocalError && error.hint ? `\nwhat to do: ${error.hint}` : "";
    say(`test_executive events: ${error instanceof Error ? error.message : String(error)}${hint}`);
    return EXIT_CODES["invalid-arguments"];
  };

  let table: EventIdTable | undefined;
  let tableReason: string | undefined;
  try {
    if (options.eventIds !== undefined && options.table !== undefined) throw new MinaLocalError("invalid-arguments", "--event-ids and --table both name a table: give one");
    if (options.eventIds !== undefined) {
      const text = await readFile(options.eventIds, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new MinaLocalError("invalid-arguments", `cannot read the --event-ids file: ${error.code ?? error.message}`, { where: options.eventIds });
      });
      table = parseEventIdTableFile(text, options.eventIds);
      tableReason = `--event-ids ${options.eventIds}`;
    } else if (options.table !== undefined) {
      table = eventIdTable(options.table);
      tableReason = `--table ${options.table}`;
    }
  } catch (error) {
    return unreadable(error);
  }

  let input: Readable;
  if (file === "-") {
    input = io.stdin;
  } else {
    try {
      const info = await stat(file);
      if (info.isDirectory())
        throw new MinaLocalError("invalid-arguments", "is a directory, not a log file", {
          where: file,
          hint: "give a daemon's log file, e.g. <run dir>/logs/<node>.log or ~/.mina-config/mina.log, or - to read stdin",
        });
    } catch (error) {
      if (error instanceof MinaLocalError) return unreadable(error);
      const code = (error as NodeJS.ErrnoException).code;
      return unreadable(new MinaLocalError("invalid-arguments", `cannot read: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`, { where: file }));
    }
    input = createReadStream(file);
  }

  let outputClosed = false;
  io.stdout.on("error", () => {
    // the reader went away (e.g. `| head`): stop writing, keep counting for the summary
    outputClosed = true;
  });
  try {
    const summary = await readDaemonLog(input, {
      ...(table && { table }),
      ...(tableReason && { tableReason }),
      onEvent: (record) => {
        if (!outputClosed) io.stdout.write(`${JSON.stringify(record)}\n`);
      },
    });
    say(renderSummary(file === "-" ? "stdin" : file, summary));
    return EXIT_CODES.passed;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return unreadable(new MinaLocalError("invalid-arguments", `reading failed: ${code ?? (error instanceof Error ? error.message : String(error))}`, { where: file === "-" ? "stdin" : file }));
  }
}

const counts = (record: Partial<Record<string, number>>): string => {
  const entries = Object.entries(record).filter((e): e is [string, number] => e[1] !== undefined);
  return entries.length === 0
    ? "none"
    : entries
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
};

/** The summary as stderr shows it. */
export function renderSummary(source: string, s: LogSummary): string {
  const unknown = Object.entries(s.unknownIds).sort((a, b) => b[1] - a[1]);
  const lines = [
    `${source}: ${s.lines} lines (${s.blankLines} blank, ${s.nonJsonLines} not JSON${s.prefixedLines > 0 ? `, ${s.prefixedLines} with a journald/grep prefix stripped` : ""})`,
    `event ids: table ${s.table.name} (${s.table.reason})`,
    `events: ${s.events} (${counts(s.eventsByType)})`,
    `log errors: ${counts(s.logErrorsByLevel)}`,
    ...(Object.keys(s.prettyLinesByLevel).length > 0 ? [`lines in Mina's pretty format (not read for events): ${counts(s.prettyLinesByLevel)}`] : []),
    `other registered events: ${counts(s.otherRegisteredEvents)}`,
    `unknown event ids (ordinary log lines): ${
      unknown.length === 0
        ? "none"
        : unknown
            .slice(0, 10)
            .map(([id, n]) => `${id} ${n}`)
            .join(", ")
    }${unknown.length > 10 ? `, and ${unknown.length - 10} more` : ""}`,
    `unreadable lines: ${counts(s.problems)}`,
    ...s.firstProblems.map((p) => `  line ${p.line}: ${p.problem}: ${p.reason}`),
  ];
  if (unknown.length > 0 && s.events === 0)
    lines.push(`what to do: none of its ids is in ${s.table.name}; pass --event-ids <file> with the output of \`mina internal dump-structured-events\` of the daemon that wrote it`);
  return lines.join("\n");
}

export function eventsCommand(): Command {
  return new Command("events")
    .description("read a daemon's log (mina.log, a run's logs/<node>.log, journalctl output, or - for stdin): one JSON object per event Mina's executive would derive on stdout, a summary on stderr")
    .argument("<file>", "the log file, or - to read stdin")
    .showHelpAfterError()
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_CODES["invalid-arguments"]))
    .option(
      "--event-ids <file>",
      "event-id table to read it with: the output of `mina internal dump-structured-events`, or mina-local's JSON table (default: picked from the log's booting-up line, else the newest built-in table)",
    )
    .option("--table <name>", `a built-in event-id table: ${EVENT_ID_TABLES.map((t) => t.name).join(", ")}`)
    .action(async (file: string, options: EventsOptions) => {
      process.exitCode = await runEventsCommand(file, options, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });
}
