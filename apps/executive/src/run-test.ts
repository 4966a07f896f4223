import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { composeFromNetwork, runPaths, validateComposeFile, writeRunDirectory } from "@mina-local/compose-generator";
import { DEFAULT_POSTGRES_IMAGE, MinaLocalError, newRunId, parseTestConfig } from "@mina-local/engine";
import { ensureRunStream, minaLineClassifier, nodeStatusSubject, startFifoRelay, startNatsServer, type FifoRelay, type EmbeddedNats } from "@mina-local/bus";
import { inlineEventParser, type InlineEventParser } from "@mina-local/event-parser";
import { SwarmManager, currentOwner, type ContainerDeath } from "@mina-local/swarm-manager";
import type { NatsConnection } from "@nats-io/transport-node";
import type { LocalOptions } from "./cli-options.js";
import type { TestDefinition } from "./dsl/define-test.js";
import { LineTail } from "./dsl/line-tail.js";
import { StateStore } from "./dsl/state-store.js";
import { runTestBody, type TestRunOutcome } from "./dsl/test-runner.js";
import { attributeLogErrors, countLogErrorsAsTestErrors } from "./log-errors.js";
import { archiveImageProblem, deferredByArchives, startArchives } from "./local-engine/archive-start.js";
import { startBusFeed, type BusFeed } from "./local-engine/bus-feed.js";
import { eventIdTableForRun, executiveEventIds, type PickedTable } from "./local-engine/event-ids.js";
import { StopLog } from "./local-engine/stop-log.js";
import { GRAPHQL_PORTS_FILE, portsFromBase, startGraphqlProxies, writeGraphqlPortsFile } from "./local-engine/graphql-proxy.js";
import { localTestNetwork } from "./local-engine/local-network.js";
import { DRY_RUN_SUBNET, networkForImage, networkWithoutImage } from "./local-engine/network-for-image.js";
import { SEED_INIT_TIMEOUT_MS, startAfterSeeds } from "./local-engine/start-order.js";
import { forwarderExecutable, imageCarriesForwarder, resolveArchiveImage, resolveMinaImage } from "./local-engine/images.js";
import { resolvePostgresImage } from "./local-engine/postgres/image.js";
import { recordOwner, sweepAbandonedRuns } from "./local-engine/sweep.js";
import { registerRun, unregisterRun } from "./local-engine/run-registry.js";
import { forModule, type ExecutiveLogger } from "./logger.js";
import type { Progress } from "./progress.js";
import { LOG_ERRORS_LISTED, outcomeOf, outcomeOfSetupError, outcomeWithPipeline, pipelineLosses, type FailureDetail, type LogErrorsReport, type Outcome, type PipelineSummary, type TestReport } from "./report/model.js";
import { renderJunitReport, renderTextReport } from "./report/render.js";
import { writeHtmlReport } from "./report/html/write-html.js";
import { Teardown } from "./teardown.js";
import { waitForEnter } from "./debug-pause.js";
import { removeBusRecord, writeBusRecord } from "./watch/bus-record.js";
import { imageForDryRun } from "./local-engine/dry-run-image.js";

export interface RunContext {
  logger: ExecutiveLogger;
  progress: Progress;
  /** aborted by SIGINT / SIGTERM */
  signal: AbortSignal;
  /** aborted, with the error as reason, when the process meets an exception nothing caught */
  crashed?: AbortSignal;
}

/**
 * One run of one test on the local engine, from config to teardown. Teardown runs on
 * every path (pass, failure, exception, interruption) and the report says what happened.
 */
