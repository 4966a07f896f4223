import type { LocalOptions } from "./cli-options.js";
import type { TestDefinition } from "./dsl/define-test.js";
import { LineTail } from "./dsl/line-tail.js";
import { StateStore } from "./dsl/state-store.js";
import { runTestBody, type TestRunOutcome } from "./dsl/test-runner.js";
import { localEngine, type LocalEngine } from "./local-engine/engine.js";
import type { PickedTable } from "./local-engine/event-ids.js";
import { cleanupRun, destroyRun, type LocalNetworkManager } from "./local-engine/network-manager.js";
import { createLocalRun, type LocalRun } from "./local-engine/run-context.js";
import { forModule, type ExecutiveLogger } from "./logger.js";
import type { Progress } from "./progress.js";
import { outcomeOf, type FailureDetail, type LogErrorsReport, type Outcome, type PipelineSummary, type TestReport } from "./report/model.js";
import { renderTextReport } from "./report/render.js";
import { waitForEnter } from "./debug-pause.js";
import { debugHelp } from "./run/debug-help.js";
import { summarizeLogErrors } from "./run/log-error-summary.js";
import { addNetworkErrors, classifyFailure, failureOf, finalVerdict, type RunFailure } from "./run/outcome.js";
import { pipelineSummary } from "./run/pipeline-summary.js";
import { writeReports } from "./run/report-files.js";
import { startNetwork } from "./run/start-network.js";

export interface RunContext {
  logger: ExecutiveLogger;
  progress: Progress;
  /** aborted by SIGINT / SIGTERM */
  signal: AbortSignal;
  /** aborted, with the error as reason, when the process meets an exception nothing caught */
  crashed?: AbortSignal;
}

/** What one run learnt, step by step, for its report. */
interface RunFacts {
  image: string;
  picked?: PickedTable;
  outcome?: TestRunOutcome;
  failure?: RunFailure;
  failureDetail?: FailureDetail;
  logErrors?: LogErrorsReport;
  crash?: string;
}

/**
 * One run of one test on the local engine, from config to teardown, in Mina's order
 * (test_executive.ml): `Network_config.expand`, `Network_manager.create` (a dry run stops
 * there), `deploy`, `Log_engine.create`, the start of the nodes, the test, `destroy`,
 * `cleanup`. Teardown runs on every path (pass, failure, exception, interruption) and the
 * report says what happened.
 */
export async function runLocalTest(test: TestDefinition, options: LocalOptions, context: RunContext): Promise<TestReport> {
  const { logger, progress, signal } = context;
  const log = forModule(logger, "Test_executive");
  const startedAt = new Date();
  const run = createLocalRun({ outputDir: options.outputDir, store: new StateStore(), lines: new LineTail(), log, progress, signal });
  const facts: RunFacts = { image: options.minaImage ?? "" };
  context.crashed?.addEventListener(
    "abort",
    () => {
      const error: unknown = context.crashed?.reason;
      facts.crash = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log.error({ error: facts.crash }, "The executive crashed: $error");
      run.abort("crashed");
    },
    { once: true },
  );
  const report: ReportOf = (outcome, teardownFailures = [], pipeline = pipelineSummary(run.pipeline, run.store.state.parseErrors)) =>
    reportOf(test, run, facts, { startedAt, outcome, teardownFailures, pipeline });

  const engine = localEngine(run, { logger, signal });
  const manager = await runSteps({ engine, run, facts, test, options, context, report });
  if (manager && "dryRun" in manager) return manager.dryRun;
  const teardownFailures = manager ? await manager.destroy() : await destroyRun(run);
  if (manager) await manager.cleanup();
  else cleanupRun(run);
  const result = conclude(run, facts, options, teardownFailures, report);
  writeReports(run.runDir, result, facts.picked?.table, log);
  return result;
}

type ReportOf = (outcome: Outcome, teardownFailures?: string[], pipeline?: PipelineSummary) => TestReport;

/**
 * Every step up to the end of the test body (and the --debug pause); an error stops them and
 * becomes the run's failure. The manager, for `destroy` and `cleanup` (undefined: none was
 * created, the run's teardown still runs), or a dry run's report (written; nothing ran, nothing to tear down).
 */
