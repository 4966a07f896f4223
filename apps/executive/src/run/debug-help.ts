import { join } from "node:path";
import { GRAPHQL_PORTS_FILE } from "../local-engine/graphql-proxy.js";

/** What --debug prints while the network stays up: each node's GraphQL, the logs, the bus. */
export function debugHelp(runDir: string, graphqlUrls: ReadonlyMap<string, string>, natsUrl: string, runId: string): string {
  const lines = [`--debug: the network stays up until you press Enter. Each node's GraphQL (also in ${join(runDir, GRAPHQL_PORTS_FILE)}; fix the ports with --graphql-port-base):`];
  for (const [node, url] of graphqlUrls) lines.push(`  ${node.padEnd(16)} ${url}`);
  const [first] = graphqlUrls.values();
  if (first) lines.push(`  e.g. curl -s ${first} -H 'content-type: application/json' -d '{"query":"{ daemonStatus { syncStatus blockchainLength } }"}'`);
  lines.push(`  logs of each node: ${join(runDir, "logs")}/<node>.log`);
  lines.push(`  the bus: ${natsUrl}, subjects mina.${runId}.log.<role>.<node> and mina.${runId}.event.<role>.<node>.<event> (fix the port with --nats-port)`);
  return lines.join("\n");
}
