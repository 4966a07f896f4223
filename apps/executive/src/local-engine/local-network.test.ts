import { Writable } from "node:stream";
import { EngineOperationUnsupported, expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import type { SwarmManager } from "@mina-local/swarm-manager";
import { describe, expect, it } from "vitest";
import { createExecutiveLogger, forModule } from "../logger.js";
import { deferredByArchives } from "./archive-start.js";
import { localTestNetwork } from "./local-network.js";
import { startedAtDeploy } from "./network-config.js";

function network() {
  const config = parseTestConfig({
    genesis_ledger: [
      { account_name: "a-key", balance: "10" },
      { account_name: "b-key", balance: "10" },
      { account_name: "extra", balance: "1" },
    ],
    block_producers: [
      { node_name: "a", account_name: "a-key" },
      { node_name: "b", account_name: "b-key" },
    ],
    num_archive_nodes: 1,
  });
  if (!config.ok) throw config.error;
  const expanded = expandNetworkConfig(config.value, { mina: "mina-local/daemon-sim:1" }, { random: seededRandomBytes("local-network"), now: new Date(0) });
  const calls: string[] = [];
  const swarm = {
    startNode: async (_run: string, node: string, options?: { freshState?: boolean }) => void calls.push(`start ${node}${options?.freshState ? " fresh" : ""}`),
    stopNode: async (_run: string, node: string) => void calls.push(`stop ${node}`),
    execInNode: async (_run: string, node: string, cmd: string[]) => {
      calls.push(`exec ${node} ${cmd[0]}`);
      return node === "archive-1" ? { exitCode: 127, stdout: "", stderr: "sh: 1: exec: mina-replayer: not found" } : { exitCode: 0, stdout: "", stderr: "" };
    },
  } as unknown as SwarmManager;
  const log = forModule(createExecutiveLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) }), "Network");
  const later = deferredByArchives(expanded);
  const net = localTestNetwork({
    runId: "run1",
    runDir: "/tmp/run1",
    config: expanded,
    swarm,
    log,
    signal: new AbortController().signal,
    ingress: new Map([["a", "http://127.0.0.1:4001/graphql"]]),
    startedAtDeploy: (node) => startedAtDeploy(node, later),
  });
  return { net, calls, expanded };
}

describe("the local engine's Network (Mina's Network_intf)", () => {
  it("lists the nodes as Mina's maps hold them", async () => {
    const { net } = network();
    const names = (nodes: readonly { name: string }[]) => nodes.map((n) => n.name);
    expect(names(net.seeds)).toEqual(["seed", "seed-1"]);
    expect(names(net.blockProducers)).toEqual(["a", "b"]);
    expect(names(net.archiveNodes)).toEqual(["archive-1"]);
    expect(names(net.allNonSeedNodes)).toEqual(["a", "b", "archive-1"]);
    expect(names(net.allDaemonNodes)).toEqual(["seed", "seed-1", "a", "b"]);
    expect(names(net.allNodes)).toEqual(["seed", "seed-1", "a", "b", "archive-1"]);
    expect(net.all).toBe(net.allDaemonNodes);
    expect(net.snarkCoordinators).toEqual([]);
    await net.close();
  });

  it("looks nodes and genesis keys up by name, and names what there is when one is missing", async () => {
    const { net, expanded } = network();
    expect(net.nodeExn("b").name).toBe("b");
    expect(net.blockProducerExn("a").networkKeypair()).toEqual({ keypairName: "a-key", publicKey: expanded.accounts[0]?.keypair.publicKey, privateKey: expanded.accounts[0]?.keypair.privateKey });
    expect(() => net.blockProducerExn("seed")).toThrow(/seed is not a block producer \(block producers: a, b\)/);
    expect(() => net.nodeExn("c")).toThrow(/no node named "c" \(nodes: seed, seed-1, a, b, archive-1\)/);
    expect([...net.genesisKeypairs.keys()]).toEqual(["a-key", "b-key", "extra"]);
    expect(net.genesisKeypairExn("extra").keypairName).toBe("extra");
    expect(() => net.genesisKeypairExn("nobody")).toThrow(/no account named "nobody"/);
    expect(net.nodeExn("seed").networkKeypair()).toBeUndefined();
    await net.close();
  });

  it("should_be_running: the seeds started at deploy, then whatever start and stop said last", async () => {
    const { net, calls } = network();
    const running = () => net.allNodes.filter((n) => n.shouldBeRunning()).map((n) => n.name);
    expect(running()).toEqual(["seed"]);
    await net.nodeExn("a").start();
    await net.nodeExn("b").start({ freshState: true });
    net.markRunning("archive-1");
    expect(running()).toEqual(["seed", "a", "b", "archive-1"]);
    await net.nodeExn("a").stop();
    expect(running()).toEqual(["seed", "b", "archive-1"]);
    expect(calls).toEqual(["start a", "start b fresh", "stop a"]);
    await net.close();
  });

  it("get_ingress_uri: the node's GraphQL on loopback when it is served there, else through its socket", async () => {
    const { net } = network();
    expect(net.nodeExn("a").getIngressUri()).toEqual({ url: "http://127.0.0.1:4001/graphql" });
    expect(net.nodeExn("b").getIngressUri()).toEqual({ url: "http://localhost:3085/graphql", socketPath: "/tmp/run1/shared/sockets/b.sock" });
    await net.close();
  });

  it("run_replayer: an archive image without mina-replayer is EngineOperationUnsupported, naming the image and what to pass", async () => {
    const { net, calls } = network();
    const failure = await net
      .nodeExn("archive-1")
      .runReplayer()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineOperationUnsupported);
    expect(String(failure)).toMatch(/archive-1: the local engine cannot run_replayer: the archive image mina-local\/daemon-sim:1 has no mina-replayer \(sh: 1: exec: mina-replayer: not found\)/);
    expect((failure as EngineOperationUnsupported).hint).toMatch(/--archive-image/);
    expect(calls).toEqual(["exec archive-1 sh"]);
    await expect(net.nodeExn("a").runReplayer()).rejects.toThrow(/run_replayer: a is not an archive node/);
    await net.close();
  });
});
