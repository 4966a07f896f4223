import { describe, expect, it } from "vitest";
import { HOST_FIFO_PATH } from "@mina-local/host-relay";
import { multiHostWriterCompose } from "./multi-host-bench.js";

describe("multiHostWriterCompose", () => {
  const compose = multiHostWriterCompose({
    runId: "bmh1",
    runDir: "/tmp/bmh1",
    image: "writer:1",
    relayImage: "relay:1",
    nodes: ["w1", "w2", "w3", "w4"],
    hosts: ["host-1", "host-2", "host-3"],
    busUrl: "nats://198.18.24.1:4333",
    user: "run",
    passwordFile: "/tmp/bmh1/bus-password",
    writerArgs: (node) => ["--node", node],
  });

  it("pins the writers to the hosts in turn, each with its host's volume where the single-host writer has the run directory", () => {
    const constraints = ["w1", "w2", "w3", "w4"].map((w) => (compose.services[w]?.deploy as { placement?: { constraints: string[] } } | undefined)?.placement?.constraints);
    expect(constraints).toEqual([["node.labels.mina-local.host==host-1"], ["node.labels.mina-local.host==host-2"], ["node.labels.mina-local.host==host-3"], ["node.labels.mina-local.host==host-1"]]);
    expect(compose.services["w2"]?.volumes).toEqual([{ type: "volume", source: "mina-local-bmh1-host", target: "/mina-local/run" }]);
    // the forwarder writes the FIFO the relay reads, through the same volume at two mount points
    expect(compose.services["w2"]?.entrypoint).toContain("/mina-local/run/logs.fifo");
    expect(HOST_FIFO_PATH).toBe("/mina-local/host/logs.fifo");
  });

  it("adds a relay on every host (global) with the bus address, the user and the password as a secret, on the run's network", () => {
    const relay = compose.services["host-relay"] as unknown as { image: string; environment: Record<string, string>; deploy: { mode: string }; networks: string[]; secrets: unknown[] };
    expect(relay.image).toBe("relay:1");
    expect(relay.deploy.mode).toBe("global");
    expect(relay.environment).toMatchObject({ MINA_LOCAL_RUN_ID: "bmh1", MINA_LOCAL_BUS_URL: "nats://198.18.24.1:4333", MINA_LOCAL_BUS_USER: "run" });
    expect(JSON.stringify(relay.environment)).not.toContain('password":');
    expect(relay.networks).toEqual(["mina-local"]);
    expect(Object.values(compose.secrets)).toEqual([expect.objectContaining({ file: "/tmp/bmh1/bus-password" })]);
    expect(Object.keys(compose.volumes)).toEqual(["mina-local-bmh1-host"]);
  });
});
