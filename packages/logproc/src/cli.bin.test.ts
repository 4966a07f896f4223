import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// the built bin (bin/logproc.js runs dist/): `pnpm build` first; pnpm test does, test:unit leaves this file out
const BIN = fileURLToPath(new URL("../bin/logproc.js", import.meta.url));

function logLine(level: string, message: string, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({ timestamp: "2026-11-26 12:00:00.123456Z", level, source: { module: "Test", location: "here" }, message, metadata, event_id: null });
}

function runBin(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("the logproc bin (a real process)", () => {
  it("runs the RFC's command: keeps Info and Warn, drops Debug and Spam, interpolates inline", async () => {
    const input = [
      logLine("Spam", "libp2p noise"),
      logLine("Info", "Block produced: $state_hash", { state_hash: "3NKabc" }),
      logLine("Debug", "debugging $x", { x: 1 }),
      "this is not JSON",
      logLine("Warn", "Peer $peer is slow", { peer: { host: "10.0.0.2" } }),
      "",
    ].join("\n");
    const { code, stdout, stderr } = await runBin(["-i", "inline", "-f", '!(.level in ["Spam","Debug"])'], input);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(["[2026-11-26 12:00:00.123456Z] Info: Block produced: 3NKabc", "this is not JSON", '[2026-11-26 12:00:00.123456Z] Warn: Peer {"host":"10.0.0.2"} is slow', ""].join("\n"));
  }, 20_000);

  it("prints a bad filter's syntax error on stderr and exits 2", async () => {
    const { code, stdout, stderr } = await runBin(["--filter", ".level =="], logLine("Info", "x"));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("logproc: syntax error at column 10: expected a value after '=='");
  }, 20_000);

  it("rejects an unknown interpolation and unknown options with exit code 2", async () => {
    const bad = await runBin(["-i", "sideways"], "");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown interpolation 'sideways'");
    const unknown = await runBin(["--bogus"], "");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("usage: logproc");
  }, 20_000);
});
