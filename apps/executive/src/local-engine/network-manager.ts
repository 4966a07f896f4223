import { rmSync } from "node:fs";
import { join } from "node:path";
import { overlongSocketPaths, UNIX_SOCKET_PATH_MAX_BYTES, writeRunDirectory } from "@mina-local/compose-generator";
import { MinaLocalError, type NetworkManager } from "@mina-local/engine";
import { forModule, type ExecutiveLogger } from "../logger.js";
import type { TestNode } from "../dsl/define-test.js";
import { startArchives } from "./archive-start.js";
import { deployStack } from "./deploy-stack.js";
import { serveGraphqlIngress } from "./graphql-ingress.js";
import { localTestNetwork, type LocalNetwork } from "./local-network.js";
import { startLogPipeline, type LogPipeline } from "./log-pipeline.js";
import { startedAtDeploy, type LocalNetworkConfig } from "./network-config.js";
import type { LocalRun } from "./run-context.js";
import { registerRun, unregisterRun } from "./run-registry.js";
import { recordOwner, sweepAbandonedRuns } from "./sweep.js";
import { nodePlacement, prepareHosts } from "./multi-host/deploy.js";
import { forwarderNodeControl } from "./multi-host/node-control.js";
import { removeNodesThenDrainRelays } from "./multi-host/relays.js";
import { watchHosts } from "./multi-host/watch-hosts.js";

/** What a deployed run offers beyond Mina's `Network.t`: the bus and the GraphQL ports (for --debug). */
export interface Deployed {
  network: LocalNetwork;
  natsUrl: string;
  ingress: ReadonlyMap<string, string>;
}

/**
 * The local engine's `Network_manager` (Mina's `Engine.Network_manager_intf`): `create`
 * writes the run directory, `deploy` brings up the log pipeline, the stack and each node's
 * GraphQL and hands back the network, `destroy` runs every step's teardown (last-in first-out),
 * `cleanup` forgets the run once nothing of it is left (else the next start, or
 * `test_executive cleanup`, finishes the job). Each step adds its own teardown as it goes.
 */
export class LocalNetworkManager implements NetworkManager<TestNode, LocalNetwork> {
  private deployed: Deployed | undefined;

  private constructor(
    private readonly run: LocalRun,
    readonly config: LocalNetworkConfig,
    private readonly context: { logger: ExecutiveLogger; signal: AbortSignal },
  ) {}

  /** Mina's `Network_manager.create`: nothing runs yet (a dry run stops here) */
  static async create(run: LocalRun, config: LocalNetworkConfig, context: { logger: ExecutiveLogger; signal: AbortSignal }): Promise<LocalNetworkManager> {
    const { runId, runDir, log, step } = run;
    const overlong = overlongSocketPaths(
      run.paths,
      config.network.nodes.map((n) => n.name),
    );
    if (overlong.length > 0) {
      // a socket path past sun_path's limit cannot be connected to: the run would wait for forwarders it can never reach
      throw new MinaLocalError(
        "invalid-arguments",
        `the run directory ${runDir} is too deep for the nodes' forwarder sockets: ${overlong.map((s) => `${s.node}'s ${s.path} is ${s.bytes} bytes`).join("; ")}, and a Unix socket path holds at most ${UNIX_SOCKET_PATH_MAX_BYTES}`,
        {
          where: "--output-dir",
          hint: `use an --output-dir at least ${Math.max(...overlong.map((s) => s.bytes)) - UNIX_SOCKET_PATH_MAX_BYTES} bytes shorter, or shorter node names`,
        },
      );
    }
    await step("writing the run directory", () => writeRunDirectory(config.network, config.compose, runDir));
    log.info({ run_id: runId, run_dir: runDir, nodes: config.network.nodes.map((n) => `${n.name} (${n.role})`) }, "Run $run_id in $run_dir");
    return new LocalNetworkManager(run, config, context);
  }

  async deploy(): Promise<LocalNetwork> {
    return (await this.deployWithIngress()).network;
  }

