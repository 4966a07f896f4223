// A torture writer: one process writing one node's lines into the FIFO through the
// forwarder's own pipeline (line splitter -> encoder -> sink). Run by torture.test.ts.
//   torture-writer <fifo> <node> <role> <lines> [cut-mid-line]
// With cut-mid-line, it then writes the first frames of a long line, says so on stdout,
// and waits to be killed.
import { LinePipeline } from "../pipeline.js";
import { FifoSink } from "../sink.js";
import { tortureLine } from "./torture-lines.js";

const [fifo, node, role, countText, mode] = process.argv.slice(2);
if (!fifo || !node || !role || !countText) throw new Error("usage: torture-writer <fifo> <node> <role> <lines> [cut-mid-line]");
const count = Number(countText);
const sink = new FifoSink({ path: fifo, onNotice: (m) => process.stderr.write(`${m}\n`) });
const pipeline = new LinePipeline({ node, role, sink });
const source = pipeline.source();

// the daemon's output arrives in chunks cut anywhere: imitate that
let pending: Buffer[] = [];
let pendingBytes = 0;
let cut = 1;
for (let i = 0; i < count; i++) {
  const line = tortureLine(node, i);
  pending.push(line, Buffer.from("\n"));
  pendingBytes += line.length + 1;
  if (pendingBytes < 65536) continue;
  const all = Buffer.concat(pending);
  cut = (cut * 7919 + 13) % 65521;
  const at = Math.min(all.length, 1 + cut);
  const ok = source.push(all.subarray(0, at));
  pending = [all.subarray(at)];
  pendingBytes = all.length - at;
  if (!ok) await sink.waitForRoom();
}
source.push(Buffer.concat(pending));
source.end();
await sink.idle();

if (mode === "cut-mid-line") {
  // the next line's first two frames only, as if the writer died inside a long line
  const frames: Buffer[] = [];
  pipeline.encoder.writeLine(Buffer.alloc(20_000, 0x61), frames);
  sink.write(frames.slice(0, 2));
  await sink.idle();
  process.stdout.write("cut\n");
  setInterval(() => undefined, 1000);
} else {
  sink.close();
}
