import { resolve } from "node:path";
import { Command, Option } from "commander";
import { MinaLocalError } from "@mina-local/engine";
import { DEFAULT_MAX_LOG_LAG_S, DEFAULT_NODE_LOG_LEVEL, DEFAULT_NODE_STOP_TIMEOUT_S, DEFAULT_OUTPUT_DIR, EXECUTIVE_LOG_LEVELS, NODE_LOG_LEVELS, parseLocalOptions } from "./cli-options.js";
import { eventsCommand } from "./events-command.js";
import { createExecutiveLogger, forModule } from "./logger.js";
import { createProgress } from "./progress.js";
import { EXIT_CODES, outcomeOfSetupError } from "./report/model.js";
import { renderTextReport } from "./report/render.js";
import { listTests, loadTest } from "./test-registry.js";
import { writeStarterTest } from "./test-files/init.js";

// Docker's, NATS's and the run's modules load with the command that needs them, so that
// --help, list and init start in a fraction of the time (docs/benchmarks.md section 7).

/**
 * test_executive: stdout carries JSON log lines in Mina's shape (pipe it into logproc);
 * the human progress display and the report go to stderr.
 */
function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof MinaLocalError && error.hint ? `\nwhat to do: ${error.hint}` : "";
  process.stderr.write(`test_executive: ${message}${hint}\n`);
  const code = EXIT_CODES[outcomeOfSetupError(error)];
  process.exit(code);
}

const program = new Command("test_executive")
  .description("Run Mina integration tests on a local Docker Swarm")
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_CODES["invalid-arguments"]));

