import { runArchive } from "./main.js";

const USAGE = `mina-archive (mina-local daemon simulator)

  mina-archive run -postgres-uri <uri> [-server-port 3086] [-config-file <runtime config>] [-log-json]
`;

// The archive bundle's entry: `mina-archive run <flags>` (Mina's archive.ml has `run` and `prune`).
const [command, ...rest] = process.argv.slice(2);
const done = (code: number) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 200).unref();
};
if (command === "run") {
  runArchive(rest).then(done, (error: unknown) => {
    process.stderr.write(`mina-archive: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(command === undefined ? USAGE : `mina-archive: unknown subcommand ${command} (the simulator answers run)\n${USAGE}`);
  done(1);
}
