import { FrameEncoder } from "./encoder.js";
import type { LineFilter } from "./filter.js";
import { LineSplitter } from "./lines.js";
import type { FifoSink } from "./sink.js";

export interface LinePipelineOptions {
  node: string;
  role: string;
  sink: FifoSink;
  filter?: LineFilter;
}

/**
 * One node's lines into the FIFO: every source (the daemon's stdout, its stderr) has its
 * own splitter so that lines never mix, and all share one encoder (one sequence per node).
 * Lines of one read are batched into frames, and the open frame is flushed at the end
 * of each read, so a lone line waits for nothing.
 */
export class LinePipeline {
  readonly encoder: FrameEncoder;
  private readonly out: Buffer[] = [];
  linesIn = 0;
  linesFiltered = 0;

  constructor(private readonly options: LinePipelineOptions) {
    this.encoder = new FrameEncoder({ node: options.node, role: options.role });
  }

  /** A splitter for one byte source; push() its chunks, end() it when the source closes. */
  source(): { push(chunk: Buffer): boolean; end(): boolean } {
    const splitter = new LineSplitter((line) => this.acceptLine(line));
    return {
      push: (chunk) => {
        splitter.push(chunk);
        return this.flush();
      },
      end: () => {
        splitter.end();
        return this.flush();
      },
    };
  }

  /** A line of the forwarder's own: never filtered. Returns false when the sink asks to pause. */
  writeOwnLine(line: string): boolean {
    this.encoder.writeLine(Buffer.from(line), this.out);
    return this.flush();
  }

  private acceptLine(line: Buffer): void {
    this.linesIn++;
    if (this.options.filter && !this.options.filter(line)) {
      this.linesFiltered++;
      return;
    }
    this.encoder.writeLine(line, this.out);
  }

  private flush(): boolean {
    this.encoder.flush(this.out);
    const frames = this.out.splice(0);
    return this.options.sink.write(frames);
  }
}