async function runSteps(input: {
  engine: LocalEngine;
  run: LocalRun;
  facts: RunFacts;
  test: TestDefinition;
  options: LocalOptions;
  context: RunContext;
  report: ReportOf;
}): Promise<LocalNetworkManager | { dryRun: TestReport } | undefined> {
  const { engine, run, facts, test, options, report } = input;
  const { logger, progress, signal } = input.context;
  let manager: LocalNetworkManager | undefined;
  try {
    const learnt = { onImage: (image: string) => void (facts.image = image), onPicked: (picked: PickedTable) => void (facts.picked = picked) };
    const config = await engine.networkConfig.expand({ test, options, learnt });
    manager = await engine.createNetworkManager(config);
    if (options.dryRun) {
      progress.note(`dry run: the run directory is ${run.runDir} (compose file: ${run.paths.composeFile}); event ids: table ${config.picked.choice.table} (${config.picked.choice.reason})`);
      // the report files record what the run would have used (the event-id table and why)
      const dryRun = report("passed");
      writeReports(run.runDir, dryRun, config.picked.table, run.log);
      return { dryRun };
    }
    const deployed = await manager.deployWithIngress();
    const started = manager;
    const logEngine = await engine.createLogEngine(deployed.network);
    run.teardown.add("destroying the log engine", () => logEngine.destroy());
    await startNetwork(run, { network: deployed.network, later: config.later, startArchiveNodes: () => started.startArchiveNodes() });

    progress.step(`running ${test.name}`);
    facts.outcome = await runTestBody(test, { store: run.store, lines: run.lines, network: deployed.network, log: forModule(logger, test.name), signal: run.signal });
    run.testFinished = true;
    progress.done(`${test.name} finished`);

    if (options.debug && !signal.aborted) {
      // the results first: the user decides what to look at with them in view
      const sofar = report(outcomeOf(facts.outcome.errors, Object.keys(run.store.state.crashed).length > 0));
      progress.note(`${renderTextReport(sofar)}(the test's results; teardown and the final report follow after Enter)\n`);
      progress.note(debugHelp(run.runDir, deployed.ingress, deployed.natsUrl, run.runId));
      await waitForEnter(signal);
    }
  } catch (error) {
    const { failure, detail } = failureOf(error, classifyFailure(error, run.signal.aborted, run.store.state, run.deaths), options.outputDir);
    facts.failure = failure;
    facts.failureDetail = detail;
    run.log.error({ error: failure.message }, "Run failed: $error");
  }
  return manager;
}

/** After teardown (the drain is done: every line the nodes wrote is in): the nodes' log errors, the network's and the pipeline's faults, the verdict, the report. */
function conclude(run: LocalRun, facts: RunFacts, options: LocalOptions, teardownFailures: string[], report: ReportOf): TestReport {
  if (!options.dryRun) facts.logErrors = summarizeLogErrors({ logErrors: run.store.logErrors, outcome: facts.outcome, stops: run.stops.stops, failOnLogErrors: options.failOnLogErrors });
  const pipeline = pipelineSummary(run.pipeline, run.store.state.parseErrors);
  addNetworkErrors(facts.outcome, { pipeline, deaths: run.deaths, busFaults: run.busFaults });
  // a fault that aborted a step before the test body ran is what the step's own error follows from
  if (!facts.outcome && facts.failure && run.busFaults.length > 0) facts.failure = { ...facts.failure, message: `${run.busFaults.join("\n")}\n(then: ${facts.failure.message})` };
  const crashed = Object.keys(run.store.state.crashed).length > 0 || run.deaths.length > 0;
  const verdict = finalVerdict({
    outcome: facts.outcome,
    failure: facts.failure,
    failureDetail: facts.failureDetail,
    crash: facts.crash,
    crashed,
    faulted: crashed || run.busFaults.length > 0,
    aborted: run.signal.aborted,
    abortReason: run.signal.reason,
    teardownFailures,
    pipeline,
  });
  facts.failure = verdict.failure;
  facts.failureDetail = verdict.failureDetail;
  return report(verdict.outcome, teardownFailures, pipeline);
}

function reportOf(test: TestDefinition, run: LocalRun, facts: RunFacts, at: { startedAt: Date; outcome: Outcome; teardownFailures: string[]; pipeline: PipelineSummary | undefined }): TestReport {
  const { startedAt, outcome, teardownFailures, pipeline } = at;
  const failureText = [facts.failure?.message, ...teardownFailures.map((f) => `teardown: ${f}`)].filter(Boolean).join("; ");
  const { store } = run;
  return {
    test: test.name,
    runId: run.runId,
    runDir: run.runDir,
    image: facts.image,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    outcome,
    sections: facts.outcome?.sections ?? [],
    errors: facts.outcome?.errors ?? [],
    ...(pipeline && { pipeline }),
    ...(facts.picked && { eventIds: facts.picked.choice }),
    ...(facts.logErrors && { logErrors: facts.logErrors }),
    ...(store.state.unparsable.length > 0 && { unparsable: store.state.unparsable }),
    ...(run.nodeHosts && { nodeHosts: Object.fromEntries(run.nodeHosts) }),
    ...(failureText && { failure: failureText }),
    ...(facts.failureDetail && { failureDetail: facts.failureDetail }),
  };
}
