import { eventIdTable, SIMULATOR_EVENT_ID_TABLE_NAME } from "@mina-local/engine";
import type { SnarkWorkerOptions } from "./cli.js";
import { postJson } from "./http.js";
import { Logger } from "./log.js";
import { workIdsJson } from "./mina-json.js";
import { EVENTS, LINES } from "./mina-sites.js";
import { GetWorkReplySchema, PROTOCOL_PREFIX, SubmitWorkReplySchema } from "./protocol.js";

/** "Proving" takes this long: no SNARK is computed (see README.md). */
const PROVING_DELAY_MS = 300;
const IDLE_POLL_MS = 1000;
/** Failing to reach the coordinator is normal while it starts; it becomes a warning after this long. */
const UNREACHABLE_WARNING_MS = 120_000;
const SIM_FILE = "snark-worker.ts";

/** `mina internal snark-worker`: polls the coordinator's client port for work, "proves" it, hands it back (snark_worker/functor.ml's loop). */
export async function runSnarkWorker(options: SnarkWorkerOptions, signal: AbortSignal): Promise<void> {
  const logger = new Logger({ json: options.logJson, level: options.logLevel, table: eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME) });
  const address = `${options.daemonAddress.host}:${options.daemonAddress.port}`;
  const base = `http://${address}${PROTOCOL_PREFIX}/snark`;
  logger.line(LINES.workerWorkingDirectory, { dir: process.cwd() });
  logger.line(LINES.workerUsingDaemon, { addr: address });
  let unreachableSince: number | undefined;
  let warned = false;
  while (!signal.aborted) {
    try {
      const reply = GetWorkReplySchema.parse(await postJson(`${base}/get-work`, {}, 5000));
      unreachableSince = undefined;
      warned = false;
      if (!reply.work) {
        logger.line(LINES.noJobsAvailable, { time: IDLE_POLL_MS / 1000 });
        await sleep(IDLE_POLL_MS, signal);
        continue;
      }
      const workIds = reply.work.workIds;
      logger.line(LINES.snarkWorkReceivedFromCoordinator, { address, work_ids: workIdsJson(workIds) });
      const started = Date.now();
      await sleep(PROVING_DELAY_MS, signal);
      // emit_proof_metrics: one Base_snark_generated per statement (the simulator's jobs are all base jobs)
      const time = `${Math.max(1, Math.round((Date.now() - started) / workIds.length))}ms`;
      for (let i = 0; i < workIds.length; i++) {
        logger.event(EVENTS.baseSnarkGenerated, { time, transaction_type: "signed command", zkapp_command_count: 1, proof_zkapp_command_count: 0 });
      }
      logger.line(LINES.submittedSnarkWork, { address, work_ids: workIdsJson(workIds) });
      const submitted = SubmitWorkReplySchema.parse(await postJson(`${base}/submit-work`, { workIds }, 5000));
      if (!submitted.accepted && !submitted.reason?.startsWith("stale")) {
        logger.sim(SIM_FILE, "Warn", "The coordinator at $address did not take work $work_ids: $reason", { address, work_ids: workIds, reason: submitted.reason ?? "rejected" });
      }
    } catch (error) {
      if (signal.aborted) break;
      const now = Date.now();
      unreachableSince ??= now;
      if (options.shutdownOnDisconnect && now - unreachableSince > 30_000) {
        logger.sim(SIM_FILE, "Error", "Cannot reach the daemon at $address: shutting down (-shutdown-on-disconnect)", { address, error: (error as Error).message });
        return;
      }
      if (!warned && now - unreachableSince > UNREACHABLE_WARNING_MS) {
        warned = true;
        logger.sim(SIM_FILE, "Warn", "Cannot reach the daemon at $address for $seconds s: $error", { address, seconds: Math.round((now - unreachableSince) / 1000), error: (error as Error).message });
      } else {
        logger.sim(SIM_FILE, "Debug", "Couldn't get work from $address: $error", { address, error: (error as Error).message });
      }
      await sleep(IDLE_POLL_MS, signal);
    }
  }
  logger.line(LINES.workerTerminating);
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
