export { HOST_LABEL, dockerdArgs, planTestHosts } from "./plan.js";
export type { PlanOptions, TestHostPlan, TestHostsPlan } from "./plan.js";
export { leftovers, startTestHosts, teardownTestHosts } from "./hosts.js";
export type { StartTestHostsOptions, TestHost, TestHosts } from "./hosts.js";