  /** `deploy`, also handing back the bus's URL and the nodes' GraphQL ports */
  async deployWithIngress(): Promise<Deployed> {
    if (this.deployed) return this.deployed;
    const { run, config } = this;
    const { runId, runDir, paths, teardown, log, step } = run;
    const { docker, network, options, owner } = config;
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

    const { multiHost } = config;
    const pipeline: LogPipeline = await startLogPipeline(run, {
      picked: config.picked,
      owner,
      maxLogLagS: options.maxLogLag,
      ...(options.natsPort && { natsPort: options.natsPort }),
      ...(multiHost && { network: { address: multiHost.busAddress, port: multiHost.busPort, credentials: multiHost.credentials } }),
    });
    const { hostLogs } = pipeline;
    if (multiHost && hostLogs) {
      const hosts = multiHost.hosts.map((h) => h.name);
      await prepareHosts(run, { swarm, multiHost, network, images: Object.values(config.images).filter((i): i is string => i !== undefined), nc: pipeline.nc, hostLogs });
      await deployStack(run, { network, swarm, nc: pipeline.nc, watchDeaths: false, beforeRemove: () => removeNodesThenDrainRelays(run, { swarm, hosts, nc: pipeline.nc, hostLogs }) });
      const placed = await nodePlacement(swarm, runId);
      run.nodeHosts = placed;
      log.info({ placement: Object.fromEntries(placed) }, "Nodes by host: $placement");
      const stopWatch = watchHosts(run, { swarm, hosts, placedOn: placed });
      teardown.add("stopping the hosts' watch", async () => stopWatch());
    } else {
      await deployStack(run, { network, swarm, nc: pipeline.nc });
    }
    const ingress = await serveGraphqlIngress(run, { network, graphqlPortBase: options.graphqlPortBase });

    const testNetwork = localTestNetwork({
      runId,
      runDir,
      config: network,
      swarm,
      log: forModule(this.context.logger, "Network"),
      signal: this.context.signal,
      ingress,
      startedAtDeploy: (node) => startedAtDeploy(node, config.later),
      nodeStopTimeoutMs: options.nodeStopTimeout * 1000,
      onStopRequested: (node) => run.stops.stopRequested(node),
      onStartRequested: (node) => run.stops.startRequested(node),
      ...(multiHost && { control: forwarderNodeControl(paths.socketOf, options.nodeStopTimeout * 1000 + 30_000) }),
    });
    teardown.add("closing GraphQL clients", () => testNetwork.close());
    this.deployed = { network: testNetwork, natsUrl: pipeline.nats.url, ingress };
    return this.deployed;
  }

  /**
   * The archive nodes, each once its PostgreSQL is up, then the seed that feeds it (Mina's
   * layout); the deploy started neither. Not part of Mina's interface: its engines start them
   * with the stack.
   */
  async startArchiveNodes(): Promise<void> {
    const { run, config } = this;
    const { network } = config;
    if (network.archives.length === 0 || !this.deployed || !config.docker) return;
    const { docker } = config;
    const deployed = this.deployed;
    await run.step(`starting ${network.archives.length} archive node(s)`, () =>
      startArchives({ runId: run.runId, network, swarm: docker, lines: run.lines, signal: run.signal, onProgress: (line) => run.progress.update(line) }),
    );
    for (const archive of network.archives) {
      deployed.network.markRunning(archive.archiveNode);
      deployed.network.markRunning(archive.seedNode);
    }
  }

  /** Mina's `destroy`: every step's teardown, each attempted even when one fails; what failed, one line each */
  destroy(): Promise<string[]> {
    return destroyRun(this.run);
  }

  /** Mina's `cleanup`: the run's record goes once nothing of it is left */
  async cleanup(): Promise<void> {
    cleanupRun(this.run);
  }
}

/** `destroy` of a run whose manager may not exist (its config failed): the teardown of every step that ran */
export async function destroyRun(run: LocalRun): Promise<string[]> {
  const { progress, log, teardown } = run;
  progress.step("tearing down");
  const failures = await teardown.run((name) => progress.update(name));
  progress.done("torn down");
  for (const f of failures) log.error({ failure: f }, "Teardown failed: $failure");
  return failures;
}

/** kept when removing something failed, so that the next start (or `test_executive cleanup`) finishes the job */
export function cleanupRun(run: LocalRun): void {
  if (run.teardown.leftSomethingBehind) return;
  rmSync(join(run.runDir, "owner.json"), { force: true });
  unregisterRun(run.runId);
}
