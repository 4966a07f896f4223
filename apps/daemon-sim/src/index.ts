// The public entry: what the executive needs to build and run the simulator. No side effects.
export { bundleDaemonSim, type DaemonSimBundle } from "./bundle.js";
export { buildSimulatorImage, removeOtherSimulatorImages, simulatorImageTag, SIMULATOR_IMAGE_REPOSITORY } from "./image.js";
export { SIM_VERSION } from "./version.js";
