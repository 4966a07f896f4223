/**
 * The counters behind `daemonStatus.metrics`, as Mina keeps them (mina_metrics.ml, develop
 * 9f068b1c3b): diffs of the transaction pool received and broadcast, transactions added to
 * the pool, and the histogram of the delay between a slot's start and the block produced in it.
 */

/** Mina's Block_production_delay_histogram: `Histogram_spec.of_linear 60000. 30000. 6` (ms). */
const DELAY_BUCKET_START_MS = 60_000;
const DELAY_BUCKET_WIDTH_MS = 30_000;
const DELAY_BUCKETS = 6;

export class DaemonMetrics {
  transactionPoolDiffReceived = 0;
  transactionPoolDiffBroadcasted = 0;
  transactionsAddedToPool = 0;
  /** one count per upper bound (60 s, 90 s, ... 210 s), then the overflow bucket */
  private readonly delayBuckets = new Array<number>(DELAY_BUCKETS + 1).fill(0);

  blockProduced(delayMs: number): void {
    const index = delayMs <= DELAY_BUCKET_START_MS ? 0 : Math.ceil((delayMs - DELAY_BUCKET_START_MS) / DELAY_BUCKET_WIDTH_MS);
    const bucket = Math.min(index, DELAY_BUCKETS);
    this.delayBuckets[bucket] = (this.delayBuckets[bucket] ?? 0) + 1;
  }

  blockProductionDelay(): number[] {
    return [...this.delayBuckets];
  }
}
