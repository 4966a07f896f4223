import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { eventIdTable } from "@mina-local/engine";
import { BERKELEY, REAL_LINES, REMOTE, blockProducedMetadata, eventLine } from "@mina-local/event-parser/testing";
import { runEventsCommand } from "./events-command.js";
import { EXIT_CODES } from "./report/model.js";

const dir = mkdtempSync(join(tmpdir(), "events-command-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(stdinText?: string) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  if (stdinText !== undefined) stdin.end(stdinText);
  return { streams: { stdin, stdout, stderr }, out: () => out, err: () => err };
}

describe("test_executive events", () => {
  it("reads the real lines from Mina's issue tracker as a mina.log: events on stdout, the summary and the table's reason on stderr, exit 0", async () => {
    const file = join(dir, "mina.log");
    writeFileSync(file, `${REAL_LINES.map((l) => l.posted).join("\n")}\n`);
    const t = io();
    const code = await runEventsCommand(file, {}, t.streams);
    expect(code).toBe(0);
    const records = t
      .out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; level: string; timestamp: string; line: number });
    expect(records.map((r) => [r.type, r.level, r.timestamp])).toEqual([
      ["Log_error", "Error", "2023-10-17 08:59:04.876140Z"],
      ["Log_error", "Fatal", "2022-02-09 14:03:44.995252Z"],
    ]);
    expect(t.err()).toContain(`${file}: ${REAL_LINES.length} lines`);
    expect(t.err()).toMatch(/event ids: table develop-newest \(from its booting-up line: .*55b78189c4 \(branch rampup\) is not a release we know/);
    expect(t.err()).toContain("log errors: Error 1, Fatal 1");
    expect(t.err()).toContain("other registered events: Bootstrapping 1");
    expect(t.err()).toContain("lines in Mina's pretty format (not read for events): Info 7, Error 5, Fatal 1, Warn 1");
  });

  it("reads stdin with a table given by name or by --event-ids (a dump of dump-structured-events)", async () => {
    const mainnet = eventIdTable("mainnet-1.3");
    const log = `${eventLine(mainnet, "Block_received", { sender: REMOTE, state_hash: "3NK" })}\n${eventLine(BERKELEY, "Block_produced", blockProducedMetadata())}\n`;
    const byName = io(log);
    expect(await runEventsCommand("-", { table: "mainnet-1.3" }, byName.streams)).toBe(0);
    expect(
      byName
        .out()
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(["Block_gossip", "Block_produced"]);
    expect(byName.err()).toContain("event ids: table mainnet-1.3 (--table mainnet-1.3)");

    const dump = join(dir, "dump.json");
    writeFileSync(dump, JSON.stringify([["src/lib/transition_handler/block_sink.ml.Block_received", "60076de624bf0c5fc0843b875001cf84", ["sender", "state_hash"]]]));
    const fromDump = io(log);
    expect(await runEventsCommand("-", { eventIds: dump }, fromDump.streams)).toBe(0);
    expect(fromDump.out()).toBe("");
    expect(fromDump.err()).toMatch(/unknown event ids \(ordinary log lines\): .*b7fa8b10ff17b32b1aa2e2ef508ba811 1/);
    expect(fromDump.err()).toContain("what to do: none of its ids is in");
  });

  it("an input or an --event-ids file that cannot be read exits with invalid-arguments, saying which file", async () => {
    const missing = io();
    expect(await runEventsCommand(join(dir, "nope.log"), {}, missing.streams)).toBe(EXIT_CODES["invalid-arguments"]);
    expect(missing.err()).toMatch(/nope\.log: cannot read: no such file/);
    const directory = io();
    expect(await runEventsCommand(dir, {}, directory.streams)).toBe(EXIT_CODES["invalid-arguments"]);
    expect(directory.err()).toMatch(/is a directory/);
    const badIds = join(dir, "ids.json");
    writeFileSync(badIds, "{ not json");
    const bad = io("");
    expect(await runEventsCommand("-", { eventIds: badIds }, bad.streams)).toBe(EXIT_CODES["invalid-arguments"]);
    expect(bad.err()).toMatch(/ids\.json: not valid JSON/);
    expect(bad.err()).toMatch(/what to do: /);
    const unknownTable = io("");
    expect(await runEventsCommand("-", { table: "mainnet-0.1" }, unknownTable.streams)).toBe(EXIT_CODES["invalid-arguments"]);
  });

  it("bad lines do not change the exit code: they are counted", async () => {
    const t = io('{"timestamp":"2023-11\nplain text\n');
    expect(await runEventsCommand("-", { table: "berkeley-2023-09" }, t.streams)).toBe(0);
    expect(t.err()).toContain("unreadable lines: truncated-json 1");
    expect(t.err()).toContain("line 1: truncated-json");
  });
});
