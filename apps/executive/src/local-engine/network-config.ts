import { join } from "node:path";
import { composeFromNetwork, validateComposeFile, type ComposeFile } from "@mina-local/compose-generator";
import { DEFAULT_POSTGRES_IMAGE, MinaLocalError, parseTestConfig, type Images, type NetworkConfig } from "@mina-local/engine";
import { SwarmManager, currentOwner, type RunOwner } from "@mina-local/swarm-manager";
import type { LocalOptions } from "../cli-options.js";
import type { TestDefinition } from "../dsl/define-test.js";
import { archiveImageProblem, deferredByArchives } from "./archive-start.js";
import { imageForDryRun } from "./dry-run-image.js";
import { eventIdTableForRun, executiveEventIds, type PickedTable } from "./event-ids.js";
import { forwarderExecutable, imageCarriesForwarder, resolveArchiveImage, resolveMinaImage } from "./images.js";
import { DRY_RUN_SUBNET, networkForImage, networkWithoutImage } from "./network-for-image.js";
import { resolvePostgresImage } from "./postgres/image.js";
import type { LocalRun } from "./run-context.js";
import { expandMultiHostRun, type LocalMultiHost } from "./multi-host/config.js";

/** The local engine's `Network_config.t`: everything `Network_manager.create` needs, nothing deployed yet. */
export interface LocalNetworkConfig {
  test: TestDefinition;
  options: LocalOptions;
  images: Images;
  network: NetworkConfig;
  compose: ComposeFile;
  picked: PickedTable;
  owner: RunOwner;
  /** the nodes the compose file does not start at deploy */
  later: ReadonlySet<string>;
  /** undefined in a dry run that could not ask Docker (`dockerless` says why) */
  docker: SwarmManager | undefined;
  dockerless: string | undefined;
  /** a multi-host run (`--swarm-hosts`): its hosts, bus and relays; `compose` is then the multi-host file */
  multiHost?: LocalMultiHost;
}

/** What the report of a run that fails later must still say, learnt as soon as it is known. */
export interface ExpandFacts {
  onImage(image: string): void;
  onPicked(picked: PickedTable): void;
}

/**
 * Mina's `Network_config.expand ~test_name ~cli_inputs ~debug ~images ~test_config`: the test's
 * config and the command line (`LocalOptions`, Mina's `Cli_inputs`) become the run's network
 * and compose file. Unlike Mina's it runs the image once first (its version, its event ids,
 * its compile-time constants decide the config).
 */
export async function expandNetworkConfig(run: LocalRun, test: TestDefinition, options: LocalOptions, learnt: ExpandFacts): Promise<LocalNetworkConfig> {
  const { log, progress, step } = run;
  const parsed = parseTestConfig(test.config, `test ${test.name}: config`);
  if (!parsed.ok) throw parsed.error;
  // a dry run when Docker cannot be asked: the note that says so; nothing is run, the tags are taken as given
  let dockerless: string | undefined;
  const image = await step("resolving the Mina image", async () => {
    if (!options.dryRun) return resolveMinaImage(options.minaImage, (line) => progress.update(line));
    const resolved = await imageForDryRun(options.minaImage, (line) => progress.update(line));
    if (resolved.note) {
      dockerless = resolved.note;
      progress.note(resolved.note);
      log.warn({ note: resolved.note }, "$note");
    }
    return resolved.image;
  });
  learnt.onImage(image);
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
  const { runId, runDir } = run;
  const { network, probe } = docker
    ? await step("running the image once (mina version, its structured events, compile-time constants)", () =>
        networkForImage({ test, images, runId, runDir, swarm: docker, log, ...(forwarderPath && { forwarderPath }) }),
      )
    : networkWithoutImage(test, images, runId, `the image was not run: ${dockerless}`);
  const archiveProblem = archiveImageProblem(network, imageCarriesForwarder);
  if (archiveProblem) throw new MinaLocalError("invalid-arguments", archiveProblem);
  const picked = eventIdTableForRun(images.mina, options.eventIds, probe);
  learnt.onPicked(picked);
  log.info({ table: picked.choice.table, reason: picked.choice.reason }, "Reading the nodes' events with the event-id table $table: $reason");
  const subnet = docker ? await docker.freeRunSubnet() : DRY_RUN_SUBNET;
  const later = new Set([...(test.startLater ?? []), ...deferredByArchives(network)]);
  const singleHost = composeFromNetwork(network, {
    runId,
    runDir,
    dockerLogMaxSize: options.dockerLogMaxSize,
    owner,
    // Mina's start order: the seeds at deploy, the others once the seeds have initialized (startAfterSeeds)
    autostart: (node) => startedAtDeploy(node, later),
    // Mina's engines name every event the executive reads (--start-filtered-logs), by the ids of the table in use
    startFilteredLogs: executiveEventIds(picked.table),
    daemonLogLevel: "Trace",
    subnet,
    nodeStopTimeoutMs: options.nodeStopTimeout * 1000,
    ...(forwarderPath && { forwarderPath }),
    ...(options.logFilter && { logFilter: options.logFilter }),
    logLevel: options.logLevel,
  });
  const { swarmHosts, busAddress } = options;
  if (swarmHosts && !docker) throw new MinaLocalError("docker", `a multi-host run needs Docker: ${dockerless ?? "it cannot be asked"}`);
  const multiHost =
    swarmHosts && busAddress !== undefined && docker ? await expandMultiHostRun(run, { options: { ...options, swarmHosts, busAddress }, docker, network, compose: singleHost, owner }) : undefined;
  const compose: ComposeFile = multiHost?.compose ?? singleHost;
  const problems = validateComposeFile(compose);
  if (problems.length > 0) throw new MinaLocalError("internal", `the generated compose file is invalid:\n${problems.join("\n")}`);
  return { test, options, images, network, compose, picked, owner, later, docker, dockerless, ...(multiHost && { multiHost }) };
}

/** Mina's start order: only the seeds start at deploy, and not those the test starts itself */
export function startedAtDeploy(node: { name: string; role: string }, later: ReadonlySet<string>): boolean {
  return node.role === "seed" && !later.has(node.name);
}
