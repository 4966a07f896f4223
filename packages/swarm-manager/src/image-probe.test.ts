import { describe, expect, it } from "vitest";
import { demuxDockerLogs, forwarderProblem, glibcLoader } from "./image-probe.js";

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("the image probe's readers", () => {
  it("splits Docker's multiplexed logs into stdout and stderr", () => {
    expect(demuxDockerLogs(Buffer.concat([frame(1, "Commit abc "), frame(2, "warning\n"), frame(1, "on branch x\n")]))).toEqual({ stdout: "Commit abc on branch x\n", stderr: "warning\n" });
  });

  it("accepts a forwarder that ran (usage, exit 2) and names what is missing otherwise", () => {
    expect(forwarderProblem("img", { ok: false, exitCode: 2, stdout: "", stderr: "forwarder: invalid forwarder arguments\nusage: forwarder --node ..." })).toBeUndefined();
    // the loader's own message (glibc present, a library not)
    expect(
      forwarderProblem("img:1", {
        ok: false,
        exitCode: 127,
        stdout: "",
        stderr: "/mina-local/forwarder: error while loading shared libraries: libstdc++.so.6: cannot open shared object file: No such file or directory",
      }),
    ).toBe("the log-forwarder cannot run in the image img:1: it lacks libstdc++.so.6 (the forwarder is a Node executable that needs glibc, libstdc++ and libgcc_s from the image)");
    // no loader at all: Docker cannot exec it
    expect(forwarderProblem("alpine:3", { ok: false, stdout: "", stderr: "", startError: "starting ...: failed to create task: exec /mina-local/forwarder: no such file or directory" })).toBe(
      `the log-forwarder cannot run in the image alpine:3: it has no glibc (the dynamic loader ${glibcLoader()} is missing; musl/Alpine and scratch images cannot run it)`,
    );
    expect(glibcLoader("arm64")).toBe("/lib/ld-linux-aarch64.so.1");
  });
});
