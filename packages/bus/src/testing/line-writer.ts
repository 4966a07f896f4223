// A container's forwarder in miniature, for relay tests: frames `count` lines of one
// node into the FIFO with the forwarder's encoder and sink.
//   line-writer <fifo> <node> <role> <count>
import { FifoSink, FrameEncoder } from "@mina-local/log-forwarder/codec";

export function testLine(node: string, i: number): string {
  return `{"level":"Info","message":"line ${i} of ${node}","metadata":{"i":${i},"pad":"${"x".repeat(i % 200)}"}}`;
}

const [fifo, node, role, countText] = process.argv.slice(2);
if (fifo && node && role && countText) {
  const sink = new FifoSink({ path: fifo });
  const encoder = new FrameEncoder({ node, role });
  const frames: Buffer[] = [];
  const count = Number(countText);
  for (let i = 0; i < count; i++) {
    encoder.writeLine(Buffer.from(testLine(node, i)), frames);
    if (i % 64 === 63) {
      encoder.flush(frames);
      if (!sink.write(frames.splice(0))) await sink.waitForRoom();
    }
  }
  encoder.flush(frames);
  sink.write(frames.splice(0));
  await sink.idle();
  sink.close();
}
