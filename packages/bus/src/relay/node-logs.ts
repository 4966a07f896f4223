import fs from "node:fs";
import path from "node:path";
import { sanitizeToken } from "../subjects.js";

/** The file name of a node's log: its subject token (dots are gone), with path separators made harmless. */
export function nodeLogFileName(node: string): string {
  return `${sanitizeToken(node).replace(/[/\\]/g, "_")}.log`;
}

/**
 * `<dir>/<node>.log` for every node: the very bytes the daemon wrote, one line per `\n`,
 * from the relay's own batches (no read back from the bus, no decoding: a line that is
 * not UTF-8 stays as it was). Each file is opened once and appended to synchronously,
 * so lines keep their order and a failure is known at once, per batch.
 */
export class NodeLogFiles {
  private readonly fds = new Map<string, number>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Appends one message (lines in batchPayload's format); the error's message when it could not be written whole. */
  write(node: string, payload: Buffer): string | undefined {
    // the path only when opening or failing: path.join per batch showed in the relay's profile
    const file = () => path.join(this.dir, nodeLogFileName(node));
    try {
      let fd = this.fds.get(node);
      if (fd === undefined) {
        fd = fs.openSync(file(), "a", 0o600);
        this.fds.set(node, fd);
      }
      let at = 0;
      while (at < payload.length) at += fs.writeSync(fd, payload, at, payload.length - at);
      return undefined;
    } catch (error) {
      return `writing to ${file()} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  close(): void {
    for (const fd of this.fds.values()) {
      try {
        fs.closeSync(fd);
      } catch {
        // closing is best effort; every write was already made
      }
    }
    this.fds.clear();
  }
}
