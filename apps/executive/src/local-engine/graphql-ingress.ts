import { rmSync } from "node:fs";
import { join } from "node:path";
import type { NetworkConfig } from "@mina-local/engine";
import { GRAPHQL_PORTS_FILE, portsFromBase, startGraphqlProxies, writeGraphqlPortsFile } from "./graphql-proxy.js";
import type { LocalRun } from "./run-context.js";

/**
 * Each node's GraphQL on 127.0.0.1 (Mina's `get_ingress_uri`: reachable from the host), a
 * proxy to the node's forwarder socket; the ports are in `<run dir>/graphql-ports.json` while
 * they answer. Its teardown closes the proxies and removes the file.
 */
export async function serveGraphqlIngress(run: LocalRun, input: { network: NetworkConfig; graphqlPortBase: number | undefined }): Promise<ReadonlyMap<string, string>> {
  const { runDir, paths, teardown, log, step } = run;
  const { network } = input;
  const proxies = await step("serving each node's GraphQL on 127.0.0.1", () =>
    startGraphqlProxies(
      network.nodes.map((n) => ({ node: n.name, socketPath: paths.socketOf(n.name) })),
      input.graphqlPortBase === undefined ? undefined : portsFromBase(input.graphqlPortBase, network.nodes.length),
    ),
  );
  teardown.add("closing the GraphQL proxies", async () => {
    await proxies.close();
    // the ports no longer answer once the run is down
    rmSync(join(runDir, GRAPHQL_PORTS_FILE), { force: true });
  });
  writeGraphqlPortsFile(join(runDir, GRAPHQL_PORTS_FILE), proxies.urls);
  log.info({ graphql: Object.fromEntries(proxies.urls) }, "GraphQL of every node on loopback: $graphql");
  return proxies.urls;
}
