import { createInterface } from "node:readline";

/** --debug: keep the network up until the user presses Enter (or the run is interrupted). */
export function waitForEnter(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!process.stdin.readable) return resolve();
    const rl = createInterface({ input: process.stdin });
    const done = () => {
      rl.close();
      signal.removeEventListener("abort", done);
      resolve();
    };
    rl.once("line", done);
    rl.once("close", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
