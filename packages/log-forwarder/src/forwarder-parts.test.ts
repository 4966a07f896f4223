import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { LogprocSyntaxError } from "@mina-local/logproc";
import { parseForwarderArgs, stateDirOf } from "./args.js";
import { buildForwarderExecutable } from "./build.js";
import { compileLineFilter } from "./filter.js";
import { LineSplitter } from "./lines.js";
import { forwarderLine, minaTimestamp } from "./mina-line.js";

describe("in-container filter", () => {
  const dropDebug = compileLineFilter('!(.level in ["Spam","Debug"])');
  const line = (value: unknown) => Buffer.from(JSON.stringify(value));

  it("applies the logproc expression to JSON lines", () => {
    expect(dropDebug(line({ level: "Debug", message: "x", metadata: {} }))).toBe(false);
    expect(dropDebug(line({ level: "Info", message: "x", metadata: {} }))).toBe(true);
  });

  it("always passes lines that carry an event, and lines that are not JSON objects", () => {
    expect(dropDebug(line({ level: "Debug", message: "x", metadata: {}, event_id: "abc" }))).toBe(true);
    expect(dropDebug(line({ level: "Debug", message: "x", metadata: { puppeteer_event_type: "node_started" } }))).toBe(true);
    expect(dropDebug(Buffer.from("not json at all"))).toBe(true);
    expect(dropDebug(Buffer.from('{"level":"Debug", broken'))).toBe(true);
    expect(dropDebug(Buffer.from([0xff, 0xfe]))).toBe(true);
  });

  it("rejects a bad expression with logproc's syntax error", () => {
    expect(() => compileLineFilter(".level ==")).toThrow(LogprocSyntaxError);
  });
});

describe("forwarder command line", () => {
  it("parses the brief's command line and keeps the daemon's flags verbatim", () => {
    const parsed = parseForwarderArgs(["--node", "bp-1", "--role", "block-producer", "--fifo", "/f", "--socket", "/s", "--graphql-port", "3085", "--no-autostart", "--", "mina", "daemon", "-config-directory", "/state", "--", "-x"]);
    expect(parsed).toEqual({
      ok: true,
      value: { node: "bp-1", role: "block-producer", fifo: "/f", socket: "/s", graphqlPort: 3085, autostart: false, stopGraceMs: 5000, prepare: false, keysDir: "/mina-local/keys", command: "mina", args: ["daemon", "-config-directory", "/state", "--", "-x"] },
    });
  });

  it("takes the preparation, its keys directory and the two stop times", () => {
    const parsed = parseForwarderArgs(["--node", "bp-1", "--role", "block-producer", "--fifo", "/f", "--socket", "/s", "--prepare", "--keys-dir", "/k", "--stop-grace-ms", "600000", "--shutdown-grace-ms", "5000", "--", "mina", "daemon"]);
    expect(parsed).toMatchObject({ ok: true, value: { prepare: true, keysDir: "/k", stopGraceMs: 600_000, shutdownGraceMs: 5000 } });
  });

  it("says what is wrong and how to call it", () => {
    const parsed = parseForwarderArgs(["--node", "BP!", "--role", "seed", "--fifo", "/f", "--socket", "/s"]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(/--node: a node name/);
      expect(parsed.message).toMatch(/the daemon command after --/);
      expect(parsed.message).toMatch(/usage: forwarder/);
    }
  });

  it("finds the daemon's state directory in its flags, or uses Mina's default", () => {
    expect(stateDirOf(["daemon", "-config-directory", "/x"])).toBe("/x");
    expect(stateDirOf(["daemon", "--config-directory=/y"])).toBe("/y");
    expect(stateDirOf(["daemon"])).toBe("/root/.mina-config");
  });
});

describe("lines", () => {
  it("cuts a stream at newlines across chunks and flushes a last line without newline", () => {
    const got: string[] = [];
    const splitter = new LineSplitter((l) => got.push(l.toString()));
    for (const chunk of ["a\nbb", "b\n\nc", "cc", "\nlast"]) splitter.push(Buffer.from(chunk));
    splitter.end();
    expect(got).toEqual(["a", "bbb", "", "ccc", "last"]);
  });

  it("writes the forwarder's own lines in Mina's shape", () => {
    const when = new Date("2026-11-26T12:00:00.123Z");
    expect(minaTimestamp(when)).toBe("2026-11-26 12:00:00.123000Z");
    expect(JSON.parse(forwarderLine("node_crashed", "boom", { exit_code: 3 }, "Error", when))).toEqual({
      timestamp: "2026-11-26 12:00:00.123000Z",
      level: "Error",
      source: { module: "mina-local.forwarder", location: "log-forwarder" },
      message: "boom",
      metadata: { exit_code: 3, puppeteer_event_type: "node_crashed" },
      event_id: null,
    });
  });
});

describe("single executable", () => {
  it("builds a forwarder binary that runs without node_modules and validates its arguments", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forwarder-sea-test-"));
    try {
      const { outFile } = await buildForwarderExecutable({ outFile: path.join(dir, "forwarder") });
      let stderr = "";
      try {
        execFileSync(outFile, ["--node", "x"], { stdio: "pipe", cwd: dir, env: { PATH: "/usr/bin:/bin" } });
      } catch (error) {
        expect((error as { status: number }).status).toBe(2);
        stderr = String((error as { stderr: Buffer }).stderr);
      }
      expect(stderr).toMatch(/usage: forwarder --node/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
