// `pnpm measure-rss [seconds]`: starts a seed and a block producer from the bundle (no transactions)
// and prints their resident set sizes after they have run for a while. Not a test.
import { readFileSync } from "node:fs";
import { createSimNetwork, events, startNode, waitFor } from "../src/testing/sim-network.js";

const seconds = Number(process.argv[2] ?? "30");
const network = await createSimNetwork({
  genesis_ledger: [{ account_name: "a", balance: "1000" }],
  block_producers: [{ node_name: "bp-a", account_name: "a" }],
  k: 10,
  slots_per_epoch: 48,
  proof_config: { block_window_duration_ms: 2000 },
});
try {
  const nodes = [await startNode(network, "seed"), await startNode(network, "bp-a")];
  await waitFor("the nodes to initialize", 20_000, () => nodes.every((node) => events(node, "Starting_transition_frontier_controller").length === 1));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  for (const node of nodes) {
    const status = readFileSync(`/proc/${node.process?.pid}/status`, "utf8");
    const rss = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    const blocks = events(node, "Added_breadcrumb_user_commands").length;
    process.stdout.write(`${node.spec.name} after ${seconds} s (${blocks} blocks): RSS ${Math.round(Number(rss) / 1024)} MB (peak ${Math.round(Number(hwm) / 1024)} MB), node ${process.version}\n`);
  }
} finally {
  await network.cleanup();
}
