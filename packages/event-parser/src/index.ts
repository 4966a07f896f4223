export { MinaLogLineSchema, errorSeverity, checkLogLineShape } from "./line.js";
export { PeerSchema, PUPPETEER_EVENT_SCHEMAS, STRUCTURED_EVENT_SCHEMAS } from "./schemas.js";
export type * from "./schemas.js";
export { EVENT_TYPES } from "./events.js";
export type { EventDataByType, EventType, LogErrorData, MinaEvent, MinaNodeEvent, ParseErrorRecord } from "./events.js";
export { parseLine } from "./parse-line.js";
export type { ParseOptions, ParsedLine } from "./parse-line.js";
export { inlineEventParser, minaTimestamp, startEventParser } from "./service.js";
export type { EventParserLogger, EventParserOptions, EventParserService, EventParserStats, InlineEventParser } from "./service.js";
