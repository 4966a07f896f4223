import { describe, expect, it } from "vitest";
import { demux } from "./image-probe.js";

const frame = (kind: 1 | 2, text: string) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe("demux (Docker's multiplexed log stream)", () => {
  it("splits stdout from stderr, keeping each in order", () => {
    const stream = Buffer.concat([frame(1, "Commit abc "), frame(2, "warning\n"), frame(1, "on branch develop\n")]);
    expect(demux(stream)).toEqual({ stdout: "Commit abc on branch develop\n", stderr: "warning\n" });
  });

  it("ignores a truncated last frame instead of reading past the buffer", () => {
    const stream = Buffer.concat([frame(1, "whole\n"), frame(1, "cut").subarray(0, 9)]);
    expect(demux(stream).stdout).toBe("whole\n");
  });
});
