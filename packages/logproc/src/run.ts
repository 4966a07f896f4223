import { StringDecoder } from "node:string_decoder";
import type { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import { compileFilter } from "./evaluate.js";
import { INTERPOLATIONS, processLine } from "./format.js";
import type { Interpolation } from "./format.js";
import { LogprocSyntaxError } from "./syntax-error.js";

export const USAGE = `usage: logproc [-i|--interpolation inline|hidden|after] [-f|--filter EXPR]

Reads Mina JSON log lines on stdin, prints the ones the filter keeps, formatted as
"[timestamp] Level: message". Lines that are not JSON are printed as they are.

  -i, --interpolation  inline: put metadata values into the message's $placeholders (default)
                       hidden: print the message as written
                       after:  print the message as written, then its metadata
  -f, --filter EXPR    e.g. '!(.level in ["Spam","Debug"])', '.message match /block/i'
`;

export interface LogprocIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** The logproc command: returns the exit code (0 ok, 2 bad arguments or filter). */
export async function runLogproc(argv: string[], io: LogprocIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        interpolation: { type: "string", short: "i" },
        filter: { type: "string", short: "f" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (cause) {
    io.stderr.write(`logproc: ${cause instanceof Error ? cause.message : String(cause)}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const interpolation = values.interpolation ?? "inline";
  if (!isInterpolation(interpolation)) {
    io.stderr.write(`logproc: unknown interpolation '${interpolation}': use inline, hidden or after\n`);
    return 2;
  }
  let filter: ((value: unknown) => boolean) | undefined;
  if (values.filter !== undefined) {
    try {
      filter = compileFilter(values.filter);
    } catch (cause) {
      if (!(cause instanceof LogprocSyntaxError)) throw cause;
      io.stderr.write(`${cause.message}\n`);
      return 2;
    }
  }
  const options = { filter, interpolation };
  try {
    await forEachLineBatch(io.stdin, (lines) => {
      let out = "";
      for (const line of lines) {
        const shown = processLine(line, options);
        if (shown !== undefined) out += `${shown}\n`;
      }
      return out === "" ? undefined : write(io.stdout, out);
    });
  } catch (cause) {
    // The reader went away (`logproc ... | head`): stop quietly, like other filters do.
    if (isBrokenPipe(cause)) return 0;
    throw cause;
  }
  return 0;
}

function isInterpolation(value: string): value is Interpolation {
  return (INTERPOLATIONS as readonly string[]).includes(value);
}

/**
 * Streams whole lines, a chunk's worth at a time. The next chunk is read only after the
 * handler's promise settles, so a slow stdout slows the reading (backpressure) instead
 * of buffering the whole input. A line may span any number of chunks.
 */
export async function forEachLineBatch(input: Readable, handle: (lines: string[]) => Promise<void> | undefined): Promise<void> {
  const decoder = new StringDecoder("utf8");
  let partial: string[] = [];
  for await (const chunk of input) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
    const lines: string[] = [];
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      const piece = text.slice(start, nl);
      if (partial.length > 0) {
        partial.push(piece);
        lines.push(partial.join(""));
        partial = [];
      } else lines.push(piece);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    if (start < text.length) partial.push(text.slice(start));
    if (lines.length > 0) await handle(lines);
  }
  const rest = partial.join("") + decoder.end();
  if (rest !== "") await handle([rest]);
}

function write(stream: Writable, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve, reject) => {
    const done = (error?: unknown): void => {
      stream.off("drain", onDrain);
      stream.off("error", done);
      stream.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(Object.assign(new Error("output closed"), { code: "EPIPE" }));
    stream.on("drain", onDrain);
    stream.once("error", done);
    stream.once("close", onClose);
  });
}

function isBrokenPipe(cause: unknown): boolean {
  return typeof cause === "object" && cause !== null && (cause as { code?: unknown }).code === "EPIPE";
}
