export { requireDocker, requireSwarmManager, requireNatsServer, freeLoopbackPort } from "./prerequisites.js";
