import { describe, expect, it } from "vitest";
import { MinaLocalError } from "@mina-local/engine";
import {
  eventFilter,
  eventSubject,
  logFilter,
  logSubject,
  nodeRequestFilter,
  nodeRequestSubject,
  nodeStatusSubject,
  parseLogSubject,
  parseNodeRequestSubject,
  relayDrainSubject,
  relayStatsSubject,
  runSubjects,
  sanitizeToken,
  statsSubject,
} from "./subjects.js";
import { streamName } from "./stream.js";

describe("subjects", () => {
  it("names every subject of a run in the documented shape", () => {
    expect(logSubject("mlrun1", "block-producer", "bp-1")).toBe("mina.mlrun1.log.block-producer.bp-1");
    expect(eventSubject("mlrun1", "seed", "seed-1", "Block_produced")).toBe("mina.mlrun1.event.seed.seed-1.Block_produced");
    expect(nodeStatusSubject("mlrun1", "bp-1")).toBe("mina.mlrun1.node.bp-1.status");
    expect(statsSubject("mlrun1", "pipeline")).toBe("mina.mlrun1.stats.pipeline");
    expect(relayStatsSubject("mlrun1")).toBe("mina.mlrun1.stats.pipeline");
    // one subject per host's relay, which the executive's exact `stats.pipeline` filter does not take for its own
    expect(relayStatsSubject("mlrun1", "host-2")).toBe("mina.mlrun1.stats.pipeline.host-2");
    expect(relayStatsSubject("mlrun1", "host.2")).toBe("mina.mlrun1.stats.pipeline.host_2");
    expect(relayDrainSubject("mlrun1", "host-2")).toBe("mina-local.mlrun1.relay.host-2.drain");
    expect(relayDrainSubject("mlrun1", "host-2").startsWith(runSubjects("mlrun1").slice(0, -1))).toBe(false);
    expect(runSubjects("mlrun1")).toBe("mina.mlrun1.>");
    expect(streamName("mlrun1")).toBe("MINA_mlrun1");
  });

  it("builds wildcard filters by role, node and event type", () => {
    expect(logFilter("r1")).toBe("mina.r1.log.*.*");
    expect(logFilter("r1", { role: "block-producer" })).toBe("mina.r1.log.block-producer.*");
    expect(logFilter("r1", { node: "bp-2" })).toBe("mina.r1.log.*.bp-2");
    expect(eventFilter("r1", { type: "Block_produced" })).toBe("mina.r1.event.*.*.Block_produced");
    expect(eventFilter("r1", { role: "seed", node: "s" })).toBe("mina.r1.event.seed.s.*");
  });

  it("turns characters that would break a subject into _ and refuses an empty token", () => {
    expect(sanitizeToken("a.b*c>d e\tf\ng")).toBe("a_b_c_d_e_f_g");
    expect(sanitizeToken("bp-1_ok")).toBe("bp-1_ok");
    expect(logSubject("r1", "node", "evil.node.>")).toBe("mina.r1.log.node.evil_node__");
    expect(() => sanitizeToken("")).toThrow(MinaLocalError);
    expect(() => logSubject("r1", "", "n")).toThrow(/cannot be empty/);
  });

  it("parses a log subject back into its parts", () => {
    expect(parseLogSubject("mina.r1.log.seed.seed-1")).toEqual({ run: "r1", role: "seed", node: "seed-1" });
    expect(parseLogSubject("mina.r1.event.seed.seed-1.X")).toBeUndefined();
  });

  it("names a node's HTTP requests outside the run's stream and parses the node back", () => {
    expect(nodeRequestSubject("r1", "node-a")).toBe("mina-local.r1.node.node-a.http");
    expect(nodeRequestFilter("r1")).toBe("mina-local.r1.node.*.http");
    expect(parseNodeRequestSubject(nodeRequestSubject("r1", "node-a"))).toBe("node-a");
    expect(parseNodeRequestSubject("mina.r1.node.node-a.status")).toBeUndefined();
  });
});
