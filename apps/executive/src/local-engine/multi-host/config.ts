import { join } from "node:path";
import { LABELS, type ComposeFile } from "@mina-local/compose-generator";
import type { NetworkConfig } from "@mina-local/engine";
import { buildHostRelayImage } from "@mina-local/host-relay";
import type { RunOwner, SwarmManager } from "@mina-local/swarm-manager";
import type { LocalOptions } from "../../cli-options.js";
import type { LocalRun } from "../run-context.js";
import { multiHostCompose, type MultiHostComposeFile } from "./compose.js";
import { expandMultiHost, type MultiHostConfig } from "./hosts.js";

/** A multi-host run's part of the local engine's `Network_config.t`. */
export interface LocalMultiHost extends MultiHostConfig {
  relayImage: string;
  /** the run directory's file with the bus password, the swarm secret's source */
  passwordFile: string;
  compose: MultiHostComposeFile;
}

/** Expand's multi-host steps: the hosts checked, the relay image built, the compose file given its relays. */
export async function expandMultiHostRun(
  run: LocalRun,
  input: { options: LocalOptions & { swarmHosts: NonNullable<LocalOptions["swarmHosts"]>; busAddress: string }; docker: SwarmManager; network: NetworkConfig; compose: ComposeFile; owner: RunOwner },
): Promise<LocalMultiHost> {
  const { options } = input;
  const config = await run.step(`checking the swarm's ${options.swarmHosts.length} hosts`, () =>
    expandMultiHost({ manager: input.docker, hosts: options.swarmHosts, placement: options.place, busAddress: options.busAddress, network: input.network }),
  );
  const relay = await run.step("building the host relay image", () => buildHostRelayImage({ onProgress: (line) => run.progress.update(line) }));
  const passwordFile = join(run.runDir, "bus-password");
  const compose = multiHostCompose(input.compose, {
    runId: run.runId,
    relayImage: relay.tag,
    busUrl: `nats://${config.busAddress}:${config.busPort}`,
    user: config.credentials.user,
    passwordFile,
    ownerLabels: { [LABELS.ownerPid]: String(input.owner.pid), [LABELS.ownerStart]: input.owner.start },
    placement: config.placement,
  });
  return { ...config, relayImage: relay.tag, passwordFile, compose };
}
