import type { StopWindow } from "../log-errors.js";

/**
 * When the engine asked each node to stop, and to start again: what a node logs in
 * between (Mina daemons log a fatal "libp2p_helper died" on every shutdown) is not one of
 * its log errors. Teardown asks every node to stop for good.
 */
export class StopLog {
  private readonly windows: StopWindow[] = [];

  stopRequested(node: string, at = Date.now()): void {
    if (this.windows.some((w) => w.node === node && w.until === undefined)) return;
    this.windows.push({ node, from: at });
  }

  startRequested(node: string, at = Date.now()): void {
    for (const w of this.windows) if (w.node === node && w.until === undefined) w.until = at;
  }

  allStopRequested(nodes: readonly string[], at = Date.now()): void {
    for (const node of nodes) this.stopRequested(node, at);
  }

  get stops(): readonly StopWindow[] {
    return this.windows.map((w) => ({ ...w }));
  }
}
