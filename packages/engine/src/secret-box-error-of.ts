import { SecretBoxError } from "./secret-box.js";

/** For tests: the SecretBoxError `work` throws (any other error is thrown on; none fails). */
export function secretBoxErrorOf(work: () => unknown): SecretBoxError {
  try {
    work();
  } catch (error) {
    if (error instanceof SecretBoxError) return error;
    throw error;
  }
  throw new Error("expected a SecretBoxError, but nothing was thrown");
}
