export { requireDocker, requireSwarmManager, requireNatsServer, freeLoopbackPort } from "./prerequisites.js";
export { startDockerApiProxy, type DockerApiProxy, type SwarmView } from "./docker-proxy.js";
