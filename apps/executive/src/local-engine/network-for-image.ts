import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { runPaths } from "@mina-local/compose-generator";
import { MinaLocalError, expandNetworkConfig, parseTestConfig, type Images, type NetworkConfig } from "@mina-local/engine";
import type { MinaImageProbe, SwarmManager } from "@mina-local/swarm-manager";
import type { TestDefinition } from "../dsl/define-test.js";
import type { ModuleLogger } from "../logger.js";
import { explicitFields, parseCompileTimeConstants, reconcileWithImage, refusalError, withAdopted } from "./image-profile.js";

/** Each probe container's limit: a real binary's compile-time-constants loads its genesis config. */
const PROBE_TIMEOUT_MS = 120_000;

export interface NetworkForImage {
  network: NetworkConfig;
  probe: MinaImageProbe;
}

function expand(test: TestDefinition, config: unknown, images: Images, runId: string): NetworkConfig {
  const parsed = parseTestConfig(config, `test ${test.name}: config`);
  if (!parsed.ok) throw parsed.error;
  return expandNetworkConfig(parsed.value, images, { testnetName: runId });
}

/** A dry run's run network when Docker cannot be asked which subnets are taken: nothing is deployed on it. */
export const DRY_RUN_SUBNET = "10.128.0.0/24";

/** The network config of a dry run that cannot run the image: the test's own constants, no image answers. */
export function networkWithoutImage(test: TestDefinition, images: Images, runId: string, reason: string): NetworkForImage {
  return { network: expand(test, test.config, images, runId), probe: { problems: [reason] } };
}

function writeRuntimeConfig(runDir: string, network: NetworkConfig): string {
  const path = runPaths(runDir).runtimeConfig;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(network.runtimeConfig, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/**
 * The network config for the image, after running the image once: an image the forwarder
 * cannot run in, or without `mina`, is refused with its own error; a test whose constants
 * the binary cannot run is refused naming each field; fields the test left to defaults take
 * the image's values (its proof level, its fixed constants). Nothing is deployed before this.
 */
export async function networkForImage(options: {
  test: TestDefinition;
  images: Images;
  runId: string;
  runDir: string;
  swarm: SwarmManager;
  forwarderPath?: string;
  log: ModuleLogger;
}): Promise<NetworkForImage> {
  const { test, images, runId, runDir, swarm, log } = options;
  let network = expand(test, test.config, images, runId);
  const runtimeConfigPath = writeRuntimeConfig(runDir, network);
  const probe = await swarm.probeMinaImage(images.mina, { timeoutMs: PROBE_TIMEOUT_MS, runtimeConfigPath, ...(options.forwarderPath && { forwarderPath: options.forwarderPath }) });
  if (probe.forwarderUnusable || probe.noMina) {
    throw new MinaLocalError("image-unusable", probe.problems.join("\n"), {
      where: `--mina-image ${images.mina}`,
      hint: "a Mina image needs glibc, libstdc++ and libgcc_s (Debian or Ubuntu based, as Mina's own images are) and `mina` on its PATH; Mina's puppeteer is not needed",
    });
  }
  for (const problem of probe.problems) log.warn({ image: images.mina, problem }, "Running the image once: $problem");
  log.info({ image: images.mina, version: probe.version?.trim() ?? null }, "The image $image says: $version");
  if (probe.compileTimeConstants === undefined) return { network, probe };
  const parsed = parseCompileTimeConstants(probe.compileTimeConstants);
  if ("problem" in parsed) {
    log.warn({ image: images.mina, problem: parsed.problem }, "`mina advanced compile-time-constants` of $image: $problem; the test's constants are used as they are");
    return { network, probe };
  }
  const { refusals, adopted } = reconcileWithImage(network.runtimeConfig, parsed.constants, explicitFields(test.config));
  if (refusals.length > 0) throw refusalError(images.mina, test.name, refusals);
  if (adopted.length > 0) {
    log.info({ image: images.mina, adopted }, "The test leaves these to defaults; the image $image runs its own: $adopted");
    network = expand(test, withAdopted(test.config, adopted), images, runId);
  }
  return { network, probe };
}
