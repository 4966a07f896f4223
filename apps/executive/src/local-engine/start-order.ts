import { MinaLocalError } from "@mina-local/engine";
import type { TestNetwork } from "../dsl/define-test.js";
import type { StateStore } from "../dsl/state-store.js";

/** Mina's hard timeout for nodes to initialize (wait_condition.ml: 15 minutes). */
export const SEED_INIT_TIMEOUT_MS = 15 * 60_000;

/**
 * Mina's start order (its executive starts the seeds, waits for their Node_initialization,
 * then starts every other node): the compose file starts only the seeds, this starts the
 * rest, except the nodes the test starts itself later.
 */
export async function startAfterSeeds(options: {
  store: StateStore;
  network: TestNetwork;
  later: ReadonlySet<string>;
  timeoutMs: number;
  signal: AbortSignal;
  onProgress?: (line: string) => void;
}): Promise<void> {
  const { store, network, later } = options;
  const seeds = network.seeds.filter((n) => !later.has(n.name)).map((n) => n.name);
  const missing = () => seeds.filter((name) => !store.state.initialized[name]);
  if (missing().length > 0) {
    options.onProgress?.(`waiting for ${missing().join(", ")} to initialize`);
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        unsubscribe();
        options.signal.removeEventListener("abort", onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => finish(new MinaLocalError("setup", `interrupted while waiting for the seeds to initialize: ${String(options.signal.reason)}`));
      const timer = setTimeout(
        () =>
          finish(
            new MinaLocalError(
              "setup",
              `the seeds ${missing().join(", ")} did not log Node_initialization within ${Math.round(options.timeoutMs / 60_000)} minutes, so the other nodes were not started`,
              { hint: "see the seeds' logs in the run directory (logs/<node>.log)" },
            ),
          ),
        options.timeoutMs,
      );
      const unsubscribe = store.subscribe(() => {
        if (missing().length === 0) finish();
      });
      options.signal.addEventListener("abort", onAbort, { once: true });
      if (missing().length === 0) finish();
    });
  }
  const rest = network.all.filter((n) => n.role !== "seed" && !later.has(n.name));
  options.onProgress?.(`starting ${rest.map((n) => n.name).join(", ") || "no other node"}`);
  await Promise.all(rest.map((node) => node.start()));
}
