import type { TestContext } from "./define-test.js";
import { TestAborted, TestFailure } from "./errors.js";
import { spanMs, type CheckResult, type Timeout } from "./wait-conditions.js";

export interface PollOptions {
  softTimeout: Timeout;
  hardTimeout: Timeout;
  /** pause between probes */
  intervalMs?: number;
}

/**
 * Waits on something only a node's GraphQL can tell (its peers, its best chain), as Mina's
 * executive does for `get_peer_id`: probes until done, with the same soft/hard timeouts as a
 * wait condition. A probe that throws (a node busy restarting) counts as "not yet".
 */
export async function pollUntil(t: TestContext, description: string, probe: () => Promise<CheckResult>, options: PollOptions): Promise<void> {
  const soft = spanMs(options.softTimeout, t.network.constants);
  const hard = spanMs(options.hardTimeout, t.network.constants);
  const startedAt = Date.now();
  let softReported = false;
  let last = "nothing probed yet";
  t.log.info({ condition: description, soft_timeout_ms: soft, hard_timeout_ms: hard }, "Polling for $condition");
  for (;;) {
    if (t.signal.aborted) throw new TestAborted(String(t.signal.reason ?? "aborted"));
    let result: CheckResult;
    try {
      result = await probe();
    } catch (error) {
      result = { done: false, waitingFor: error instanceof Error ? error.message : String(error) };
    }
    if ("failed" in result) throw new TestFailure(`${description}: ${result.failed}`);
    if (result.done) {
      const waited = Date.now() - startedAt;
      // as a wait condition (Mina's wait_for): done past the soft timeout is a soft error
      if (softReported) t.softError(`soft timeout (${soft} ms) passed polling for ${description}: done after ${waited} ms, beyond expectation`);
      else t.log.info({ condition: description, waited_ms: waited }, "Done polling for $condition");
      return;
    }
    last = result.waitingFor;
    const elapsed = Date.now() - startedAt;
    if (elapsed >= hard) throw new TestFailure(`hard timeout (${hard} ms) polling for ${description}; ${last}`);
    if (elapsed >= soft && !softReported) {
      softReported = true;
      t.log.warn({ condition: description, waiting_for: last }, "Soft timeout passed polling for $condition; $waiting_for");
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
