export { NATS_INSTALL_HINT, NATS_MAX_PAYLOAD, findNatsServer, startNatsServer } from "./server.js";
export type { EmbeddedNats, NatsExit, StartNatsOptions } from "./server.js";
export { newBusCredentials } from "./network-listener.js";
export type { BusCredentials } from "./network-listener.js";
export {
  eventFilter,
  eventSubject,
  logFilter,
  logSubject,
  nodeRequestFilter,
  nodeRequestSubject,
  nodeStatusSubject,
  parseLogSubject,
  parseNodeRequestSubject,
  relayDrainSubject,
  relayStatsSubject,
  runSubjects,
  sanitizeToken,
  statsSubject,
} from "./subjects.js";
export { ensureRunStream, streamName } from "./stream.js";
export { ensureFifo, lineTimestampMs, startFifoRelay } from "./relay.js";
export type { FifoRelay, FifoRelayOptions, LagReport, RelayError, RelayNodeStats, RelayStats } from "./relay.js";
export { LINE_KINDS, lineClassifier, parserNeeds } from "./relay/classify.js";
export { EVENT_LEVELS, minaLineClassifier } from "./relay/mina-classifier.js";
export type { LineClassifier, LineClassifierOptions, LineKind, LineKindCounts } from "./relay/classify.js";
export { batchPayload, payloadLines } from "./relay/batcher.js";
export { NodeLogFiles, nodeLogFileName } from "./relay/node-logs.js";
export { AckedPublisher, parsePubAck } from "./acked-publish.js";
export type { AckedPublish, PubAck } from "./acked-publish.js";
export { readRunStream } from "./reader.js";
export { startStreamLogs } from "./stream-logs.js";
export type { StreamLogStats, StreamLogs, StreamLogsOptions } from "./stream-logs.js";
export { followRun } from "./follow.js";
export type { FollowRunOptions } from "./follow.js";
export type { RunStreamReader, RunStreamReaderOptions } from "./reader.js";
export { drainHostRelays } from "./host-relays.js";
export type { HostDrain } from "./host-relays.js";
export { bridgeNodeSockets, requestNode, serveNodeRequests } from "./node-http.js";
export type { NodeRequestServer, NodeSocketBridge } from "./node-http.js";
