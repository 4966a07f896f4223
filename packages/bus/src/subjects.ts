import { MinaLocalError } from "@mina-local/engine";

/**
 * Every subject name of the bus, in one place:
 *   mina.<run>.log.<role>.<node>                raw lines, batched (whole lines of one node, each ended by `\n`)
 *   mina.<run>.event.<role>.<node>.<Event_name> one parsed event (JSON) per message
 *   mina.<run>.node.<node>.status               node status changes
 *   mina.<run>.stats.<what>                     pipeline counters (e.g. stats.pipeline)
 *   mina.<run>.stats.pipeline.<host>            a multi-host run's counters of one host's relay
 *   mina-local.<run>.relay.<host>.drain         request-reply: a host's relay drains and answers its counters
 *   mina-local.<run>.node.<node>.http           request-reply: an HTTP request to a node's forwarder socket, carried
 *                                               by the relay of the node's host (GraphQL, start, stop, status)
 *                                               (outside mina.<run>.>: the run's stream would ack a request there)
 */

// NATS tokens are separated by `.`, `*` and `>` are wildcards, whitespace ends a subject
const INVALID_TOKEN_CHARS = /[.*>\s\p{Cc}]/gu;

/** A valid NATS subject token: invalid characters become `_`; an empty token is refused. */
export function sanitizeToken(value: string): string {
  if (value.length === 0) throw new MinaLocalError("invalid-arguments", "a NATS subject token cannot be empty", { where: "bus subjects" });
  return value.replace(INVALID_TOKEN_CHARS, "_");
}

const t = sanitizeToken;

export function runSubjects(run: string): string {
  return `mina.${t(run)}.>`;
}

export function logSubject(run: string, role: string, node: string): string {
  return `mina.${t(run)}.log.${t(role)}.${t(node)}`;
}

export function eventSubject(run: string, role: string, node: string, type: string): string {
  return `mina.${t(run)}.event.${t(role)}.${t(node)}.${t(type)}`;
}

export function nodeStatusSubject(run: string, node: string): string {
  return `mina.${t(run)}.node.${t(node)}.status`;
}

export function statsSubject(run: string, what: string): string {
  return `mina.${t(run)}.stats.${t(what)}`;
}

/** The relay's counters: the executive's own (`stats.pipeline`), or those of one swarm host's relay. */
export function relayStatsSubject(run: string, host?: string): string {
  return host === undefined ? statsSubject(run, "pipeline") : `${statsSubject(run, "pipeline")}.${t(host)}`;
}

/** Subscribes to the log lines of a role, a node, or all (`*` for what is not given). */
export function logFilter(run: string, by: { role?: string; node?: string } = {}): string {
  return `mina.${t(run)}.log.${by.role === undefined ? "*" : t(by.role)}.${by.node === undefined ? "*" : t(by.node)}`;
}

export function eventFilter(run: string, by: { role?: string; node?: string; type?: string } = {}): string {
  const part = (value: string | undefined) => (value === undefined ? "*" : t(value));
  return `mina.${t(run)}.event.${part(by.role)}.${part(by.node)}.${part(by.type)}`;
}

/** The parts of a log subject, or undefined when it is not one. */
export function parseLogSubject(subject: string): { run: string; role: string; node: string } | undefined {
  const parts = subject.split(".");
  if (parts.length !== 5 || parts[0] !== "mina" || parts[2] !== "log") return undefined;
  return { run: parts[1] as string, role: parts[3] as string, node: parts[4] as string };
}

/** Asks one host's relay to drain (request-reply); not under `mina.<run>.>`, which JetStream stores and acks. */
export function relayDrainSubject(run: string, host: string): string {
  return `mina-local.${t(run)}.relay.${t(host)}.drain`;
}

/** An HTTP request to a node's forwarder socket in a multi-host run; the relay of the host holding the socket answers. */
export function nodeRequestSubject(run: string, node: string): string {
  return `mina-local.${t(run)}.node.${t(node)}.http`;
}

/** What every host's relay subscribes to: the requests of every node of the run (it answers those whose socket it has). */
export function nodeRequestFilter(run: string): string {
  return `mina-local.${t(run)}.node.*.http`;
}

/** The node of a `nodeRequestSubject`, or undefined. */
export function parseNodeRequestSubject(subject: string): string | undefined {
  const parts = subject.split(".");
  return parts.length === 5 && parts[0] === "mina-local" && parts[2] === "node" && parts[4] === "http" ? parts[3] : undefined;
}
