import { describe, expect, it } from "vitest";
import { countLines, countLinesContaining, lastLineTimestampMs, parseMinaTimestampMs, percentiles, splitLines } from "./measure.js";
import { areaOf } from "./profile.js";
import { renderTable } from "./table.js";
import { writerCompose } from "./writer-stack.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("counting lines of a log message", () => {
  it("counts whole lines with or without a final newline, and none in an empty message", () => {
    expect(countLines(bytes("a\nb\nc"))).toBe(3);
    expect(countLines(bytes("a\nb\nc\n"))).toBe(3);
    expect(countLines(bytes("one"))).toBe(1);
    expect(countLines(bytes(""))).toBe(0);
  });

  it("counts the lines holding a marker once each, even when it appears twice in a line", () => {
    const message = bytes('{"module":"x"}\n{"module":"mina-local.forwarder","m":"mina-local.forwarder"}\n{"module":"mina-local.forwarder"}');
    expect(countLinesContaining(message, Buffer.from("mina-local.forwarder"))).toBe(2);
  });
});

describe("Mina timestamps", () => {
  it("keeps the microseconds as a fraction of a millisecond", () => {
    expect(parseMinaTimestampMs("2026-11-26 12:00:00.123456Z")).toBeCloseTo(Date.UTC(2026, 10, 26, 12, 0, 0) + 123.456, 3);
    expect(parseMinaTimestampMs("2026-11-26T12:00:00Z")).toBeUndefined();
  });

  it("reads the timestamp of a message's last line", () => {
    const message = bytes('{"timestamp":"2026-11-26 12:00:00.000000Z"}\n{"timestamp":"2026-11-26 12:00:01.500000Z","x":1}\n');
    expect(lastLineTimestampMs(message)).toBe(Date.UTC(2026, 10, 26, 12, 0, 1) + 500);
  });
});

describe("percentiles", () => {
  it("uses the nearest rank", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(samples)).toMatchObject({ count: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
    expect(percentiles([])).toBeUndefined();
  });
});

describe("splitting lines over writers", () => {
  it("keeps the total and differs by at most one line", () => {
    expect(splitLines(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitLines(1_000_000, 16).reduce((a, b) => a + b, 0)).toBe(1_000_000);
  });
});

describe("the writers' compose file", () => {
  const base = { runId: "bpipetest01", runDir: "/tmp/run", image: "mina-local/bench-writer:x", nodes: ["w1", "w2"], writerArgs: (node: string) => ["--node", node] };

  it("labels every service with the run and runs the writer under the forwarder, writing into the shared FIFO", () => {
    const compose = writerCompose({ ...base, mode: "forwarder" });
    const w1 = compose.services["w1"];
    expect(w1?.labels["mina-local.run"]).toBe("bpipetest01");
    expect(w1?.deploy.labels["mina-local.run"]).toBe("bpipetest01");
    expect(w1?.entrypoint.slice(0, 3)).toEqual(["/mina-local/forwarder", "--node", "w1"]);
    expect(w1?.entrypoint).toContain("/mina-local/run/logs.fifo");
    expect(w1?.command).toEqual(["mina", "daemon", "--node", "w1"]);
    expect(w1?.volumes[0]).toMatchObject({ source: "/tmp/run/shared", target: "/mina-local/run" });
    expect(compose.networks["mina-local"]?.labels["mina-local.run"]).toBe("bpipetest01");
  });

  it("in direct mode makes the writer PID 1 and keeps all of its output in the log driver", () => {
    const w2 = writerCompose({ ...base, mode: "direct" }).services["w2"];
    expect(w2?.entrypoint).toEqual(["/usr/local/bin/mina"]);
    expect(w2?.command).toEqual(["--node", "w2"]);
    expect(w2?.logging.options["max-size"]).toBe("4g");
  });
});

describe("profile areas and tables", () => {
  it("names where a function lives", () => {
    expect(areaOf({ functionName: "push", url: "file:///work/main/packages/log-forwarder/src/decoder.ts", lineNumber: 1 })).toBe("log-forwarder: FrameDecoder");
    expect(areaOf({ functionName: "(garbage collector)", url: "", lineNumber: -1 })).toBe("garbage collection");
  });

  it("pads columns to the widest cell", () => {
    expect(renderTable(["a", "bb"], [["xyz", "1"]])).toBe("a    bb\n---  --\nxyz   1");
  });
});
