/*
 * Subject names, kept here until @mina-local/bus publishes its helpers (then this module
 * should re-export those). Format from the brief:
 *   mina.<run>.log.<role>.<node>            raw lines, one or more whole lines of one node
 *   mina.<run>.event.<role>.<node>.<type>   one JSON event per message
 */

const UNSAFE = /[^A-Za-z0-9_-]/g;

/** NATS subject tokens cannot hold '.', '*', '>' or whitespace. */
export function subjectToken(text: string): string {
  const token = text.replace(UNSAFE, "_");
  return token === "" ? "_" : token;
}

export const logSubjects = (runId: string): string => `mina.${subjectToken(runId)}.log.>`;

export const eventSubject = (runId: string, role: string, node: string, type: string): string =>
  `mina.${subjectToken(runId)}.event.${subjectToken(role)}.${subjectToken(node)}.${subjectToken(type)}`;

/** `mina.<run>.log.<role>.<node>` -> its role and node tokens; undefined for any other subject. */
export function parseLogSubject(runId: string, subject: string): { role: string; node: string } | undefined {
  const parts = subject.split(".");
  if (parts.length !== 5 || parts[0] !== "mina" || parts[1] !== subjectToken(runId) || parts[2] !== "log") return undefined;
  const [, , , role, node] = parts;
  return role && node ? { role, node } : undefined;
}
