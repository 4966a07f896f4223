/**
 * The imperative shell: one GraphQL call against one node, over a unix socket or TCP,
 * with a deadline, bounded retries for a node that is not up yet, and errors that name
 * the node and the operation.
 */
import { MinaLocalError, type GraphqlEndpoint } from "@mina-local/engine";
import { ClientError, GraphQLClient } from "graphql-request";
import { Agent, fetch as undiciFetch } from "undici";
import type { z } from "zod";
import { describeIssues } from "./answers.js";

export interface TransportOptions {
  /** node name, for error messages */
  node: string;
  endpoint: GraphqlEndpoint;
  /** deadline of one operation, all attempts and waits included */
  timeoutMs: number;
  /** attempts in all (the first one included) while the node is unreachable */
  retries: number;
  /** first wait between attempts; doubles up to MAX_BACKOFF_MS */
  backoffMs: number;
  /** aborts every call of this client */
  signal?: AbortSignal;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Operation<T> {
  name: string;
  document: string;
  variables?: Record<string, unknown>;
  answer: z.ZodType<T>;
  /** a mutation is retried only when the node surely never saw it */
  mutation: boolean;
}

const MAX_BACKOFF_MS = 8_000;

/** Failures of a request that never reached the daemon: safe to retry even for a mutation. */
const NOT_DELIVERED_CODES = new Set(["ECONNREFUSED", "ENOENT", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_CONNECT_TIMEOUT"]);
/** Failures where the request may have reached the daemon: retried for queries only. */
const BROKEN_CONNECTION_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);
/** The forwarder answers 503 while the daemon is stopped and 502 when the daemon's port is not open yet. */
const NOT_DELIVERED_STATUSES = new Set([502, 503]);

type Attempt<T> = { kind: "answer"; value: T } | { kind: "retry"; reason: string } | { kind: "fail"; error: MinaLocalError };

export interface Transport {
  call<T>(operation: Operation<T>, options?: CallOptions): Promise<T>;
  close(): Promise<void>;
}

export function createTransport(options: TransportOptions): Transport {
  const { endpoint } = options;
  const agent = endpoint.socketPath === undefined ? undefined : new Agent({ connect: { socketPath: endpoint.socketPath } });
  const fetchImpl: typeof fetch =
    agent === undefined
      ? (input, init) => globalThis.fetch(input, init)
      : (((input: string | URL, init?: RequestInit) =>
          // undici's fetch takes the same arguments as the global one, plus the dispatcher
          undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch);
  const client = new GraphQLClient(endpoint.url, { fetch: fetchImpl });
  const reach = endpoint.socketPath === undefined ? endpoint.url : `${endpoint.url} via ${endpoint.socketPath}`;

  async function call<T>(operation: Operation<T>, callOptions: CallOptions = {}): Promise<T> {
    const where = `node ${options.node}: ${operation.name}`;
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signals = [deadline.signal, options.signal, callOptions.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = AbortSignal.any(signals);
    let lastReason = "no attempt made";
    try {
      for (let attempt = 1; attempt <= options.retries; attempt++) {
        if (signal.aborted) break;
        const result = await attemptOnce(operation, signal);
        if (result.kind === "answer") return result.value;
        if (result.kind === "fail") throw new MinaLocalError("graphql", result.error.message, { where, hint: result.error.hint });
        lastReason = result.reason;
        if (attempt < options.retries) await sleep(Math.min(options.backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS), signal);
      }
      if (deadline.signal.aborted) {
        throw new MinaLocalError("graphql", `timed out after ${timeoutMs} ms (last error: ${lastReason})`, {
          where,
          hint: `the node did not answer at ${reach} in time: check that it is running and synced, or raise timeoutMs`,
        });
      }
      if (signal.aborted) throw new MinaLocalError("graphql", `aborted (last error: ${lastReason})`, { where });
      throw new MinaLocalError("graphql", `gave up after ${options.retries} attempts: ${lastReason}`, {
        where,
        hint: `nothing answered at ${reach}: check that the node's container and daemon are running`,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function attemptOnce<T>(operation: Operation<T>, signal: AbortSignal): Promise<Attempt<T>> {
    let data: unknown;
    try {
      data = await client.request({ document: operation.document, variables: operation.variables ?? {}, signal });
    } catch (error) {
      return classifyFailure(error, operation.mutation, signal);
    }
    const parsed = operation.answer.safeParse(data);
    if (parsed.success) return { kind: "answer", value: parsed.data };
    return {
      kind: "fail",
      error: new MinaLocalError("graphql", `malformed answer: ${describeIssues(parsed.error, data)}`, {
        hint: "the node's answer does not follow Mina's GraphQL schema: is this a Mina daemon of a compatible version?",
      }),
    };
  }

  return {
    call,
    async close() {
      await agent?.close();
    },
  };
}

function classifyFailure(error: unknown, mutation: boolean, signal: AbortSignal): Attempt<never> {
  if (signal.aborted) return { kind: "retry", reason: "the call was aborted" };
  if (error instanceof ClientError) {
    const { status, errors } = error.response;
    const messages = (errors ?? []).map((e) => e.message).filter((m) => typeof m === "string" && m.length > 0);
    if (NOT_DELIVERED_STATUSES.has(status)) {
      return { kind: "retry", reason: `HTTP ${status}${messages.length > 0 ? ` ${messages.join("; ")}` : ""}` };
    }
    // The node's own words, unchanged, so that a test can assert Mina's error text.
    if (messages.length > 0) return { kind: "fail", error: new MinaLocalError("graphql", messages.join("; ")) };
    const body = typeof error.response.body === "string" ? error.response.body.slice(0, 200) : "";
    return { kind: "fail", error: new MinaLocalError("graphql", `HTTP ${status} without a GraphQL answer${body ? `: ${body}` : ""}`) };
  }
  const code = errorCode(error);
  if (code !== undefined && (NOT_DELIVERED_CODES.has(code) || (!mutation && BROKEN_CONNECTION_CODES.has(code)))) {
    return { kind: "retry", reason: describeError(error) };
  }
  if (code !== undefined && BROKEN_CONNECTION_CODES.has(code)) {
    return {
      kind: "fail",
      error: new MinaLocalError("graphql", `connection lost, the node may or may not have received it: ${describeError(error)}`, {
        hint: "check the node's pool (pooledUserCommands) or the account's nonce before sending again",
      }),
    };
  }
  return { kind: "fail", error: new MinaLocalError("graphql", `unreadable answer: ${describeError(error)}`) };
}

/** undici reports "fetch failed" with the system error (code) somewhere down the cause chain. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) parts.push(e.message);
  return parts.length > 0 ? parts.join(": ") : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
