/** The simulator's version: package.json's, part of the image tag. */
export const SIM_VERSION = "0.1.0";

/**
 * The Mina the simulator emulates: develop of 2023-09-12 (github.com/MinaProtocol/mina, mirror
 * adonagy/mina). Its commit is what `mina version` prints, so the engine's pickEventIdTable
 * chooses the berkeley-2023-09 table for the simulator image as it would for that daemon.
 */
export const EMULATED_MINA_COMMIT = "9f068b1c3bdb328184c0c9af22a8a941d181304b";

/** The branch `mina version` names: says that this is mina-local's simulator, not a Mina build. */
export const SIMULATOR_BRANCH = `mina-local-daemon-sim-${SIM_VERSION}`;

/** Mina_version.print_version (src/lib/mina_version/normal/gen.sh): `Commit <sha> on branch <branch>`. */
export function versionLine(): string {
  return `Commit ${EMULATED_MINA_COMMIT} on branch ${SIMULATOR_BRANCH}\n`;
}
