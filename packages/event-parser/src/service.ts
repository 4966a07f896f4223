import type { NatsConnection } from "@nats-io/transport-node";
import { NODE_ROLES } from "@mina-local/engine";
import { AckedPublisher, eventSubject, logFilter, parseLogSubject, readRunStream } from "@mina-local/bus";
import type { EventIdTable, NodeRole } from "@mina-local/engine";
import type { MinaEvent, ParseErrorRecord, ParseProblem } from "./events.js";
import { parseLine } from "./parse-line.js";

export interface EventParserLogger {
  warn(message: string): void;
}

export interface EventParserOptions {
  nc: NatsConnection;
  runId: string;
  /** the event ids of the daemons of this run (engine's `pickEventIdTable`, or `--event-ids`) */
  table: EventIdTable;
  /** the role of a node when the subject's role token is not to be trusted */
  roleOfNode?: (node: string) => NodeRole | undefined;
  logger?: EventParserLogger;
  /** JetStream publishes awaiting their ack at once (flow control without a round trip per event) */
  maxInFlight?: number;
  /** validate every line with the full schema, not only those that can be events */
  fullValidation?: boolean;
  /** per-operation timeout for NATS calls, ms */
  timeoutMs?: number;
}

export interface EventParserStats {
  /** log lines read (blank lines included) */
  lines: number;
  /** events published (Log_error included) */
  events: number;
  /** lines that could not be read as what they claim to be, published as Parse_error */
  parseErrors: number;
  /** Parse_error records by problem (truncated-json, malformed-json, not-a-log-line, bad-payload, invalid-utf8) */
  problems: Partial<Record<ParseProblem, number>>;
  /** lines that are not JSON (libp2p helper output, plain text): log lines, not errors */
  textLines: number;
  /** Mina log lines whose event_id the table does not hold: ordinary log lines */
  unknownIds: number;
  /** events by type, plus Parse_error */
  byType: Record<string, number>;
  /** blank lines (no content to parse, not errors) */
  blankLines: number;
  /** publishes the server did not acknowledge (events lost on the way out; also logged) */
  publishFailures: number;
  /** the stream sequence of the last log message handled */
  lastSequence: number;
}

