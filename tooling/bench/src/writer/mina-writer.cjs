#!/usr/bin/node
// The bench's stand-in for `mina daemon`: writes Mina's JSON log lines (about 370
// bytes, one long line every --long-every, Mina's Gossip_new_state every --event-every) as fast
// as it can or at --rate lines/s, then idles (a daemon that exits would be a crash).
// With --replay <file> it writes that file's lines (real Mina log lines) over and over
// instead, each with the time of writing in its timestamp, so the relay's lag is measured.
// Plain CommonJS with no imports outside Node: it runs in a FROM-scratch image as
// /usr/local/bin/mina and on the host for the raw-FIFO ceiling (--fifo).
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose: run by plain node in a scratch image
const fs = require("node:fs");

function parseArgs(argv) {
  const options = { lines: 1000, rate: 0, go: "", node: "writer", eventEvery: 100, eventId: "", longEvery: 1000, fifo: "", then: "idle", replay: "" };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`mina-writer: ${key} needs a value`);
    switch (key) {
      case "--lines":
        options.lines = Number(value);
        break;
      case "--rate":
        options.rate = Number(value);
        break;
      case "--go":
        options.go = value;
        break;
      case "--node":
        options.node = value;
        break;
      case "--event-every":
        options.eventEvery = Number(value);
        break;
      case "--event-id":
        options.eventId = value;
        break;
      case "--long-every":
        options.longEvery = Number(value);
        break;
      case "--fifo":
        options.fifo = value;
        break;
      case "--then":
        options.then = value;
        break;
      case "--replay":
        options.replay = value;
        break;
      default:
        throw new Error(`mina-writer: unknown flag ${key}`);
    }
  }
  return options;
}

// `daemon` (the forwarder runs `mina daemon <flags>`) is accepted and ignored
const args = process.argv.slice(2).filter((a) => a !== "daemon");
const options = parseArgs(args);
const pad = (n, width) => String(n).padStart(width, "0");
const nowMs = () => performance.timeOrigin + performance.now();

