/**
 * The recent log lines of every node, for log assertions ("node X logs a line matching
 * P") and for the last lines shown when a node crashes. Fed from the bus.
 */
export interface TailLine {
  node: string;
  text: string;
  level: string | undefined;
  receivedAt: number;
}

type LineListener = (line: TailLine) => void;

const LEVEL = /"level"\s*:\s*"([A-Za-z_]+)"/;

export class LineTail {
  private readonly recentByNode = new Map<string, TailLine[]>();
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly listeners = new Set<LineListener>();
  private total = 0;

  constructor(private readonly keepPerNode = 1000) {}

  push(node: string, text: string): void {
    const line: TailLine = { node, text, level: LEVEL.exec(text)?.[1], receivedAt: Date.now() };
    this.total++;
    let recent = this.recentByNode.get(node);
    if (!recent) this.recentByNode.set(node, (recent = []));
    recent.push(line);
    if (recent.length > this.keepPerNode) recent.splice(0, recent.length - this.keepPerNode);
    let byLevel = this.counts.get(node);
    if (!byLevel) this.counts.set(node, (byLevel = new Map()));
    const level = line.level ?? "(not JSON)";
    byLevel.set(level, (byLevel.get(level) ?? 0) + 1);
    for (const listener of [...this.listeners]) listener(line);
  }

  recent(node: string, count = 20): TailLine[] {
    return (this.recentByNode.get(node) ?? []).slice(-count);
  }

  /** lines seen at `level`, for one node or all */
  count(level: string, node?: string): number {
    const nodes = node ? [node] : [...this.counts.keys()];
    return nodes.reduce((sum, n) => sum + (this.counts.get(n)?.get(level) ?? 0), 0);
  }

  get linesSeen(): number {
    return this.total;
  }

  subscribe(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
