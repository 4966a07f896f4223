import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { LogprocSyntaxError } from "@mina-local/logproc";
import { parseForwarderArgs, stateDirOf } from "./args.js";
import { buildForwarderExecutable } from "./build.js";
import { compileLineFilter } from "./filter.js";
import { allOf, compileLevelFilter } from "./level-filter.js";
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

describe("in-container level filter", () => {
  // lines as a Mina daemon writes them (compact JSON, level second, event_id last)
  const mina = (level: string, eventId?: string, metadata: Record<string, unknown> = { pid: 7 }) =>
    Buffer.from(
      JSON.stringify({
        timestamp: "2023-11-11 13:25:54.414332Z",
        level,
        source: { module: "Transition_frontier", location: 'File "src/lib/transition_frontier/transition_frontier.ml", line 426, characters 2-14' },
        message: "m",
        metadata,
        ...(eventId && { event_id: eventId }),
      }),
    );
  const APPLYING_DIFFS = "ef1182dc30f3e0aa9f6bf11c0ab90ba6";
  const debug = compileLevelFilter("Debug");

  it("passes lines at the level and above, and drops those below", () => {
    for (const level of ["Debug", "Info", "Warn", "Error", "Faulty_peer", "Fatal"]) expect(debug(mina(level)), level).toBe(true);
    for (const level of ["Internal", "Spam", "Trace"]) expect(debug(mina(level)), level).toBe(false);
    expect(compileLevelFilter("Warn")(mina("Info"))).toBe(false);
    expect(compileLevelFilter("Spam")(mina("Spam"))).toBe(true);
  });

  it("passes a structured event whatever its level (Applying_diffs is logged at Trace)", () => {
    expect(debug(mina("Trace", APPLYING_DIFFS, { diffs: [{ New_node: "3NK" }] }))).toBe(true);
    // a big Trace event: the id is at the end
    expect(debug(mina("Trace", APPLYING_DIFFS, { diffs: Array.from({ length: 5000 }, (_, i) => ({ New_node: `3NK${i}` })) }))).toBe(true);
    expect(debug(mina("Spam", undefined, { event_id_like: "not an event" }))).toBe(false);
  });

  it("passes what it cannot rate: plain text, JSON without a level, an unknown level, invalid UTF-8", () => {
    expect(debug(Buffer.from("libp2p_helper: dialing 12D3KooW..."))).toBe(true);
    expect(debug(Buffer.from('{"puppeteer_script_event": true, "puppeteer_event_type": "node_offline", "message":"daemon is being stopped by puppeteer script and is going offline"}'))).toBe(true);
    expect(debug(mina("Verbose"))).toBe(true);
    expect(debug(Buffer.from([0xff, 0xfe, 0x7b]))).toBe(true);
  });

  it("reads JSON of another layout the slow way", () => {
    expect(debug(Buffer.from('{ "message": "m", "level": "Trace" }'))).toBe(false);
    expect(debug(Buffer.from('{ "event_id": "abc", "level": "Trace" }'))).toBe(true);
    expect(debug(Buffer.from('{ "message": "m", "level": "Info" }'))).toBe(true);
  });

  it("combines with a logproc filter: a line passes when both pass it", () => {
    const both = allOf([compileLevelFilter("Debug"), compileLineFilter('.level != "Info"')]);
    expect(both?.(mina("Info"))).toBe(false);
    expect(both?.(mina("Warn"))).toBe(true);
    expect(both?.(mina("Trace"))).toBe(false);
    expect(both?.(mina("Trace", APPLYING_DIFFS))).toBe(true);
    expect(allOf([])).toBeUndefined();
  });
});

describe("forwarder command line", () => {
  it("parses the brief's command line and keeps the daemon's flags verbatim", () => {
    const parsed = parseForwarderArgs([
      "--node",
      "bp-1",
      "--role",
      "block-producer",
      "--fifo",
      "/f",
      "--socket",
      "/s",
      "--graphql-port",
      "3085",
      "--no-autostart",
      "--",
      "mina",
      "daemon",
      "-config-directory",
      "/state",
      "--",
      "-x",
    ]);
    expect(parsed).toEqual({
      ok: true,
      value: {
        node: "bp-1",
        role: "block-producer",
        fifo: "/f",
        socket: "/s",
        graphqlPort: 3085,
        autostart: false,
        stopGraceMs: 5000,
        prepare: false,
        keysDir: "/mina-local/keys",
        command: "mina",
        args: ["daemon", "-config-directory", "/state", "--", "-x"],
      },
    });
  });

  it("takes --log-level as one of Mina's levels", () => {
    const base = ["--node", "bp-1", "--role", "seed", "--fifo", "/f", "--socket", "/s"];
    const parsed = parseForwarderArgs([...base, "--log-level", "Debug", "--", "mina"]);
    expect(parsed.ok && parsed.value.logLevel).toBe("Debug");
    const bad = parseForwarderArgs([...base, "--log-level", "debug", "--", "mina"]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/--logLevel: a Mina log level: Internal, Spam, Trace, Debug/);
  });

  it("takes the preparation, its keys directory and the two stop times", () => {
    const parsed = parseForwarderArgs([
      "--node",
      "bp-1",
      "--role",
      "block-producer",
      "--fifo",
      "/f",
      "--socket",
      "/s",
      "--prepare",
      "--keys-dir",
      "/k",
      "--stop-grace-ms",
      "600000",
      "--shutdown-grace-ms",
      "5000",
      "--",
      "mina",
      "daemon",
    ]);
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
    });
    // Mina's key order, metadata keys sorted, no event_id key at all
    const text = forwarderLine("node_offline", "bye", { signal: "SIGTERM", node: "bp1" }, "Info", when);
    expect(text).toBe(
      '{"timestamp":"2026-11-26 12:00:00.123000Z","level":"Info","source":{"module":"mina-local.forwarder","location":"log-forwarder"},"message":"bye","metadata":{"node":"bp1","puppeteer_event_type":"node_offline","signal":"SIGTERM"}}',
    );
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
