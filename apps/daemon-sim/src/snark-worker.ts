import type { SnarkWorkerOptions } from "./cli.js";
import { postJson } from "./http.js";
import { Logger } from "./log.js";
import { GetWorkReplySchema, PROTOCOL_PREFIX, SubmitWorkReplySchema } from "./protocol.js";

/** "Proving" takes this long: no SNARK is computed (see README.md). */
const PROVING_DELAY_MS = 300;
const IDLE_POLL_MS = 1000;
/** Failing to reach the coordinator is normal while it starts; it becomes a warning after this long. */
const UNREACHABLE_WARNING_MS = 120_000;

/** `mina internal snark-worker`: polls the coordinator's client port for work, "proves" it, hands it back. */
export async function runSnarkWorker(options: SnarkWorkerOptions, signal: AbortSignal): Promise<void> {
  const logger = new Logger({ json: options.logJson, level: options.logLevel });
  const address = `${options.daemonAddress.host}:${options.daemonAddress.port}`;
  const base = `http://${address}${PROTOCOL_PREFIX}/snark`;
  logger.info("Snark_worker", "Snark worker started, asking $address for work (proof level $proof_level)", { address, proof_level: options.proofLevel });
  let unreachableSince: number | undefined;
  let warned = false;
  while (!signal.aborted) {
    try {
      const reply = GetWorkReplySchema.parse(await postJson(`${base}/get-work`, {}, 5000));
      unreachableSince = undefined;
      warned = false;
      if (!reply.work) {
        logger.debug("Snark_worker", "No work available from $address", { address });
        await sleep(IDLE_POLL_MS, signal);
        continue;
      }
      const workIds = reply.work.workIds;
      logger.info("Snark_worker", "Received work $work_ids from $address", { work_ids: workIds, address });
      const started = Date.now();
      await sleep(PROVING_DELAY_MS, signal);
      const submitted = SubmitWorkReplySchema.parse(await postJson(`${base}/submit-work`, { workIds }, 5000));
      if (submitted.accepted) {
        logger.info("Snark_worker", "Submitted completed SNARK work $work_ids to $address", { work_ids: workIds, address, elapsed_ms: Date.now() - started });
      } else if (submitted.reason?.startsWith("stale")) {
        logger.debug("Snark_worker", "Work $work_ids was no longer needed", { work_ids: workIds });
      } else {
        logger.event("Snark_work_failed", "Snark_worker", { error: submitted.reason ?? "rejected by the coordinator", work_ids: workIds });
      }
    } catch (error) {
      if (signal.aborted) break;
      const now = Date.now();
      unreachableSince ??= now;
      if (options.shutdownOnDisconnect && now - unreachableSince > 30_000) {
        logger.error("Snark_worker", "Cannot reach the daemon at $address: shutting down (-shutdown-on-disconnect)", { address, error: (error as Error).message });
        return;
      }
      if (!warned && now - unreachableSince > UNREACHABLE_WARNING_MS) {
        warned = true;
        logger.warn("Snark_worker", "Cannot reach the daemon at $address for $seconds s: $error", { address, seconds: Math.round((now - unreachableSince) / 1000), error: (error as Error).message });
      } else {
        logger.debug("Snark_worker", "Couldn't get work from $address: $error", { address, error: (error as Error).message });
      }
      await sleep(IDLE_POLL_MS, signal);
    }
  }
  logger.info("Snark_worker", "Snark worker stopped", {});
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