program
  .command("local")
  .description("run a test (a built-in name or a path to a test file) on a local swarm")
  .argument("<test>", "built-in test name (see `test_executive list`) or path/to/test.ts")
  .addOption(new Option("--mina-image <image>", "Docker image of the Mina daemon (default: the simulator image, built on demand)").env("MINA_IMAGE"))
  .option("--archive-image <image>", "Docker image of the archive nodes, which runs `mina-archive run` (default: the Mina image; the simulator image has an archive process)")
  .option("--postgres-image <image>", "PostgreSQL image of the archive nodes (default: postgres:16 when on this machine, else one built here from Debian's postgresql packages)")
  .option("--debug", "keep the network up after the test until Enter, printing how to reach each node", false)
  .option("--dry-run", "write the run directory (compose file, runtime config, keys) and stop", false)
  .option("--output-dir <dir>", "where run directories go", DEFAULT_OUTPUT_DIR)
  .option("--docker-log-max-size <size>", "max size of each container's Docker log (local driver)", "10m")
  .option("--log-filter <expr>", "logproc expression applied inside every container before lines reach the FIFO (structured events always pass)")
  .option("--nats-port <port>", "port of the embedded nats-server on 127.0.0.1, to watch the bus with your own NATS client (default: a free port)")
  .option(
    "--graphql-port-base <port>",
    "serve node i's GraphQL at http://127.0.0.1:<port + i>/graphql, i in the order of the test's nodes (default: free ports; either way listed in <run dir>/graphql-ports.json)",
  )
  .option("--node-stop-timeout <seconds>", "a node stop sends SIGTERM and waits this long for the daemon and its children before SIGKILL (reported)", String(DEFAULT_NODE_STOP_TIMEOUT_S))
  .option("--max-log-lag <seconds>", "a node's log line reaching the executive later than this after the node wrote it fails the run (the log pipeline fell behind)", String(DEFAULT_MAX_LOG_LAG_S))
  .option(
    "--log-level <level>",
    `lowest level of the nodes' log lines that reach the bus and logs/<node>.log (${NODE_LOG_LEVELS.join(", ")}); structured events pass whatever their level`,
    DEFAULT_NODE_LOG_LEVEL,
  )
  .addOption(new Option("--executive-log-level <level>", "level of the executive's own JSON log on stdout").choices(EXECUTIVE_LOG_LEVELS).default("debug"))
  .option(
    "--event-ids <file>",
    "event-id table to read the nodes' logs with (the output of `mina internal dump-structured-events`, or mina-local's JSON table), instead of the one picked from the image",
  )
  .option("--fail-on-log-errors", "let the nodes' log errors (Warn and Faulty_peer soft, Error and Fatal hard) decide the outcome; Mina's executive only reports them", false)
  .addOption(
    new Option(
      "--swarm-hosts <hosts>",
      "run the network across the hosts of a Docker swarm: every host as <hostname>=<docker endpoint>, comma-separated (e.g. host-1=unix:///run/h1/docker.sock,host-2=tcp://10.0.0.2:2375); DOCKER_HOST must be a manager of that swarm",
    ).env("MINA_LOCAL_SWARM_HOSTS"),
  )
  .addOption(
    new Option("--bus-address <address>", "with --swarm-hosts: the IPv4 address of this machine the hosts reach its bus at (it listens there with per-run credentials)").env("MINA_LOCAL_BUS_ADDRESS"),
  )
  .option(
    "--place <node=host>",
    "with --swarm-hosts: pin a node to a host (the swarm node label mina-local.host); repeatable or comma-separated; unpinned nodes go where the swarm puts them",
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .action(async (testName: string, raw: Record<string, unknown>) => {
    let options;
    let test;
    try {
      // an empty MINA_IMAGE means "not set", as in Mina's executive
      if (raw.minaImage === "") delete raw.minaImage;
      options = parseLocalOptions(raw);
      test = await loadTest(testName);
    } catch (error) {
      fail(error);
    }
    const logger = createExecutiveLogger({ level: options.executiveLogLevel });
    const progress = createProgress();
    const interrupt = new AbortController();
    const onSignal = (name: string) => () => {
      if (interrupt.signal.aborted) {
        process.stderr.write(`test_executive: ${name} again: teardown is still running; wait, or run \`test_executive cleanup\` afterwards\n`);
        return;
      }
      process.stderr.write(`\ntest_executive: ${name}: tearing down the run\n`);
      interrupt.abort(`interrupted by ${name}`);
    };
    process.on("SIGINT", onSignal("SIGINT"));
    process.on("SIGTERM", onSignal("SIGTERM"));
    // an exception nothing caught (a test's stray timer, a bug of ours) still tears the run down
    const crash = new AbortController();
    const onCrash = (error: unknown) => {
      if (!crash.signal.aborted) crash.abort(error);
      else process.stderr.write(`test_executive: another uncaught exception during teardown: ${error instanceof Error ? error.message : String(error)}\n`);
    };
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    const { runLocalTest } = await import("./run-test.js");
    const report = await runLocalTest(test, options, { logger, progress, signal: interrupt.signal, crashed: crash.signal });
    forModule(logger, "Test_executive").info({ outcome: report.outcome, run_dir: report.runDir }, "Test $outcome");
    if (!options.dryRun) process.stderr.write(renderTextReport(report));
    // a dry run prints no report, but its failure must not pass unseen
    else if (report.failure) process.stderr.write(`test_executive: ${report.failure}\n`);
    process.exit(EXIT_CODES[report.outcome]);
  });

program
  .command("list")
  .description("list the built-in tests with what each checks")
  .action(async () => {
    try {
      const tests = await listTests();
      const width = Math.max(...tests.map((t) => t.name.length));
      for (const t of tests) process.stdout.write(`${t.name.padEnd(width)}  ${t.description}\n`);
    } catch (error) {
      fail(error);
    }
  });

program
  .command("init")
  .description("write a starter test (two-blocks.ts) into a directory, ready for `test_executive local <dir>/two-blocks.ts`")
  .argument("<dir>", "where to write it (made if missing; an existing two-blocks.ts is never overwritten)")
  .action((dir: string) => {
    try {
      const file = writeStarterTest(dir);
      process.stderr.write(`wrote ${file}\nrun it: test_executive local ${file}\n`);
    } catch (error) {
      fail(error);
    }
  });

program
  .command("watch")
  .description("follow a live run through its bus: its nodes' log lines (or, with --event, their events) until the run ends")
  .argument("[run]", "a run id in the output directory, or a run directory (default: the newest live run)")
  .option("--output-dir <dir>", "where run directories are", DEFAULT_OUTPUT_DIR)
  .option("--role <role>", "only nodes of this role (seed, block-producer, snark-coordinator, snark-worker, archive, node)")
  .option("--node <node>", "only this node")
  .option("--event <type>", "the parsed events of this type (e.g. Block_produced; '*' for all) instead of log lines")
  .option("--level <level>", "only lines at this level or above (Mina's levels: Spam ... Fatal)")
  .option("--filter <expr>", "only lines (or events) this logproc expression keeps")
  .option("--from-start", "from the run's first line, not from now", false)
  .option("--json", "JSON lines (each log line with its node and role) instead of pretty lines", false)
  .action(async (run: string | undefined, options: { outputDir: string; role?: string; node?: string; event?: string; level?: string; filter?: string; fromStart: boolean; json: boolean }) => {
    const stop = new AbortController();
    process.on("SIGINT", () => stop.abort());
    try {
      const { watchRun } = await import("./watch/watch.js");
      await watchRun({ ...options, run }, stop.signal, (text) => process.stderr.write(`test_executive watch: ${text}\n`));
    } catch (error) {
      fail(error);
    }
  });

program
  .command("cleanup")
  .description(
    "remove what runs whose test_executive died left behind, anywhere on this machine (swarm objects by their owner labels; FIFOs, sockets, nats-server through the run registry in ~/.local/state/mina-local/runs; logs and reports stay) and the simulator images of other mina-local code that no container uses",
  )
  .option("--run <id>", "only this run")
  .option("--output-dir <dir>", "where run directories are", DEFAULT_OUTPUT_DIR)
  .action(async (options: { run?: string; outputDir: string }) => {
    try {
      const [{ SwarmManager, removeStaleProbes }, { sweepAbandonedRuns }, { removeOtherSimulatorImages }] = await Promise.all([
        import("@mina-local/swarm-manager"),
        import("./local-engine/sweep.js"),
        import("@mina-local/daemon-sim"),
      ]);
      const swarm = await SwarmManager.connect();
      const result = await sweepAbandonedRuns(resolve(options.outputDir), swarm, options.run ? { kind: "run", runId: options.run } : { kind: "all" });
      for (const run of result.runs) process.stderr.write(`removed the swarm objects of run ${run}\n`);
      for (const dir of result.runDirs) process.stderr.write(`removed the FIFO, sockets and NATS store of ${dir} (logs and reports kept)\n`);
      for (const run of result.skipped) process.stderr.write(`left run ${run} alone: its owner process is alive\n`);
      // a probe lives for seconds: one older than ten minutes was left by a killed executive
      const probes = await removeStaleProbes(swarm.docker, { olderThanMs: 600_000 });
      for (const probe of probes) process.stderr.write(`removed the image probe container ${probe} (left by an executive that died)\n`);
      const images = await removeOtherSimulatorImages();
      for (const image of images) process.stderr.write(`removed the simulator image ${image} (built from other mina-local code)\n`);
      if (result.runs.length + result.runDirs.length + result.skipped.length + images.length + probes.length === 0) process.stderr.write("nothing to clean up\n");
    } catch (error) {
      fail(error);
    }
  });

program.addCommand(eventsCommand());

await program.parseAsync(process.argv);
