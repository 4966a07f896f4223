// `pnpm build`: dist/forwarder.cjs (runs with plain node) and dist/forwarder (single executable).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildForwarderExecutable, bundleForwarder } from "../src/build.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const bundle = await bundleForwarder({ outFile: path.join(dist, "forwarder.cjs") });
console.log(`${bundle.outFile}: ${bundle.bytes} bytes`);
const executable = await buildForwarderExecutable({ outFile: path.join(dist, "forwarder") });
console.log(`${executable.outFile}: ${executable.bytes} bytes`);
