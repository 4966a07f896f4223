import { afterAll, describe, expect, it } from "vitest";
import { requireDocker, requireNatsServer, requireSwarmManager } from "@mina-local/test-support";
import { BenchCleanup } from "./cleanup.js";
import { runPipeline } from "./pipeline-bench.js";
import { DEFAULT_LONG_EVERY } from "./run-ids.js";
import { buildWriterImage } from "./writer-image.js";

// The bench's smoke form: the pipeline measurement, small, for correctness only (no timing).
describe("pipeline bench (smoke: 10k lines, 1 container)", () => {
  const cleanup = new BenchCleanup();
  afterAll(async () => {
    expect(await cleanup.runAll()).toEqual([]);
  });

  it("delivers every line to the log subject and its log file and every probe event to the event subject, losing none", async () => {
    const docker = await requireDocker();
    await requireSwarmManager(docker);
    await requireNatsServer();
    const image = await buildWriterImage();
    const result = await runPipeline({ image, containers: 1, load: { linesPerWriter: 10_000, rate: 0, eventEvery: 100, longEvery: DEFAULT_LONG_EVERY }, cleanup, timeoutMs: 120_000 });
    expect(result.linesCounted).toBe(10_000);
    expect(result.linesLost).toBe(0);
    expect(result.relayLinesLost).toBe(0);
    expect(result.eventsCounted).toBe(100);
    // the relay's byte scan handed the parser the probe events and the forwarder's own
    // lines (node_started, node_offline: puppeteer events), and no plain line
    expect(result.parser.lines).toBe(result.linesToParser);
    expect(result.linesToParser).toBeGreaterThanOrEqual(101);
    expect(result.linesToParser).toBeLessThan(110);
    expect(result.parser.parseErrors).toBe(0);
    // the node's log file holds every line, the forwarder's included
    expect(result.fileLines).toBeGreaterThanOrEqual(10_001);
    expect(cleanup.pending).toBe(0);
  }, 240_000);
});
