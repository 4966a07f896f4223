import { MinaLocalError } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { EXIT_CODES, NO_PIPELINE_ERRORS, outcomeOf, outcomeOfSetupError, outcomeWithPipeline, pipelineLosses, type Outcome, type TestError } from "./model.js";

const soft: TestError = { severity: "soft", section: "s", message: "Warn: slow peer", node: "bp1" };
const hard: TestError = { severity: "hard", section: "s", message: "Error: no block" };

describe("outcomeOf", () => {
  it("passes a test with no errors", () => {
    expect(outcomeOf([], false)).toBe("passed");
  });

  it("tells soft errors only from hard errors", () => {
    expect(outcomeOf([soft, soft], false)).toBe("soft-errors");
    expect(outcomeOf([soft, hard], false)).toBe("hard-errors");
    expect(outcomeOf([hard], false)).toBe("hard-errors");
  });

  it("reports a crashed node above any other error", () => {
    expect(outcomeOf([], true)).toBe("node-crashed");
    expect(outcomeOf([hard, soft], true)).toBe("node-crashed");
  });
});

describe("EXIT_CODES", () => {
  const outcomes: Outcome[] = [
    "passed",
    "soft-errors",
    "hard-errors",
    "node-crashed",
    "setup-failed",
    "docker-unavailable",
    "swarm-unavailable",
    "port-taken",
    "nats-unavailable",
    "image-missing",
    "image-unusable",
    "disk-full",
    "teardown-failed",
    "log-pipeline-lost",
    "interrupted",
    "executive-crashed",
    "invalid-arguments",
  ];

  it("has a code for every outcome, distinct, 0 only for a pass", () => {
    expect(Object.keys(EXIT_CODES).sort()).toEqual([...outcomes].sort());
    const codes = outcomes.map((o) => EXIT_CODES[o]);
    expect(new Set(codes).size).toBe(outcomes.length);
    expect(EXIT_CODES.passed).toBe(0);
    for (const outcome of outcomes.filter((o) => o !== "passed")) expect(EXIT_CODES[outcome], outcome).toBeGreaterThan(0);
  });

  it("uses codes a shell can return (0-255), with 130 for an interruption as shells do for SIGINT", () => {
    for (const code of Object.values(EXIT_CODES)) expect(Number.isInteger(code) && code >= 0 && code <= 255).toBe(true);
    expect(EXIT_CODES.interrupted).toBe(130);
  });
});

describe("outcomeOfSetupError", () => {
  it("gives each fault a user can fix its own outcome", () => {
    expect(outcomeOfSetupError(new MinaLocalError("docker", "the Docker engine is not reachable"))).toBe("docker-unavailable");
    expect(outcomeOfSetupError(new MinaLocalError("swarm", "this Docker engine is a swarm worker"))).toBe("swarm-unavailable");
    expect(outcomeOfSetupError(new MinaLocalError("port", "127.0.0.1:4222 is taken"))).toBe("port-taken");
    expect(outcomeOfSetupError(new MinaLocalError("nats", "nats-server not found"))).toBe("nats-unavailable");
    expect(outcomeOfSetupError(new MinaLocalError("image", "the image x is not on this machine"))).toBe("image-missing");
    expect(outcomeOfSetupError(new MinaLocalError("image-unusable", "the log-forwarder cannot run in the image x: it has no glibc"))).toBe("image-unusable");
    expect(outcomeOfSetupError(new MinaLocalError("invalid-config", "test config: k: too small"))).toBe("invalid-arguments");
    expect(outcomeOfSetupError(new MinaLocalError("setup", "writing the run directory", { cause: Object.assign(new Error("no space"), { code: "ENOSPC" }) }))).toBe("disk-full");
    expect(outcomeOfSetupError(new Error("something else"))).toBe("setup-failed");
  });
});

describe("a run whose log pipeline lost something", () => {
  it("names every kind of loss, and nothing when nothing was lost", () => {
    expect(pipelineLosses(NO_PIPELINE_ERRORS)).toEqual([]);
    const losses = pipelineLosses({ ...NO_PIPELINE_ERRORS, linesLostInFifo: 3, batchesNotParsed: 1, eventsNotPublished: 2, linesUndrained: 7 });
    expect(losses).toEqual([
      "3 log line(s) were lost between the containers and the relay (frames missing from the FIFO)",
      "7 log line(s) were still in the relay when the run ended (its last drain did not finish)",
      "the event parser failed on 1 batch(es) of log lines: their events may be missing",
      "2 event(s) could not be published on the bus",
    ]);
  });

  it("says so in its outcome instead of a pass or a test failure; engine outcomes stay", () => {
    const lost = { ...NO_PIPELINE_ERRORS, linesNotWritten: 1 };
    for (const outcome of ["passed", "soft-errors", "hard-errors", "teardown-failed"] as const) expect(outcomeWithPipeline(outcome, lost)).toBe("log-pipeline-lost");
    for (const outcome of ["interrupted", "node-crashed", "setup-failed", "executive-crashed"] as const) expect(outcomeWithPipeline(outcome, lost)).toBe(outcome);
    expect(outcomeWithPipeline("passed", NO_PIPELINE_ERRORS)).toBe("passed");
    expect(outcomeWithPipeline("passed", undefined)).toBe("passed");
    expect(EXIT_CODES["log-pipeline-lost"]).toBe(9);
  });
});
