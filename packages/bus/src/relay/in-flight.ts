/**
 * The relay's flow control: how many batches are being published (and parsed) at once.
 * Past `max`, `onFull` pauses reading the FIFO; below it again, `onRoom` resumes it.
 * `settled()` resolves when nothing is in flight. Pure bookkeeping, no I/O.
 */
export class InFlight {
  private count = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly onFull: () => void,
    private readonly onRoom: () => void,
  ) {}

  get size(): number {
    return this.count;
  }

  begin(): void {
    this.count++;
    if (this.count >= this.max) this.onFull();
  }

  end(): void {
    this.count--;
    if (this.count < this.max) this.onRoom();
    if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  settled(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
