export { HOST_FIFO_PATH, parseHostRelayEnv } from "./config.js";
export type { HostRelayConfig } from "./config.js";
export { connectToBus, startHostRelay } from "./relay.js";
export type { HostRelayLog, RunningHostRelay } from "./relay.js";
export { HOST_RELAY_IMAGE_ENTRYPOINT, HOST_RELAY_IMAGE_REPOSITORY, buildHostRelayImage, bundleHostRelay } from "./image.js";
export { HOST_LABEL, hostRelayNames, hostRelayStackParts, placementConstraint } from "./stack.js";
export type { HostRelayStackOptions } from "./stack.js";