export interface EventParserService {
  readonly streamName: string;
  stats(): EventParserStats;
  /** resolves once every log message in the stream when called is parsed and its events acknowledged */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const MAX_RAW_IN_ERROR = 2_000;

/** The parse-and-publish core both parsers share: one message of one node's lines in, its events out. */
interface EventPublisher {
  stats: EventParserStats;
  /** parses a log message (one or more `\n`-separated lines of the node its subject names) and publishes its events */
  handle(subject: string, data: Uint8Array): Promise<void>;
  /** resolves once every event published so far is acknowledged */
  allPublished(): Promise<void>;
}

function eventPublisher(options: EventParserOptions): EventPublisher {
  const { nc, runId, logger } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // one acked publish per event: without nats.js's per-request timer and Error objects (AckedPublisher)
  const js = new AckedPublisher(nc, timeoutMs);
  const stats: EventParserStats = { lines: 0, events: 0, parseErrors: 0, problems: {}, textLines: 0, unknownIds: 0, byType: {}, blankLines: 0, publishFailures: 0, lastSequence: 0 };
  const parseOptions = { table: options.table, ...(options.fullValidation && { full: true }) };
  const maxPayload = Math.min(nc.info?.max_payload ?? 1024 * 1024, 1024 * 1024) - 1024;
  const maxInFlight = options.maxInFlight ?? 512;
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = (): void => {
    inFlight--;
    const ready = waiters;
    waiters = [];
    for (const wake of ready) wake();
  };

  async function publish(subject: string, payload: string, type: string): Promise<void> {
    while (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiters.push(resolve));
    inFlight++;
    js.publish(subject, payload, { timeout: timeoutMs }).then(
      () => settle(),
      (error: unknown) => {
        stats.publishFailures++;
        logger?.warn(`event-parser: publishing ${type} on ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
        settle();
      },
    );
  }

  async function allPublished(): Promise<void> {
    while (inFlight > 0) await new Promise<void>((resolve) => waiters.push(resolve));
  }

  function count(type: string): void {
    stats.byType[type] = (stats.byType[type] ?? 0) + 1;
  }

  async function publishParseError(role: string, node: string, problem: ParseProblem, reason: string, raw: string, where: { event?: string; field?: string } = {}): Promise<void> {
    stats.parseErrors++;
    stats.problems[problem] = (stats.problems[problem] ?? 0) + 1;
    count("Parse_error");
    const record: ParseErrorRecord = {
      node,
      role,
      type: "Parse_error",
      timestamp: minaTimestamp(new Date()),
      data: {
        problem,
        reason: `${node}: ${reason}`.slice(0, MAX_RAW_IN_ERROR),
        ...(where.event !== undefined && { event: where.event }),
        ...(where.field !== undefined && { field: where.field }),
        raw: raw.slice(0, MAX_RAW_IN_ERROR),
        raw_length: raw.length,
      },
    };
    await publish(eventSubject(runId, role, node, "Parse_error"), JSON.stringify(record), "Parse_error");
  }

  async function handle(subject: string, data: Uint8Array): Promise<void> {
    const where = parseLogSubject(subject);
    const { lines, invalidUtf8 } = splitLines(data);
    if (!where) {
      // The consumer's filter makes this impossible unless the subject scheme changes; count it anyway.
      stats.lines += lines.length;
      for (const raw of lines) await publishParseError("unknown", "unknown", "not-a-log-line", `unexpected subject ${subject}`, raw);
      return;
    }
    const { node } = where;
    const role = options.roleOfNode?.(node) ?? where.role;
    const roleKnown = (NODE_ROLES as readonly string[]).includes(role);
    for (const [index, rawLine] of lines.entries()) {
      stats.lines++;
      const raw = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
      if (raw.trim() === "") {
        stats.blankLines++;
        continue;
      }
      if (!roleKnown) {
        await publishParseError(role, node, "not-a-log-line", `role '${role}' of node ${node} is not one of ${NODE_ROLES.join(", ")}`, raw);
        continue;
      }
      // Reported, then parsed anyway (with U+FFFD in place of the bad bytes): nothing is dropped.
      if (invalidUtf8.has(index)) await publishParseError(role, node, "invalid-utf8", "the line is not valid UTF-8", raw);
      const parsed = parseLine(raw, parseOptions);
      if (parsed.kind === "error") {
        await publishParseError(role, node, parsed.problem, parsed.reason, parsed.raw, parsed);
        continue;
      }
      if (parsed.kind === "text") {
        stats.textLines++;
        continue;
      }
      if (parsed.kind === "log") {
        if (parsed.unknownId !== undefined) stats.unknownIds++;
        continue;
      }
      // the puppeteer's line has no timestamp of its own: the time it was read
      const timestamp = parsed.timestamp ?? minaTimestamp(new Date());
      for (const event of parsed.events) {
        const payload = eventPayload(node, role as NodeRole, timestamp, event, maxPayload);
        if (payload === undefined) {
          await publishParseError(role, node, "bad-payload", `${event.type} event too large for the bus`, raw, { event: event.type });
          continue;
        }
        stats.events++;
        count(event.type);
        await publish(eventSubject(runId, role, node, event.type), payload, event.type);
      }
    }
  }

  return { stats, handle, allPublished };
}

const lenient = new TextDecoder();
const strict = new TextDecoder("utf-8", { fatal: true });

/** The message's lines, and which of them are not valid UTF-8 (checked per line only when the whole message is not). */
export function splitLines(data: Uint8Array): { lines: string[]; invalidUtf8: Set<number> } {
  const invalidUtf8 = new Set<number>();
  let text: string;
  try {
    text = strict.decode(data);
  } catch {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i <= data.length; i++) {
      if (i === data.length || data[i] === 0x0a) {
        if (i === data.length && start === i) break;
        const bytes = data.subarray(start, i);
        try {
          lines.push(strict.decode(bytes));
        } catch {
          invalidUtf8.add(lines.length);
          lines.push(lenient.decode(bytes));
        }
        start = i + 1;
      }
    }
    return { lines, invalidUtf8 };
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return { lines, invalidUtf8 };
}

/**
 * Reads the run's log subjects from the start of the stream through an ordered consumer
 * (JetStream, so a slow parser never loses lines as a core subscription would) and
 * publishes each event on mina.<run>.event.<role>.<node>.<type>. For a parser apart from
 * the relay (another process); in the relay's own process `inlineEventParser` saves reading
 * every line back from nats-server.
 */
export async function startEventParser(options: EventParserOptions): Promise<EventParserService> {
  const { nc, runId, logger } = options;
  const { stats, handle, allPublished } = eventPublisher(options);
  const reader = await readRunStream({
    nc,
    runId,
    filter: logFilter(runId),
    timeoutMs: options.timeoutMs ?? 10_000,
    onMessage: async (subject, data, sequence) => {
      await handle(subject, data);
      stats.lastSequence = sequence;
    },
    onError: (error, subject) => logger?.warn(`event-parser: message on ${subject}: ${error instanceof Error ? error.message : String(error)}`),
  });

  return {
    streamName: reader.streamName,
    stats: () => ({ ...stats, byType: { ...stats.byType } }),
    async drain(drainTimeoutMs = 60_000) {
      await reader.drain(drainTimeoutMs);
      await allPublished();
    },
    async stop() {
      await reader.stop();
      await allPublished();
    },
  };
}

export interface InlineEventParser {
  /**
   * The relay's `onBatch`: parses one published message of lines and publishes its events.
   * The relay counts the returned promise as part of the batch, so a slow parser slows the
   * relay's reading (and the writers) instead of queueing lines in memory.
   */
  handleBatch(subject: string, payload: Uint8Array): Promise<void>;
  stats(): EventParserStats;
  /** resolves once every event of the batches handed over so far is acknowledged (drain the relay first) */
  drain(): Promise<void>;
}

/**
 * The event parser in the relay's process: it parses each batch as the relay publishes it,
 * so the log lines cross nats-server once (stored for the other readers) instead of being
 * read back for parsing. Same events, same Parse_error records as `startEventParser`.
 */
export function inlineEventParser(options: EventParserOptions): InlineEventParser {
  const { stats, handle, allPublished } = eventPublisher(options);
  let chain: Promise<void> = Promise.resolve();
  return {
    // one batch at a time, in the relay's order, as the stream reader would see them
    handleBatch: (subject, payload) => (chain = chain.then(() => handle(subject, payload))),
    stats: () => ({ ...stats, byType: { ...stats.byType } }),
    drain: async () => {
      await chain;
      await allPublished();
    },
  };
}

/**
 * The NodeEvent JSON, or undefined when it cannot go on the bus. Only a Log_error can be
 * too big (a huge Warn line) or too deep to serialize (its metadata is the line's own):
 * it keeps the head of its message and drops its metadata, with a note saying so.
 */
function eventPayload(node: string, role: NodeRole, timestamp: string, event: MinaEvent, maxBytes: number): string | undefined {
  const fits = (json: string): boolean => json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes;
  const payload = stringify({ node, role, type: event.type, timestamp, data: event.data });
  if (payload !== undefined && fits(payload)) return payload;
  if (event.type !== "Log_error") return undefined;
  const note = payload === undefined ? "metadata too deeply nested to serialize" : `metadata left out: the event had ${payload.length} characters, over the bus's message size`;
  const data = { ...event.data, message: event.data.message.slice(0, 4096), metadata: { mina_local_truncated: note } };
  const truncated = stringify({ node, role, type: event.type, timestamp, data });
  return truncated !== undefined && fits(truncated) ? truncated : undefined;
}

function stringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Mina's timestamp format: "2026-11-26 12:00:00.123456Z". */
export function minaTimestamp(date: Date): string {
  return `${date.toISOString().replace("T", " ").slice(0, 23)}000Z`;
}
