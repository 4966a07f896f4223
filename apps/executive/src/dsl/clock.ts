import { TestFailure } from "./errors.js";

/** Mina's `Async.at end_t` in a test: resolves at `time` (ms since the Unix epoch), or rejects when the run is stopped. */
export function sleepUntil(time: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TestFailure("the run was stopped"));
    const timer = setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, time - Date.now()),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TestFailure("the run was stopped"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
