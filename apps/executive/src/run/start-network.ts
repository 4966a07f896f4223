import type { TestNetwork } from "../dsl/define-test.js";
import type { LocalRun } from "../local-engine/run-context.js";
import { SEED_INIT_TIMEOUT_MS, startAfterSeeds } from "../local-engine/start-order.js";

/**
 * Mina's test executive after deploy: a node's crash (its Node_crashed event) aborts the run
 * (`on_fatal_error`), then the archive nodes start, then the seeds' initialization is awaited
 * and every other node started (Mina's start order), except those the test starts itself.
 * The crash watch's teardown goes with the run's.
 */
export async function startNetwork(run: LocalRun, input: { network: TestNetwork; later: ReadonlySet<string>; startArchiveNodes: () => Promise<void> }): Promise<void> {
  const { store, lines, log, progress } = run;
  const crashWatch = store.subscribe((state, event) => {
    if (event.type === "Node_crashed") {
      const last = lines.recent(event.node, 10).map((l) => l.text);
      log.error({ node: event.node, last_lines: last }, "Node $node crashed");
      run.abort(`node ${event.node} crashed (${JSON.stringify(state.crashed[event.node])})`);
    }
  });
  run.teardown.add("unsubscribing the crash watch", async () => crashWatch());
  await input.startArchiveNodes();
  await run.step("starting the other nodes once the seeds have initialized", () =>
    startAfterSeeds({ store, network: input.network, later: input.later, timeoutMs: SEED_INIT_TIMEOUT_MS, signal: run.signal, onProgress: (line) => progress.update(line) }),
  );
}
