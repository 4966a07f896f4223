import { CONTAINER_PATHS, expandNetworkConfig, parseTestConfig, seededRandomBytes, type NetworkConfig } from "@mina-local/engine";
import { LABELS, composeFromNetwork, validateComposeFile } from "@mina-local/compose-generator";
import type { RelayStats, RelayNodeStats } from "@mina-local/bus";
import type { SwarmNodeInfo } from "@mina-local/swarm-manager";
import { describe, expect, it } from "vitest";
import { multiHostCompose, relaysOnlyCompose } from "./compose.js";
import { placementProblems, swarmHostProblems } from "./hosts.js";
import { relayTotals } from "./relay-totals.js";
import type { HostTask } from "./relays.js";
import { hostFaults } from "./watch-hosts.js";

function network(archive = false): NetworkConfig {
  const config = parseTestConfig({
    genesis_ledger: [
      { account_name: "a", balance: "1000" },
      { account_name: "b", balance: "100" },
    ],
    block_producers: [
      { node_name: "bp1", account_name: "a" },
      { node_name: "bp2", account_name: "b" },
    ],
    num_archive_nodes: archive ? 1 : 0,
  });
  if (!config.ok) throw config.error;
  return expandNetworkConfig(config.value, { mina: "img" }, { random: seededRandomBytes("x"), now: new Date(0) });
}

const RUN = "abcd1234";
const net = network();
const single = composeFromNetwork(net, { runId: RUN, runDir: "/runs/abcd1234" });
const multi = multiHostCompose(single, {
  runId: RUN,
  relayImage: "mina-local/host-relay:1",
  busUrl: "nats://198.18.23.1:4333",
  user: "mina-local",
  passwordFile: "/runs/abcd1234/bus-password",
  ownerLabels: { [LABELS.ownerPid]: "1", [LABELS.ownerStart]: "2" },
  placement: { bp1: "host-2" },
});