/** Mina's timestamp with microseconds: the latency probe reads it back. */
function minaTimestamp(ms) {
  const d = new Date(Math.floor(ms));
  const micros = Math.floor((ms % 1000) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(micros, 6)}Z`;
}

// The plain lines are the bench's own (no Mina call site writes them): the source says so.
const LOCATION = 'File \\"tooling/bench/src/writer/mina-writer.cjs\\", line 1, characters 0-0';
const SENDER = '{"Remote":{"host":"10.0.1.12","peer_id":"12D3KooWKZZTm8x4rb9p7fX5UXu8UDaDGTB4Yg95CzeTXgBYK3Gj","libp2p_port":8302}}';
const LONG_BLOB = "a".repeat(6000);

// Mina's line: keys timestamp, level, source, message, metadata (sorted), event_id only on events
function plainLine(ts, seq, long) {
  const excerpt = long ? `"ledger_excerpt":"${LONG_BLOB}",` : "";
  return `{"timestamp":"${ts}","level":"Debug","source":{"module":"Mina_local_bench","location":"${LOCATION}"},"message":"Bench line $seq: checked a transition from $sender","metadata":{${excerpt}"node":"${options.node}","sender":${SENDER},"seq":${seq}}}\n`;
}

// Mina's Gossip_new_state as mina_networking.ml's log_gossip writes it (develop 9f068b1c3b): Trace,
// metadata `message` (Gossip_net.Message.msg_to_yojson, here the block abbreviated) and `state_hash`
const NEW_STATE =
  '["New_state",{"protocol_state":"<abbreviated by the bench>","protocol_state_proof":"<opaque>","staged_ledger_diff":"<opaque>","delta_transition_chain_proof":"<opaque>","current_protocol_version":"3.0.0","proposed_protocol_version":"<None>"}]';
function eventLine(ts, seq) {
  return `{"timestamp":"${ts}","level":"Trace","source":{"module":"Mina_networking","location":"File \\"src/lib/mina_networking/mina_networking.ml\\", line 1472, characters 2-26"},"message":"Broadcasting new state over gossip net","metadata":{"message":${NEW_STATE},"state_hash":"3NbenchProbe${options.node}x${seq}"},"event_id":"${options.eventId}"}\n`;
}

// the replayed lines, split where their timestamp's value goes
const REPLAY = options.replay
  ? fs
      .readFileSync(options.replay, "utf8")
      .split("\n")
      .filter((line) => line.startsWith('{"timestamp":"'))
      .map((line) => {
        const start = '{"timestamp":"'.length;
        const end = line.indexOf('"', start);
        return [line.slice(0, start), `${line.slice(end)}\n`];
      })
  : [];
if (options.replay && REPLAY.length === 0) throw new Error(`mina-writer: ${options.replay} has no Mina JSON lines`);

function lineAt(ts, seq) {
  if (options.eventEvery > 0 && options.eventId && seq % options.eventEvery === options.eventEvery - 1) return eventLine(ts, seq);
  if (REPLAY.length > 0) {
    const [head, tail] = REPLAY[seq % REPLAY.length];
    return head + ts + tail;
  }
  return plainLine(ts, seq, options.longEvery > 0 && seq % options.longEvery === options.longEvery - 1);
}

// Raw-FIFO mode writes whole lines in writes of at most PIPE_BUF bytes (atomic, as the
// forwarder's frames are) with no framing: the ceiling of the pipe itself.
const MAX_WRITE = options.fifo ? 4096 : 65536;
const out = options.fifo ? fs.openSync(options.fifo, "w") : 1;

function writeAll(buffer) {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(out, buffer, offset, buffer.length - offset);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
    }
  }
}

/** Writes lines [from, to) with one timestamp per call (the fast mode) or per line. */
function writeLines(from, to, timestampEach) {
  let pending = [];
  let pendingBytes = 0;
  let ts = minaTimestamp(nowMs());
  for (let seq = from; seq < to; seq++) {
    if (timestampEach) ts = minaTimestamp(nowMs());
    const line = lineAt(ts, seq);
    if (options.fifo && line.length > MAX_WRITE) {
      // a long line cannot be one atomic write: the raw ceiling writes it in pieces (single writer per piece order is kept only per writer)
      if (pending.length > 0) writeAll(Buffer.from(pending.join("")));
      pending = [];
      pendingBytes = 0;
      writeAll(Buffer.from(line));
      continue;
    }
    if (pendingBytes + line.length > MAX_WRITE) {
      writeAll(Buffer.from(pending.join("")));
      pending = [];
      pendingBytes = 0;
    }
    pending.push(line);
    pendingBytes += line.length;
  }
  if (pending.length > 0) writeAll(Buffer.from(pending.join("")));
}

function finish() {
  if (options.then === "exit") process.exit(0);
  // a daemon idles; the forwarder or `docker service rm` stops it
  setInterval(() => {}, 1 << 30);
  process.on("SIGTERM", () => process.exit(0));
}

function runFast() {
  const chunk = 2000;
  let seq = 0;
  const step = () => {
    const to = Math.min(options.lines, seq + chunk);
    writeLines(seq, to, false);
    seq = to;
    if (seq < options.lines) setImmediate(step);
    else finish();
  };
  step();
}

function runAtRate() {
  const started = nowMs();
  let seq = 0;
  const timer = setInterval(() => {
    const due = Math.min(options.lines, Math.floor(((nowMs() - started) / 1000) * options.rate));
    if (due > seq) writeLines(seq, due, true);
    seq = Math.max(seq, due);
    if (seq >= options.lines) {
      clearInterval(timer);
      finish();
    }
  }, 1);
}

function start() {
  if (options.rate > 0) runAtRate();
  else runFast();
}

// Writers wait for the go file so that every container starts at once and the clock starts then.
if (options.go) {
  const wait = setInterval(() => {
    if (fs.existsSync(options.go)) {
      clearInterval(wait);
      start();
    }
  }, 2);
} else {
  start();
}
