import { buildHostRelayImage } from "@mina-local/host-relay";
import { SwarmManager } from "@mina-local/swarm-manager";
import { planTestHosts, startTestHosts, teardownTestHosts, type TestHosts } from "@mina-local/test-hosts";
import type { BenchCleanup } from "./cleanup.js";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * The bench's three test hosts (own name and subnet, apart from the Docker tests'), torn
 * down with the bench's cleanup, with the relay image and the given images on every one.
 */
export async function startBenchHosts(options: { cleanup: BenchCleanup; images: readonly string[]; log: (line: string) => void }): Promise<{ hosts: TestHosts; relayImage: string }> {
  const plan = planTestHosts({ name: "mlb", count: 3, subnet: 24 });
  // what an earlier bench that died left of them
  await teardownTestHosts(plan);
  options.cleanup.add("tearing down the bench's test hosts", () => teardownTestHosts(plan));
  const hosts = await startTestHosts({ name: plan.name, count: 3, subnet: plan.subnet, onProgress: (line) => options.log(`  ${line}`) });
  const relayImage = (await buildHostRelayImage()).tag;
  const machine = (await SwarmManager.connect()).docker;
  for (const image of [...options.images, relayImage]) {
    const started = Date.now();
    let bytes = 0;
    await hosts.loadImage(machine, image, (p) => void (bytes = Math.max(bytes, p.totalBytes)));
    options.log(`  ${image} (about ${mb(bytes)}) loaded on ${hosts.hosts.map((h) => h.host).join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { hosts, relayImage };
}
