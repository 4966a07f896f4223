// The forwarder executable's entry (bundled into dist/forwarder.cjs and the single executable).
import { forwarderMain } from "./main.js";

forwarderMain(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`forwarder: fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
