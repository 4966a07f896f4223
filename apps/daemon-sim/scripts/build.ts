// `pnpm build`: the simulator bundle in dist/mina (what the image ships as /usr/local/bin/mina).
import { chmodSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleDaemonSim } from "../src/index.js";

const outFile = fileURLToPath(new URL("../dist/mina", import.meta.url));
const bundle = await bundleDaemonSim({ outFile });
chmodSync(outFile, 0o755);
process.stdout.write(`${bundle.outFile}: ${bundle.bytes} bytes, sha256 ${bundle.sha256}\n`);
