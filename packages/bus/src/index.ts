export { NATS_INSTALL_HINT, NATS_MAX_PAYLOAD, findNatsServer, startNatsServer } from "./server.js";
export type { EmbeddedNats, NatsExit, StartNatsOptions } from "./server.js";
export { eventFilter, eventSubject, logFilter, logSubject, nodeStatusSubject, parseLogSubject, runSubjects, sanitizeToken, statsSubject } from "./subjects.js";
export { ensureRunStream, streamName } from "./stream.js";
export { ensureFifo, lineTimestampMs, startFifoRelay } from "./relay.js";
export type { FifoRelay, FifoRelayOptions, LagReport, RelayNodeStats, RelayStats } from "./relay.js";
export { readRunStream } from "./reader.js";
export type { RunStreamReader, RunStreamReaderOptions } from "./reader.js";