export async function runLocalTest(test: TestDefinition, options: LocalOptions, context: RunContext): Promise<TestReport> {
  const { logger, progress, signal } = context;
  const log = forModule(logger, "Test_executive");
  const startedAt = new Date();
  const runId = newRunId();
  const runDir = join(options.outputDir, runId);
  const paths = runPaths(runDir);
  const teardown = new Teardown();
  const store = new StateStore();
  const lines = new LineTail();
  const stops = new StopLog();
  let image = options.minaImage ?? "";
  let picked: PickedTable | undefined;
  let logErrors: LogErrorsReport | undefined;
  let outcome: TestRunOutcome | undefined;
  let failure: { outcome: Outcome; message: string } | undefined;
  let failureDetail: FailureDetail | undefined;
  let relay: FifoRelay | undefined;
  let parser: InlineEventParser | undefined;
  let feed: BusFeed | undefined;
  const deaths: ContainerDeath[] = [];
  const busFaults: string[] = [];
  let crash: string | undefined;
  // Aborted by a signal from outside (SIGINT, SIGTERM) or by a crash inside; the test body listens to this one.
  const runSignal = new AbortController();
  if (signal.aborted) runSignal.abort(signal.reason);
  else signal.addEventListener("abort", () => runSignal.abort(signal.reason), { once: true });
  context.crashed?.addEventListener(
    "abort",
    () => {
      const error: unknown = context.crashed?.reason;
      crash = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log.error({ error: crash }, "The executive crashed: $error");
      abortRun("crashed");
    },
    { once: true },
  );

  /** The log pipeline's counts; lines still in the relay at the end count as lost (its drain did not finish). */
  const pipelineSummary = (): PipelineSummary | undefined => {
    const relayStats = relay?.stats();
    const feedStats = feed?.stats();
    if (!relayStats || !feedStats) return undefined;
    const parserStats = parser?.stats();
    return {
      linesRelayed: relayStats.linesRelayed,
      linesReceived: relayStats.linesReceived,
      linesLost: relayStats.linesLost + relayStats.linesPending,
      blankLines: relayStats.kinds.blank,
      parseErrors: store.state.parseErrors,
      eventsReceived: feedStats.events,
      maxLagMs: relayStats.maxLagMs,
      errors: {
        linesLostInFifo: relayStats.linesLostInFifo,
        linesNotPublished: relayStats.linesNotPublished,
        linesNotWritten: relayStats.linesNotWritten,
        linesUndrained: relayStats.linesPending,
        batchesNotParsed: relayStats.parserFailures,
        eventsNotPublished: parserStats?.publishFailures ?? 0,
        eventsNotApplied: feedStats.badEvents + feedStats.failedEvents,
      },
    };
  };

  const report = (finalOutcome: Outcome, teardownFailures: string[] = [], pipeline = pipelineSummary()): TestReport => {
    const errors = outcome?.errors ?? [];
    const failureText = [failure?.message, ...teardownFailures.map((f) => `teardown: ${f}`)].filter(Boolean).join("; ");
    return {
      test: test.name,
      runId,
      runDir,
      image,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      outcome: finalOutcome,
      sections: outcome?.sections ?? [],
      errors,
      ...(pipeline && { pipeline }),
      ...(picked && { eventIds: picked.choice }),
      ...(logErrors && { logErrors }),
      ...(store.state.unparsable.length > 0 && { unparsable: store.state.unparsable }),
      ...(failureText && { failure: failureText }),
      ...(failureDetail && { failureDetail }),
    };
  };

  const step = async <T>(message: string, work: () => Promise<T>): Promise<T> => {
    if (runSignal.signal.aborted) throw new MinaLocalError("setup", `interrupted before: ${message}: ${String(runSignal.signal.reason)}`);
    progress.step(message);
    log.info({ step: message }, "$step");
    const value = await work();
    progress.done();
    return value;
  };

  try {
    const parsed = parseTestConfig(test.config, `test ${test.name}: config`);
    if (!parsed.ok) throw parsed.error;
    // a dry run when Docker cannot be asked: the note that says so; nothing is run, the tags are taken as given
    let dockerless: string | undefined;
    image = await step("resolving the Mina image", async () => {
      if (!options.dryRun) return resolveMinaImage(options.minaImage, (line) => progress.update(line));
      const resolved = await imageForDryRun(options.minaImage, (line) => progress.update(line));
      if (resolved.note) {
        dockerless = resolved.note;
        progress.note(resolved.note);
        log.warn({ note: resolved.note }, "$note");
      }
      return resolved.image;
    });
    const archived = parsed.value.num_archive_nodes > 0;
    const archiveImage = archived && options.archiveImage !== undefined ? (dockerless ? options.archiveImage : await resolveArchiveImage(options.archiveImage)) : undefined;
    const postgresImage = !archived
      ? undefined
      : dockerless
        ? (options.postgresImage ?? DEFAULT_POSTGRES_IMAGE)
        : await step("resolving the PostgreSQL image of the archive nodes", () => resolvePostgresImage(options.postgresImage, (line) => progress.update(line)));
    const images = { mina: image, ...(archiveImage && { archive: archiveImage }), ...(postgresImage && { postgres: postgresImage }) };
    const owner = currentOwner();
    // a real image (Mina's daemon, or an --archive-image) gets the forwarder bind-mounted; every node then gets it, which the simulator image runs as well
    const forwarderPath = [image, archiveImage].every((i) => i === undefined || imageCarriesForwarder(i))
      ? undefined
      : await step("preparing the log-forwarder for the image", () => forwarderExecutable(join(options.outputDir, ".cache"), (line) => progress.update(line)));
    // the image is run once before anything is deployed (a dry run too: its files carry what the image said)
    const docker = dockerless ? undefined : await step("connecting to Docker", () => SwarmManager.connect());
    const { network, probe } = docker
      ? await step("running the image once (mina version, its structured events, compile-time constants)", () =>
          networkForImage({ test, images, runId, runDir, swarm: docker, log, ...(forwarderPath && { forwarderPath }) }),
        )
      : networkWithoutImage(test, images, runId, `the image was not run: ${dockerless}`);
    const archiveProblem = archiveImageProblem(network, imageCarriesForwarder);
    if (archiveProblem) throw new MinaLocalError("invalid-arguments", archiveProblem);
    picked = eventIdTableForRun(images.mina, options.eventIds, probe);
    log.info({ table: picked.choice.table, reason: picked.choice.reason }, "Reading the nodes' events with the event-id table $table: $reason");
    const subnet = docker ? await docker.freeRunSubnet() : DRY_RUN_SUBNET;
    const later = new Set([...(test.startLater ?? []), ...deferredByArchives(network)]);
    const compose = composeFromNetwork(network, {
      runId,
      runDir,
      dockerLogMaxSize: options.dockerLogMaxSize,
      owner,
      // Mina's start order: the seeds at deploy, the others once the seeds have initialized (startAfterSeeds)
      autostart: (node) => node.role === "seed" && !later.has(node.name),
      // Mina's engines name every event the executive reads (--start-filtered-logs), by the ids of the table in use
      startFilteredLogs: executiveEventIds(picked.table),
      daemonLogLevel: "Trace",
      subnet,
      nodeStopTimeoutMs: options.nodeStopTimeout * 1000,
      ...(forwarderPath && { forwarderPath }),
      ...(options.logFilter && { logFilter: options.logFilter }),
      logLevel: options.logLevel,
    });
    const problems = validateComposeFile(compose);
    if (problems.length > 0) throw new MinaLocalError("internal", `the generated compose file is invalid:\n${problems.join("\n")}`);
    await step("writing the run directory", () => writeRunDirectory(network, compose, runDir));
    log.info({ run_id: runId, run_dir: runDir, nodes: network.nodes.map((n) => `${n.name} (${n.role})`) }, "Run $run_id in $run_dir");

    if (options.dryRun) {
      progress.note(`dry run: the run directory is ${runDir} (compose file: ${paths.composeFile}); event ids: table ${picked.choice.table} (${picked.choice.reason})`);
      // the report files record what the run would have used (the event-id table and why)
      const dry = report("passed");
      writeReports(dry);
      return dry;
    }
    if (docker === undefined) throw new MinaLocalError("internal", "a run that deploys got no Docker connection");
    recordOwner(runDir, owner);
    registerRun(runId, runDir);
    // runs last (last-in first-out), once the stack is gone: the FIFO and the nodes' sockets
    teardown.add("removing the FIFO and the sockets", async () => rmSync(paths.shared, { recursive: true, force: true }), { removes: true });

    const swarm = await step("making sure of the swarm", async () => {
      await docker.ensureSwarm();
      return docker;
    });
    const swept = await sweepAbandonedRuns(options.outputDir, swarm, { kind: "output-dir" });
    if (swept.runs.length + swept.runDirs.length > 0) log.info({ runs: swept.runs, run_dirs: swept.runDirs }, "Removed what runs that died left behind: $runs");

    teardown.add("removing the NATS store", async () => rmSync(join(runDir, "nats"), { recursive: true, force: true }), { removes: true });
    const nats: EmbeddedNats = await step("starting the embedded NATS server", () => startNatsServer({ storeDir: join(runDir, "nats"), logFile: join(runDir, "nats-server.log"), ...(options.natsPort && { port: options.natsPort }) }));
    teardown.add("stopping nats-server", () => nats.stop(), { removes: true });
    log.info({ url: nats.url }, "The run's bus is at $url");
    // for `test_executive watch`: present exactly while the bus is up
    writeBusRecord(runDir, { url: nats.url, runId, natsPid: nats.pid });
    teardown.add("removing bus.json", async () => removeBusRecord(runDir));
    recordOwner(runDir, owner, nats.pid);
    // with nats-server dead (a fault already reported) there is no bus left to drain or close
    const whileBusUp = (work: () => Promise<unknown>) => async () => (nats.running ? work() : undefined);
    nats.onExit((exit) => {
      if (teardown.done) return;
      busFaults.push(`nats-server died mid-run (${JSON.stringify(exit)}); the logs up to then are in ${join(runDir, "logs")}`);
      abortRun("nats-server died mid-run");
    });
    const nc: NatsConnection = await nats.connect();
    teardown.add("closing the NATS connection", whileBusUp(() => nc.drain()));
    await ensureRunStream(nc, runId);

    // Events are parsed from the relay's batches in this process (the lines cross nats-server
    // once), and only the lines the relay's byte scan cannot rule out are parsed at all; the
    // relay writes logs/<node>.log and feeds the line tail from the same batches.
    const activeParser = inlineEventParser({ nc, runId, table: picked.table, logger: { warn: (message) => log.warn({ message }, "$message") } });
    parser = activeParser;
    const utf8 = new TextDecoder();
    relay = await step("opening the log FIFO", () =>
      startFifoRelay({
        onBatch: activeParser.handleBatch,
        classify: minaLineClassifier(),
        logsDir: join(runDir, "logs"),
        onDelivered: (node, _role, delivered) => {
          for (const line of delivered) lines.push(node, utf8.decode(line));
        },
        fifoPath: paths.fifo,
        nc,
        runId,
        onGap: (gap) => log.error({ gap }, "Log lines lost: $gap"),
        onError: (error) => log.error({ kind: error.kind, node: error.node, error: error.message }, "Log pipeline error: $error"),
        maxLagMs: options.maxLogLag * 1000,
        onLag: (lag) => {
          log.error({ node: lag.node, lag_ms: lag.lagMs }, "Log pipeline fell behind: node $node's lines arrive $lag_ms ms late");
          // only while the test runs (its waits read these events), and only the first node to
          // pass the limit: the others follow from the same stall
          if (outcome !== undefined || runSignal.signal.aborted) return;
          busFaults.push(`${lag.message}; was the executive stopped or starved of CPU? (--max-log-lag sets the limit); the logs are in ${join(runDir, "logs")}`);
          abortRun("the log pipeline fell behind");
        },
      }),
    );
    const activeRelay = relay;
    teardown.add("stopping the FIFO relay", () => activeRelay.stop());
    feed = await startBusFeed({ nc, runId, store, onBadEvent: (reason) => log.warn({ reason }, "Bad event on the bus: $reason") });
    const activeFeed = feed;
    teardown.add("stopping the bus feed", () => activeFeed.stop());
    // Teardown runs last-in first-out: this drain runs after the stack is gone (every
    // forwarder has flushed its last line) and before the readers and nats-server stop.
    teardown.add(
      "draining the log pipeline",
      whileBusUp(async () => {
        await activeRelay.drain();
        await activeParser.drain();
        await activeFeed.drain();
      }),
    );

    teardown.add(
      "removing the stack",
      async () => {
        // from here every daemon is being stopped: its shutdown lines are not its errors
        stops.allStopRequested(network.nodes.map((n) => n.name));
        const removed = await swarm.removeStack(runId, { timeoutMs: 60_000 });
        log.info({ run_id: runId, duration_ms: removed.durationMs }, "Stack $run_id removed");
      },
      { removes: true },
    );
    await step(`deploying ${network.nodes.length} nodes`, () => swarm.deployStack(runId, paths.composeFile));
    await step("waiting for every node's container and forwarder", () =>
      swarm.waitForTasks(runId, {
        timeoutMs: 180_000,
        socketsDir: paths.socketsDir,
        onProgress: (p) => {
          progress.update(`${p.node}: ${p.state}`);
          nc.publish(nodeStatusSubject(runId, p.node), JSON.stringify(p));
        },
      }),
    );

    const stopWatch = await swarm.watchContainerDeaths(runId, (death) => {
      deaths.push(death);
      const last = lines.recent(death.node, 10).map((l) => l.text);
      log.error({ node: death.node, action: death.action, exit_code: death.exitCode, last_lines: last }, "The container of node $node died ($action, exit code $exit_code)");
      abortRun(`the container of node ${death.node} died (${death.action}, exit code ${death.exitCode ?? "unknown"})`);
    });
    teardown.add("stopping the container watch", async () => stopWatch());

    const proxies = await step("serving each node's GraphQL on 127.0.0.1", () =>
      startGraphqlProxies(
        network.nodes.map((n) => ({ node: n.name, socketPath: paths.socketOf(n.name) })),
        options.graphqlPortBase === undefined ? undefined : portsFromBase(options.graphqlPortBase, network.nodes.length),
      ),
    );
    teardown.add("closing the GraphQL proxies", async () => {
      await proxies.close();
      // the ports no longer answer once the run is down
      rmSync(join(runDir, GRAPHQL_PORTS_FILE), { force: true });
    });
    writeGraphqlPortsFile(join(runDir, GRAPHQL_PORTS_FILE), proxies.urls);
    log.info({ graphql: Object.fromEntries(proxies.urls) }, "GraphQL of every node on loopback: $graphql");

    const testNetwork = localTestNetwork({
      runId,
      runDir,
      config: network,
      swarm,
      log: forModule(logger, "Network"),
      signal,
      nodeStopTimeoutMs: options.nodeStopTimeout * 1000,
      onStopRequested: (node) => stops.stopRequested(node),
      onStartRequested: (node) => stops.startRequested(node),
    });
    teardown.add("closing GraphQL clients", () => testNetwork.close());

    const crashWatch = store.subscribe((state, event) => {
      if (event.type === "Node_crashed") {
        const last = lines.recent(event.node, 10).map((l) => l.text);
        log.error({ node: event.node, last_lines: last }, "Node $node crashed");
        abortRun(`node ${event.node} crashed (${JSON.stringify(state.crashed[event.node])})`);
      }
    });
    teardown.add("unsubscribing the crash watch", async () => crashWatch());

    if (network.archives.length > 0) {
      await step(`starting ${network.archives.length} archive node(s)`, () =>
        startArchives({ runId, network, swarm, lines, signal: runSignal.signal, onProgress: (line) => progress.update(line) }),
      );
    }
    await step("starting the other nodes once the seeds have initialized", () =>
      startAfterSeeds({ store, network: testNetwork, later, timeoutMs: SEED_INIT_TIMEOUT_MS, signal: runSignal.signal, onProgress: (line) => progress.update(line) }),
    );

    progress.step(`running ${test.name}`);
    outcome = await runTestBody(test, { store, lines, network: testNetwork, log: forModule(logger, test.name), signal: runSignal.signal });
    progress.done(`${test.name} finished`);

    if (options.debug && !signal.aborted) {
      // the results first: the user decides what to look at with them in view
      const sofar = report(outcomeOf(outcome.errors, Object.keys(store.state.crashed).length > 0));
      progress.note(`${renderTextReport(sofar)}(the test's results; teardown and the final report follow after Enter)\n`);
      progress.note(debugHelp(runDir, proxies.urls, nats.url, runId));
      await waitForEnter(signal);
    }
  } catch (error) {
    const failed = classify(error, runSignal.signal, store, deaths);
    const message = error instanceof Error ? describe(error) : String(error);
    failure = {
      outcome: failed,
      message: failed === "disk-full" ? `the disk holding ${options.outputDir} is full (${message})\n  what to do: free some space, or pass --output-dir on another disk` : message,
    };
    failureDetail = failureDetailOf(error, failed);
    log.error({ error: failure.message }, "Run failed: $error");
  }

  progress.step("tearing down");
  const teardownFailures = await teardown.run((name) => progress.update(name));
  progress.done("torn down");
  for (const f of teardownFailures) log.error({ failure: f }, "Teardown failed: $failure");
  // kept when removing something failed, so that the next start (or `test_executive cleanup`) finishes the job
  if (!teardown.leftSomethingBehind) {
    rmSync(join(runDir, "owner.json"), { force: true });
    unregisterRun(runId);
  }

  if (!options.dryRun) {
    // after the drain: every line the nodes wrote up to their last is in the store
    const summary = attributeLogErrors(store.logErrors, outcome?.timeline ?? { sections: [] }, stops.stops);
    const soft = summary.counted.filter((e) => e.severity === "soft").length;
    logErrors = {
      decideOutcome: options.failOnLogErrors,
      soft,
      hard: summary.counted.length - soft,
      afterStop: summary.afterStop,
      listed: summary.counted.slice(0, LOG_ERRORS_LISTED),
      notListed: Math.max(0, summary.counted.length - LOG_ERRORS_LISTED),
    };
    if (options.failOnLogErrors && outcome) Object.assign(outcome, countLogErrorsAsTestErrors(outcome.sections, outcome.errors, summary.counted));
  }
  const pipeline = pipelineSummary();
  for (const loss of pipeline ? pipelineLosses(pipeline.errors) : []) outcome?.errors.push({ severity: "hard", section: "(log pipeline)", message: loss });
  for (const death of deaths) {
    outcome?.errors.push({ severity: "hard", section: "(network)", node: death.node, message: `the container died (${death.action}, exit code ${death.exitCode ?? "unknown"})` });
  }
  for (const fault of busFaults) outcome?.errors.push({ severity: "hard", section: "(log pipeline)", message: fault });
  const crashed = Object.keys(store.state.crashed).length > 0 || deaths.length > 0;
  const faulted = crashed || busFaults.length > 0;
  if (crash !== undefined) failureDetail = undefined;
  if (crash !== undefined) failure = { outcome: "executive-crashed", message: `the executive crashed on an exception that nothing caught (a bug in the test or in mina-local); the run was torn down:\n${crash}` };
  const finalOutcome: Outcome = outcomeWithPipeline(
    failure?.outcome ??
    (faulted
      ? outcomeOf(outcome?.errors ?? [], crashed)
      : runSignal.signal.aborted
        ? "interrupted"
        : teardownFailures.length > 0
          ? "teardown-failed"
          : outcomeOf(outcome?.errors ?? [], crashed)),
    pipeline?.errors,
  );
  if (finalOutcome === "interrupted" && !failure) failure = { outcome: "interrupted", message: `the run was ${String(runSignal.signal.reason)}` };
  if (!failureDetail && failure) failureDetail = { outcome: failure.outcome, kind: failure.outcome, message: failure.message };
  else if (!failureDetail && finalOutcome === "teardown-failed") {
    failureDetail = { outcome: finalOutcome, kind: "teardown", message: teardownFailures.join("; "), hint: "run `test_executive cleanup` to remove what is left" };
  }
  const result = report(finalOutcome, teardownFailures, pipeline);
  writeReports(result);
  return result;

  function abortRun(reason: string) {
    if (!runSignal.signal.aborted) runSignal.abort(reason);
  }

  function writeReports(result: TestReport) {
    try {
      mkdirSync(runDir, { recursive: true, mode: 0o700 });
      writeFileSync(join(runDir, "report.json"), `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
      writeFileSync(join(runDir, "report.xml"), renderJunitReport(result), { mode: 0o600 });
      writeFileSync(join(runDir, "report.txt"), renderTextReport(result), { mode: 0o600 });
      writeHtmlReport(result, picked?.table);
    } catch (error) {
      log.error({ error: String(error) }, "Could not write the report files: $error");
    }
  }
}

function classify(error: unknown, signal: AbortSignal, store: StateStore, deaths: readonly ContainerDeath[]): Outcome {
  if (Object.keys(store.state.crashed).length > 0 || deaths.length > 0) return "node-crashed";
  if (signal.aborted) return "interrupted";
  return outcomeOfSetupError(error);
}

function failureDetailOf(error: unknown, outcome: Outcome): FailureDetail {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof MinaLocalError)) return { outcome, kind: outcome, message };
  return { outcome, kind: error.kind, message, ...(error.where && { where: error.where }), ...(error.hint && { hint: error.hint }) };
}

function describe(error: Error): string {
  const hint = error instanceof MinaLocalError && error.hint ? `\n  what to do: ${error.hint}` : "";
  return `${error.message}${hint}`;
}

function debugHelp(runDir: string, graphqlUrls: ReadonlyMap<string, string>, natsUrl: string, runId: string): string {
  const lines = [`--debug: the network stays up until you press Enter. Each node's GraphQL (also in ${join(runDir, GRAPHQL_PORTS_FILE)}; fix the ports with --graphql-port-base):`];
  for (const [node, url] of graphqlUrls) lines.push(`  ${node.padEnd(16)} ${url}`);
  const [first] = graphqlUrls.values();
  if (first) lines.push(`  e.g. curl -s ${first} -H 'content-type: application/json' -d '{"query":"{ daemonStatus { syncStatus blockchainLength } }"}'`);
  lines.push(`  logs of each node: ${join(runDir, "logs")}/<node>.log`);
  lines.push(`  the bus: ${natsUrl}, subjects mina.${runId}.log.<role>.<node> and mina.${runId}.event.<role>.<node>.<event> (fix the port with --nats-port)`);
  return lines.join("\n");
}
