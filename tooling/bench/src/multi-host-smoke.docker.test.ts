import { afterAll, describe, expect, it } from "vitest";
import { requireDocker, requireNatsServer, requireSwarmManager } from "@mina-local/test-support";
import { startBenchHosts } from "./bench-hosts.js";
import { BenchCleanup } from "./cleanup.js";
import { runMultiHostPipeline } from "./multi-host-bench.js";
import { DEFAULT_LONG_EVERY } from "./run-ids.js";
import { buildWriterImage } from "./writer-image.js";

// The multi-host bench's smoke form, for correctness only (no timing): three test hosts
// (root: network namespaces and more dockerds), 3 writers of 3,000 lines. Run under
// `flock /tmp/mina-local-docker.lock`; about 2 minutes.
describe("multi-host pipeline bench (smoke: 3 hosts, 3 writers x 3,000 lines)", () => {
  const cleanup = new BenchCleanup();
  afterAll(async () => {
    expect(await cleanup.runAll()).toEqual([]);
  }, 120_000);

  it("brings every line through its host's relay and the stream into the executive's side, and every probe event to the event subjects, losing none", async () => {
    const docker = await requireDocker();
    await requireSwarmManager(docker);
    await requireNatsServer();
    const image = await buildWriterImage();
    const { hosts, relayImage } = await startBenchHosts({ cleanup, images: [image], log: () => undefined });
    const result = await runMultiHostPipeline({
      image,
      relayImage,
      hosts,
      containers: 3,
      load: { linesPerWriter: 3_000, rate: 0, eventEvery: 100, longEvery: DEFAULT_LONG_EVERY },
      cleanup,
      timeoutMs: 120_000,
    });
    expect(result.linesCounted).toBe(9_000);
    expect(result.linesLost).toBe(0);
    expect(result.relays.map((r) => [r.host, r.linesLost])).toEqual([
      ["host-1", 0],
      ["host-2", 0],
      ["host-3", 0],
    ]);
    // each relay received its writer's lines and the forwarder's own
    for (const relay of result.relays) expect(relay.linesReceived).toBeGreaterThanOrEqual(3_001);
    expect(result.eventsCounted).toBe(90);
    expect(result.stream.lines).toBeGreaterThanOrEqual(9_003);
    expect(result.stream.linesNotWritten).toBe(0);
    expect(result.parser.parseErrors).toBe(0);
  }, 420_000);
});
