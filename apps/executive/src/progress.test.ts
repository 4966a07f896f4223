import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress, plainProgress } from "./progress.js";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe("progress when stderr is not a terminal", () => {
  it("prints every step and its end as plain lines, without cursor control", () => {
    const out = capture();
    const progress = createProgress(out.stream as unknown as NodeJS.WriteStream, false);
    progress.step("deploying 3 nodes");
    progress.done();
    progress.note("dry run: the run directory is /x");
    expect(out.text()).toMatch(/^… deploying 3 nodes\n✓ deploying 3 nodes \(\d+\.\d s\)\ndry run: the run directory is \/x\n$/);
    expect(out.text()).not.toContain("\x1b");
  });

  it("prints a step's changing detail at most every 2 s, never the same twice", () => {
    const out = capture();
    let t = 0;
    const progress = plainProgress(out.stream, () => t);
    progress.step("waiting for every node");
    progress.update("bp: starting");
    t = 500;
    progress.update("bp: running");
    t = 2_600;
    progress.update("bp: starting");
    progress.update("bp: starting");
    t = 5_000;
    progress.update("seed: running");
    expect(
      out
        .text()
        .split("\n")
        .filter((l) => l.startsWith("  ")),
    ).toEqual(["  waiting for every node: bp: starting (0.0 s)", "  waiting for every node: seed: running (5.0 s)"]);
  });
});
