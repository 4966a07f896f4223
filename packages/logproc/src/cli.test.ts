import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runLogproc } from "./index.js";

// the bin as a real process: cli.bin.test.ts (it runs dist/)
function logLine(level: string, message: string, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({ timestamp: "2026-11-26 12:00:00.123456Z", level, source: { module: "Test", location: "here" }, message, metadata, event_id: null });
}

describe("runLogproc streaming", () => {
  it("reassembles lines split across chunks (including a multi-byte character) and a last line without newline", async () => {
    const stdin = new PassThrough();
    let out = "";
    const stdout = new Writable({ write: (chunk: Buffer, _enc, cb) => ((out += chunk.toString("utf8")), cb()) });
    const done = runLogproc(["-i", "hidden"], { stdin, stdout, stderr: stdout });
    const long = "x".repeat(200_000);
    const text = `${logLine("Info", `é${long}`)}\nplain ü line\n${logLine("Warn", "last")}`;
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < bytes.length; i += 7_001) stdin.write(bytes.subarray(i, i + 7_001));
    stdin.end();
    expect(await done).toBe(0);
    expect(out).toBe(`[2026-11-26 12:00:00.123456Z] Info: é${long}\nplain ü line\n[2026-11-26 12:00:00.123456Z] Warn: last\n`);
  });

  it("waits for a slow stdout instead of buffering everything (backpressure)", async () => {
    const stdin = new PassThrough();
    const received: string[] = [];
    const stdout = new Writable({
      highWaterMark: 16,
      write: (chunk: Buffer, _enc, cb) => {
        received.push(chunk.toString("utf8"));
        setImmediate(cb);
      },
    });
    const done = runLogproc([], { stdin, stdout, stderr: stdout });
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    for (const l of lines) stdin.write(`${l}\n`);
    stdin.end();
    expect(await done).toBe(0);
    expect(received.join("")).toBe(lines.map((l) => `${l}\n`).join(""));
  });
});