describe("the multi-host compose file", () => {
  it("is a valid compose file with a global relay, the per-host volume for every node's FIFO and socket, and the pinned node's constraint", () => {
    expect(validateComposeFile(multi)).toEqual([]);
    const relay = multi.services["host-relay"] as unknown as { deploy: { mode: string }; environment: Record<string, string>; labels: Record<string, string>; networks: string[] };
    expect(relay.deploy.mode).toBe("global");
    expect(relay.environment).toMatchObject({ MINA_LOCAL_RUN_ID: RUN, MINA_LOCAL_HOST: "{{.Node.Hostname}}", MINA_LOCAL_BUS_URL: "nats://198.18.23.1:4333" });
    // the password goes as a secret, never in the environment
    expect(JSON.stringify(relay.environment)).not.toMatch(/MINA_LOCAL_BUS_PASSWORD"/);
    expect(relay.labels).toMatchObject({ [LABELS.run]: RUN, [LABELS.role]: "host-relay" });
    expect(multi.secrets).toHaveProperty(`mina-local-${RUN}-bus-password`);
    expect(multi.volumes).toHaveProperty(`mina-local-${RUN}-host`);
    for (const node of ["seed", "bp1", "bp2"]) {
      const service = multi.services[node];
      if (!service) throw new Error(`no service ${node}`);
      const runDirMount = service.volumes.find((v) => v.target === CONTAINER_PATHS.runDir);
      expect(runDirMount).toEqual({ type: "volume", source: `mina-local-${RUN}-host`, target: CONTAINER_PATHS.runDir });
      // the rest of the run directory stays bound (runtime config, keys, state)
      expect(service.volumes.filter((v) => v.type === "bind").length).toBe((single.services[node]?.volumes.length ?? 0) - 1);
    }
    expect((multi.services["bp1"]?.deploy as { placement?: unknown }).placement).toEqual({ constraints: ["node.labels.mina-local.host==host-2"] });
    expect((multi.services["bp2"]?.deploy as { placement?: unknown }).placement).toBeUndefined();
  });

  it("deploys the relays alone first, with their volume, secret and network", () => {
    const relays = relaysOnlyCompose(multi, RUN);
    expect(Object.keys(relays.services)).toEqual(["host-relay"]);
    expect(validateComposeFile(relays)).toEqual([]);
  });
});

const node = (hostname: string, more: Partial<SwarmNodeInfo> = {}): SwarmNodeInfo => ({
  id: `id-${hostname}`,
  hostname,
  labels: { "mina-local.host": hostname },
  state: "ready",
  availability: "active",
  manager: hostname === "host-1",
  ...more,
});

describe("the hosts against the swarm", () => {
  it("names each host that is missing, down, unlabelled, and each swarm node --swarm-hosts leaves out", () => {
    expect(swarmHostProblems([node("host-1"), node("host-2")], ["host-1", "host-2"])).toEqual([]);
    const problems = swarmHostProblems([node("host-1"), node("host-2", { state: "down" }), node("host-3", { labels: {} }), node("host-4")], ["host-1", "host-2", "host-3", "host-5"]);
    expect(problems).toEqual([
      "host host-2 is down, availability active: it cannot take tasks",
      "host host-3 lacks the node label mina-local.host=host-3 (add it: docker node update --label-add mina-local.host=host-3 id-host-3)",
      "host host-5 (--swarm-hosts) is not a node of the swarm (its nodes: host-1, host-2, host-3, host-4)",
      "the swarm's node host-4 is not in --swarm-hosts: a task placed there would lack the images (name it, or drain it: docker node update --availability drain id-host-4)",
    ]);
  });

  it("refuses a placement of a node the network lacks, and archive nodes", () => {
    expect(placementProblems(net, { bp1: "host-1" })).toEqual([]);
    expect(placementProblems(net, { bp9: "host-1" })).toEqual(["--place: the network has no node named bp9 (nodes: seed, bp1, bp2)"]);
    expect(placementProblems(network(true), {})[0]).toMatch(/cannot have archive nodes yet/);
  });
});

function stats(relayed: number, lost: number, byNode: Record<string, number>): RelayStats {
  const zero = { framesRead: 0, bytesRead: 0, linesPending: 0, linesPublished: relayed - lost, messagesPublished: 1, framesLost: 0, linesLostInFifo: lost, linesNotPublished: 0, linesNotWritten: 0 };
  return {
    ...zero,
    linesRelayed: relayed,
    linesReceived: relayed - lost,
    linesLost: lost,
    parserFailures: 0,
    kinds: { blank: 0, "not-json": 0, malformed: 0, "may-be-event": 0, plain: 0 },
    linesToParser: 0,
    corruptBytes: 0,
    maxLagMs: lost * 10,
    byNode: Object.fromEntries(Object.entries(byNode).map(([n, lines]) => [n, { linesRead: lines } as unknown as RelayNodeStats])),
  };
}

describe("relayTotals", () => {
  it("sums every host's counters and takes the executive's own losses and line kinds", () => {
    const byHost = new Map([
      ["host-1", stats(100, 0, { seed: 100 })],
      ["host-2", stats(50, 2, { bp1: 50 })],
    ]);
    const total = relayTotals(byHost, {
      messages: 3,
      lines: 148,
      kinds: { blank: 1, "not-json": 0, malformed: 0, "may-be-event": 7, plain: 140 },
      linesToParser: 7,
      linesNotWritten: 3,
      parserFailures: 1,
      maxLagMs: 35,
    });
    expect(total.linesRelayed).toBe(150);
    expect(total.linesLost).toBe(5);
    expect(total.linesReceived).toBe(145);
    expect(total.linesRelayed).toBe(total.linesReceived + total.linesLost);
    expect(total.linesNotWritten).toBe(3);
    expect(total.parserFailures).toBe(1);
    expect(total.kinds.blank).toBe(1);
    // the lag at the executive's end of the path, when it is the larger
    expect(total.maxLagMs).toBe(35);
    expect(relayTotals(byHost, undefined).maxLagMs).toBe(20);
    expect(Object.keys(total.byNode)).toEqual(["seed", "bp1"]);
  });
});

const task = (more: Partial<HostTask>): HostTask => ({ service: "s", node: undefined, role: undefined, host: "host-1", state: "running", desired: "running", error: undefined, ...more });

describe("hostFaults", () => {
  const placed = new Map([
    ["seed", "host-1"],
    ["bp1", "host-2"],
  ]);
  const ready = new Map([
    ["host-1", "ready"],
    ["host-2", "ready"],
  ]);
  const relays = [task({ role: "host-relay", host: "host-1" }), task({ role: "host-relay", host: "host-2" })];

  it("finds nothing while every relay and node runs", () => {
    expect(hostFaults([...relays, task({ node: "seed" }), task({ node: "bp1", host: "host-2" })], ready, ["host-1", "host-2"], placed)).toEqual({ pipeline: [], hosts: [], nodes: [] });
  });

  it("names the host whose relay stopped, the host that left the swarm with its nodes, and the node whose task ended", () => {
    const faults = hostFaults(
      [task({ role: "host-relay", host: "host-1", state: "failed", error: "task: non-zero exit (137)" }), task({ node: "seed", state: "failed", error: "exit 1" })],
      new Map([
        ["host-1", "ready"],
        ["host-2", "down"],
      ]),
      ["host-1", "host-2"],
      placed,
    );
    expect(faults.pipeline).toEqual(["the log relay of host-1 stopped mid-run (task failed: task: non-zero exit (137)); the lines of seed written since its last counters are lost"]);
    expect(faults.hosts).toEqual(["host host-2 left the swarm (down) mid-run; its nodes bp1 are unreachable and their lines since its relay's last counters are not counted"]);
    expect(faults.nodes.map((t) => t.node)).toEqual(["seed"]);
  });
});
