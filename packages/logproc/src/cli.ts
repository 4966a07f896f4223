// Entry point of the `logproc` bin (bin/logproc.js imports the built dist/src/cli.js).
import { runLogproc } from "./run.js";

// A write error after the reader closed (EPIPE) must not crash with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await runLogproc(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
