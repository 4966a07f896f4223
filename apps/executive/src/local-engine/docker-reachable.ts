import { outcomeOfSetupError } from "../report/model.js";

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ETIMEDOUT", "EHOSTUNREACH"]);

/** Docker could not be asked at all (not: it answered that something is wrong). */
export function dockerUnreachable(error: unknown): boolean {
  if (outcomeOfSetupError(error) === "docker-unavailable") return true;
  for (let e: unknown = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE.has(code)) return true;
  }
  return false;
}
