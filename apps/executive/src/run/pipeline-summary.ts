import type { FifoRelay } from "@mina-local/bus";
import type { InlineEventParser } from "@mina-local/event-parser";
import type { BusFeed } from "../local-engine/bus-feed.js";
import type { PipelineSummary } from "../report/model.js";

/** The log pipeline's counts; lines still in the relay at the end count as lost (its drain did not finish). Undefined until the relay and the feed ran. */
export function pipelineSummary(pipeline: { relay?: Pick<FifoRelay, "stats">; parser?: InlineEventParser; feed?: BusFeed }, parseErrors: number): PipelineSummary | undefined {
  const relayStats = pipeline.relay?.stats();
  const feedStats = pipeline.feed?.stats();
  if (!relayStats || !feedStats) return undefined;
  const parserStats = pipeline.parser?.stats();
  return {
    linesRelayed: relayStats.linesRelayed,
    linesReceived: relayStats.linesReceived,
    linesLost: relayStats.linesLost + relayStats.linesPending,
    blankLines: relayStats.kinds.blank,
    parseErrors,
    eventsReceived: feedStats.events,
    maxLagMs: relayStats.maxLagMs,
    errors: {
      linesLostInFifo: relayStats.linesLostInFifo,
      linesNotPublished: relayStats.linesNotPublished,
      linesNotWritten: relayStats.linesNotWritten,
      linesUndrained: relayStats.linesPending,
      batchesNotParsed: relayStats.parserFailures,
      eventsNotPublished: parserStats?.publishFailures ?? 0,
      eventsNotApplied: feedStats.badEvents + feedStats.failedEvents,
    },
  };
}
