import { main } from "./main.js";

// The bundle's entry: `mina <subcommand> <flags>`.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // servers and sockets are closed by then; exit promptly even if a keep-alive socket lingers
    setTimeout(() => process.exit(code), 200).unref();
  },
  (error: unknown) => {
    process.stderr.write(`mina: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
