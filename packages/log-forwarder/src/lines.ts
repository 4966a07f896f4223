import { LINE_SEPARATOR } from "./frame.js";

/**
 * Cuts a byte stream into lines at `\n` (the `\n` is dropped, nothing else is touched:
 * invalid UTF-8 passes as it is). A line may be any length; its pieces are kept until
 * its end arrives, and `end()` hands over a last line that has no `\n`.
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly onLine: (line: Buffer) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const cut = chunk.indexOf(LINE_SEPARATOR, start);
      if (cut < 0) break;
      const piece = chunk.subarray(start, cut);
      if (this.pieces.length === 0) {
        this.onLine(piece);
      } else {
        this.pieces.push(piece);
        const line = Buffer.concat(this.pieces, this.bytes + piece.length);
        this.pieces = [];
        this.bytes = 0;
        this.onLine(line);
      }
      start = cut + 1;
    }
    if (start < chunk.length) {
      // copy: the caller may reuse its chunk
      const tail = Buffer.from(chunk.subarray(start));
      this.pieces.push(tail);
      this.bytes += tail.length;
    }
  }

  end(): void {
    if (this.pieces.length === 0) return;
    const line = Buffer.concat(this.pieces, this.bytes);
    this.pieces = [];
    this.bytes = 0;
    this.onLine(line);
  }
}
