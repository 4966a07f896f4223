import { describe, expect, it } from "vitest";
import { MinaLocalError } from "@mina-local/engine";
import { emptyNetworkState } from "../network-state.js";
import type { TestRunOutcome } from "../dsl/test-runner.js";
import { classifyFailure, failureOf, finalVerdict } from "./outcome.js";

const body = (severity?: "soft" | "hard"): TestRunOutcome => ({ sections: [], errors: severity ? [{ severity, section: "s", message: "m" }] : [], timeline: { sections: [] } });
const base = { failure: undefined, failureDetail: undefined, crash: undefined, crashed: false, faulted: false, aborted: false, abortReason: undefined, teardownFailures: [], pipeline: undefined };

describe("a run's verdict", () => {
  it("is the test's own when nothing else went wrong", () => {
    expect(finalVerdict({ ...base, outcome: body() }).outcome).toBe("passed");
    expect(finalVerdict({ ...base, outcome: body("soft") }).outcome).toBe("soft-errors");
    expect(finalVerdict({ ...base, outcome: body("hard") }).outcome).toBe("hard-errors");
  });

  it("an executive crash wins over everything, and its failure detail is its own", () => {
    const verdict = finalVerdict({
      ...base,
      outcome: body("hard"),
      crash: "TypeError: x",
      failure: { outcome: "setup-failed", message: "m" },
      failureDetail: { outcome: "setup-failed", kind: "setup", message: "m" },
    });
    expect(verdict.outcome).toBe("executive-crashed");
    expect(verdict.failureDetail).toMatchObject({ outcome: "executive-crashed", kind: "executive-crashed" });
    expect(verdict.failure?.message).toMatch(/the executive crashed on an exception that nothing caught.*\nTypeError: x/s);
  });

  it("an interruption says what interrupted it; a fault of the network decides over the interruption it caused", () => {
    const interrupted = finalVerdict({ ...base, outcome: body(), aborted: true, abortReason: "SIGINT" });
    expect(interrupted.outcome).toBe("interrupted");
    expect(interrupted.failure?.message).toBe("the run was SIGINT");
    expect(finalVerdict({ ...base, outcome: body(), aborted: true, crashed: true, faulted: true }).outcome).toBe("node-crashed");
  });

  it("a failed teardown of a passing test is teardown-failed, with the hint to clean up", () => {
    const verdict = finalVerdict({ ...base, outcome: body(), teardownFailures: ["removing the stack: timed out"] });
    expect(verdict.outcome).toBe("teardown-failed");
    expect(verdict.failureDetail).toMatchObject({ kind: "teardown", hint: "run `test_executive cleanup` to remove what is left" });
  });
});

describe("a failure that stopped the run", () => {
  it("takes its outcome from the error's kind, a crashed node first, then an interruption", () => {
    const docker = new MinaLocalError("docker", "no daemon", { hint: "start dockerd" });
    expect(classifyFailure(docker, false, emptyNetworkState(), [])).toBe("docker-unavailable");
    expect(classifyFailure(docker, true, emptyNetworkState(), [])).toBe("interrupted");
    expect(classifyFailure(docker, true, emptyNetworkState(), [{ node: "bp1", action: "die", exitCode: 1 } as never])).toBe("node-crashed");
    const { failure, detail } = failureOf(docker, "docker-unavailable", "/out");
    expect(failure.message).toBe("no daemon\n  what to do: start dockerd");
    expect(detail).toEqual({ outcome: "docker-unavailable", kind: "docker", message: "no daemon", hint: "start dockerd" });
  });

  it("a full disk names the output directory and what to do", () => {
    const { failure } = failureOf(Object.assign(new Error("ENOSPC: no space left"), { code: "ENOSPC" }), "disk-full", "/out");
    expect(failure.message).toMatch(/^the disk holding \/out is full \(ENOSPC: no space left\)\n {2}what to do: free some space/);
  });
});
