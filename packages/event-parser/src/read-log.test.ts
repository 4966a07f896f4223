import { eventIdTable } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { linesOf, readDaemonLog, type EventRecord } from "./read-log.js";
import { BERKELEY, PUPPETEER_NODE_OFFLINE, REMOTE, VECTOR_COMMAND, VECTOR_HASH, blockProducedMetadata, eventLine, minaLine } from "./testing/fixtures.js";
import { REAL_LINES } from "./testing/real-lines.js";

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

async function read(text: string | Uint8Array, table = BERKELEY) {
  const events: EventRecord[] = [];
  const summary = await readDaemonLog(chunks(text), { table, onEvent: (e) => events.push(e) });
  return { events, summary };
}

describe("readDaemonLog (test_executive events)", () => {
  it("gives one record per event with its id, timestamp, level and line number, and a summary of the rest", async () => {
    const log = [
      eventLine(BERKELEY, "Starting_transition_frontier_controller", {}),
      "",
      eventLine(BERKELEY, "Block_produced", blockProducedMetadata("7", "30")),
      eventLine(BERKELEY, "Added_breadcrumb_user_commands", { state_hash: "3NK", user_commands: [{ data: VECTOR_COMMAND, status: ["Applied"] }] }),
      eventLine(BERKELEY, "Block_received", { sender: REMOTE, state_hash: "3NK" }),
      minaLine("Peer slow", {}, { level: "Warn" }),
      minaLine("Something newer", {}, { eventId: "0123456789abcdef0123456789abcdef" }),
      minaLine("Something newer", {}, { eventId: "0123456789abcdef0123456789abcdef" }),
      eventLine(BERKELEY, "Bootstrapping", {}),
      "libp2p helper: started",
      '{"timestamp":"2023-11-11 13:25',
      eventLine(BERKELEY, "Block_produced", { breadcrumb: {} }),
      PUPPETEER_NODE_OFFLINE,
    ].join("\n");
    const { events, summary } = await read(`${log}\n`);
    expect(events.map((e) => [e.type, e.line])).toEqual([
      ["Node_initialization", 1],
      ["Block_produced", 3],
      ["Breadcrumb_added", 4],
      ["Block_gossip", 5],
      ["Log_error", 6],
      ["Node_offline", 13],
    ]);
    expect(events[1]).toMatchObject({
      id: "64e2d3e86c37c09b15efdaf7470ce879",
      constructor: "Block_produced",
      timestamp: "2023-11-11 13:25:54.414332Z",
      level: "Info",
      data: { block_height: 7, global_slot: 30 },
    });
    expect(events[2]?.data).toMatchObject({ user_commands: [{ hash: VECTOR_HASH }] });
    expect(events[4]).not.toHaveProperty("id");
    expect(events[5]).toEqual({ type: "Node_offline", line: 13, data: {} });
    expect(summary).toMatchObject({
      table: { name: "berkeley-2023-09", reason: "given" },
      lines: 13,
      blankLines: 1,
      events: 6,
      eventsByType: { Node_initialization: 1, Block_produced: 1, Breadcrumb_added: 1, Block_gossip: 1, Log_error: 1, Node_offline: 1 },
      otherRegisteredEvents: { Bootstrapping: 1 },
      unknownIds: { "0123456789abcdef0123456789abcdef": 2 },
      nonJsonLines: 1,
      logErrorsByLevel: { Warn: 1 },
      problems: { "truncated-json": 1, "bad-payload": 1 },
    });
    expect(summary.firstProblems[1]).toMatchObject({ line: 12, problem: "bad-payload", event: "Block_produced", field: "metadata.breadcrumb.validated_transition" });
  });

  it("reads lines split across chunks, CRLF endings, a last line without newline and bytes that are not UTF-8", async () => {
    const line = eventLine(BERKELEY, "Bootstrap_required", {});
    const bad = Buffer.concat([Buffer.from(minaLine("bad byte", {}, { level: "Error" }).slice(0, 20)), Buffer.from([0xc3]), Buffer.from(minaLine("bad byte", {}, { level: "Error" }).slice(20))]);
    const events: EventRecord[] = [];
    const summary = await readDaemonLog(chunks(line.slice(0, 10), `${line.slice(10)}\r\n`, bad, "\n", line), { table: BERKELEY, onEvent: (e) => events.push(e) });
    expect(events.map((e) => e.type)).toEqual(["Bootstrap_required", "Log_error", "Bootstrap_required"]);
    expect(summary).toMatchObject({ lines: 3, problems: { "invalid-utf8": 1 } });
    const seen: boolean[] = [];
    for await (const l of linesOf(chunks("a\n", Buffer.from([0xff, 0x0a]), "b"))) seen.push(l.invalidUtf8);
    expect(seen).toEqual([false, true, false]);
  });

  it("without a table, picks one from the log's booting-up line and says why", async () => {
    const boot = JSON.stringify({
      timestamp: "2022-10-27 00:00:00.000000Z",
      level: "Info",
      source: { module: "Mina_cli_entrypoint", location: "x" },
      message: "Mina daemon is booting up; built with commit $commit on branch $branch",
      metadata: { branch: "compatible", commit: "25388a0fed9695e8e9d04f75f50c2bae1c9c80db" },
    });
    const events: EventRecord[] = [];
    const mainnetGossip = eventLine(eventIdTable("mainnet-1.3"), "Block_received", { sender: REMOTE, state_hash: "3NK" });
    const summary = await readDaemonLog(chunks(`${mainnetGossip}\n${boot}\n${mainnetGossip}\n`), { onEvent: (e) => events.push(e) });
    expect(summary.table.name).toBe("mainnet-1.3");
    expect(summary.table.reason).toMatch(/booting-up line: .*Mina 1\.3\.1\.2/);
    // lines before the booting-up line are read with the table it names
    expect(events.map((e) => [e.type, e.line])).toEqual([
      ["Block_gossip", 1],
      ["Block_gossip", 3],
    ]);
    const none = await readDaemonLog(chunks("plain\n"), { onEvent: () => undefined });
    expect(none.table.name).toBe("develop-newest");
    expect(none.table.reason).toMatch(/no "Mina daemon is booting up" line/);
  });

  it("the real lines from Mina's issue tracker, pasted as one log: prefixes stripped, only Mina's log errors as events", async () => {
    const events: EventRecord[] = [];
    const log = REAL_LINES.map((l) => l.posted).join("\n");
    const summary = await readDaemonLog(chunks(log), { onEvent: (e) => events.push(e) });
    expect(summary.lines).toBe(REAL_LINES.length);
    expect(summary.prefixedLines).toBe(REAL_LINES.filter((l) => l.prefix !== undefined).length);
    // the rampup5 daemon's booting-up line names a commit no table is known for: the newest table, said so
    expect(summary.table).toMatchObject({ name: "develop-newest", reason: expect.stringMatching(/55b78189c4 \(branch rampup\) is not a release we know/) });
    expect(summary.problems).toEqual({});
    expect(summary.eventsByType).toEqual({ Log_error: 2 });
    expect(summary.logErrorsByLevel).toEqual({ Error: 1, Fatal: 1 });
    expect(summary.otherRegisteredEvents).toEqual({ Bootstrapping: 1 });
    expect(summary.nonJsonLines).toBe(REAL_LINES.filter((l) => "text" in l.expect).length);
    expect(summary.prettyLinesByLevel).toEqual({ Info: 7, Error: 5, Fatal: 1, Warn: 1 });
    expect(events.map((e) => e.timestamp)).toEqual(["2023-10-17 08:59:04.876140Z", "2022-02-09 14:03:44.995252Z"]);
  });
});
