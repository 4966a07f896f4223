/**
 * A fake Mina node for the client's tests: an HTTP server on a unix socket or on loopback
 * TCP that checks every request against the real schema (document and variables) and
 * answers by executing it over canned root values, so canned answers are schema-shaped
 * too. A handler may instead return a raw HTTP answer (errors, 503, garbage, silence).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { minaGraphqlIntrospection } from "@mina-local/engine";
import { buildClientSchema, execute, getOperationAST, getVariableValues, parse, validate, type DocumentNode, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const minaSchema: GraphQLSchema = buildClientSchema(minaGraphqlIntrospection() as unknown as IntrospectionQuery);

export interface ReceivedRequest {
  operationName: string;
  variables: Record<string, unknown>;
}

const RAW = Symbol("raw answer");

/** An answer that bypasses the schema: a raw HTTP answer, silence, or a cut connection. */
export type RawAnswer = { [RAW]: "answer"; status: number; body: string } | { [RAW]: "hang" } | { [RAW]: "cut" };

export const rawAnswer = (status: number, body: string): RawAnswer => ({ [RAW]: "answer", status, body });
export const hang = (): RawAnswer => ({ [RAW]: "hang" });
export const cutConnection = (): RawAnswer => ({ [RAW]: "cut" });
const isRaw = (value: object): value is RawAnswer => RAW in value;

/** Canned root value for the operation (fields may be functions of the arguments), or a raw answer. */
export type Handler = (variables: Record<string, unknown>, callIndex: number) => Record<string, unknown> | RawAnswer;

export interface FakeNode {
  url: string;
  socketPath: string | undefined;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export type Listen = { socketPath: string } | { port: number };

export async function startFakeNode(listen: Listen, handlers: Record<string, Handler>): Promise<FakeNode> {
  const requests: ReceivedRequest[] = [];
  const calls = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => send(res, 500, JSON.stringify({ errors: [{ message: `fake node: ${String(error)}` }] })));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST" || req.url !== "/graphql") return send(res, 404, "not found");
    const body = JSON.parse(await readBody(req)) as { query: string; variables?: Record<string, unknown>; operationName?: string };
    const document: DocumentNode = parse(body.query);
    const problems = validate(minaSchema, document);
    if (problems.length > 0) return send(res, 400, JSON.stringify({ errors: problems.map((e) => ({ message: e.message })) }));
    const operation = getOperationAST(document, body.operationName);
    const operationName = operation?.name?.value ?? "";
    const variables = body.variables ?? {};
    const coerced = getVariableValues(minaSchema, operation?.variableDefinitions ?? [], variables);
    if (coerced.errors) return send(res, 400, JSON.stringify({ errors: coerced.errors.map((e) => ({ message: e.message })) }));
    requests.push({ operationName, variables });
    const handler = handlers[operationName];
    if (!handler) return send(res, 200, JSON.stringify({ errors: [{ message: `fake node: no handler for ${operationName}` }] }));
    const callIndex = calls.get(operationName) ?? 0;
    calls.set(operationName, callIndex + 1);
    const canned = handler(variables, callIndex);
    if (isRaw(canned)) {
      if (canned[RAW] === "hang") return;
      if (canned[RAW] === "cut") return void req.socket.destroy();
      return send(res, canned.status, canned.body);
    }
    const result = await execute({ schema: minaSchema, document, rootValue: canned, variableValues: variables, operationName });
    send(res, 200, JSON.stringify(result));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if ("socketPath" in listen) server.listen(listen.socketPath, resolve);
    else server.listen(listen.port, "127.0.0.1", resolve);
  });
  const port = server.address() as AddressInfo | string as AddressInfo | string;
  const socketPath = "socketPath" in listen ? listen.socketPath : undefined;
  return {
    // With a unix socket the host part is only what the Host header says.
    url: typeof port === "string" ? "http://localhost/graphql" : `http://127.0.0.1:${port.port}/graphql`,
    socketPath,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port that is free now (for a server that will start late on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
