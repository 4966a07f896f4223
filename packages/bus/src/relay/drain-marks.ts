import { FifoSink, FrameEncoder } from "@mina-local/log-forwarder/codec";

/** The relay's own drain marks travel through the FIFO under a name no node can have. */
export const MARK_NODE = "~relay";
const MARK_ROLE = "~drain";

/**
 * "Everything written into the FIFO before now has been read": the relay writes a mark
 * frame into its own FIFO and waits until its reader meets it (a FIFO keeps order).
 */
export class DrainMarks {
  private readonly sink: FifoSink;
  private readonly encoder = new FrameEncoder({ node: MARK_NODE, role: MARK_ROLE });
  private readonly waiting = new Map<string, () => void>();

  constructor(fifoPath: string) {
    this.sink = new FifoSink({ path: fifoPath });
  }

  /** Writes a mark and resolves once `seen` has been called with it. */
  async pass(token: string): Promise<void> {
    const seen = new Promise<void>((resolve) => this.waiting.set(token, resolve));
    try {
      this.sink.write(this.encoder.encodeLine(token));
      await this.sink.idle();
      await seen;
    } finally {
      this.waiting.delete(token);
    }
  }

  /** The reader met a line of MARK_NODE. */
  seen(line: Buffer): void {
    this.waiting.get(line.toString("latin1"))?.();
  }

  close(): void {
    this.sink.close();
  }
}
