import type { JetStreamClient } from "@nats-io/jetstream";

/**
 * The relay's counters on the bus (`mina.<run>.stats.pipeline`): published every
 * `intervalMs` when they changed, and on demand (every drain). A failed publish is a
 * warning and leaves the counters marked changed, so the next tick tries again.
 */
export class StatsPublisher {
  private dirty = true;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly js: Pick<JetStreamClient, "publish">,
    private readonly subject: string,
    private readonly body: (final: boolean) => unknown,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => {
      if (this.dirty) void this.publish(false);
    }, intervalMs);
  }

  changed(): void {
    this.dirty = true;
  }

  async publish(final: boolean): Promise<void> {
    this.dirty = false;
    try {
      await this.js.publish(this.subject, JSON.stringify(this.body(final)), { timeout: 10_000 });
    } catch (error) {
      this.dirty = true;
      process.emitWarning(`relay: publishing pipeline stats on ${this.subject} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
