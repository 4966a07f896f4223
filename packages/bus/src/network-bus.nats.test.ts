import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { drainHostRelays } from "./host-relays.js";
import { newBusCredentials } from "./network-listener.js";
import { ensureRunStream } from "./stream.js";
import { logSubject, relayDrainSubject } from "./subjects.js";
import { startNatsServer } from "./server.js";
import type { EmbeddedNats } from "./server.js";

// 127.0.0.2 stands for the swarm's advertise address: another address of this machine
// (all of 127/8 is the loopback interface's), so no namespace is needed to prove the point
const ADDRESS = "127.0.0.2";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bus-network-"));
const servers: EmbeddedNats[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const refusal = (servers: string, auth: { user?: string; pass?: string }) =>
  connect({ servers, timeout: 3_000, reconnect: false, ...auth }).then(
    async (nc) => {
      await nc.close();
      return "accepted";
    },
    (error: Error) => error.message,
  );

describe("the bus across hosts (needs nats-server)", () => {
  it("listens on the given address too, with the run's credentials only", async () => {
    const credentials = newBusCredentials();
    const bus = await startNatsServer({ storeDir: path.join(dir, "auth"), network: { address: ADDRESS, credentials } });
    servers.push(bus);
    expect(bus.networkUrl).toMatch(/^nats:\/\/127\.0\.0\.2:\d+$/);
    const networkUrl = bus.networkUrl as string;

    // no credentials, a wrong password, a wrong user: refused, on the network address and on loopback
    for (const url of [networkUrl, bus.url]) {
      expect(await refusal(url, {})).toMatch(/authorization/i);
      expect(await refusal(url, { user: credentials.user, pass: "wrong" })).toMatch(/authorization/i);
      expect(await refusal(url, { user: "someone", pass: credentials.password })).toMatch(/authorization/i);
    }

    // with them, a client on the network address and the executive's own connection talk
    const remote = await connect({ servers: networkUrl, timeout: 3_000, user: credentials.user, pass: credentials.password });
    const local = await bus.connect();
    const sub = local.subscribe("mina.test.hello", { max: 1 });
    await local.flush();
    remote.publish("mina.test.hello", "from another host");
    for await (const message of sub) expect(message.string()).toBe("from another host");
    // JetStream, which the relays publish to, works for the run's user too
    await ensureRunStream(local, "netrun");
    const ack = await jetstream(remote).publish(logSubject("netrun", "block_producer", "node-a"), "a line\n");
    expect(ack.seq).toBe(1);
    await remote.close();
    await local.close();

    // its password is in the config, which only root may read
    expect(fs.statSync(path.join(dir, "auth", "nats-server.conf")).mode & 0o077).toBe(0);

    await bus.stop();
    expect(await refusal(networkUrl, { user: credentials.user, pass: credentials.password })).not.toBe("accepted");
  });

  it("stays on loopback only and open without `network` (single-host runs unchanged)", async () => {
    const bus = await startNatsServer({ storeDir: path.join(dir, "plain") });
    servers.push(bus);
    expect(bus.networkUrl).toBeUndefined();
    expect(bus.credentials).toBeUndefined();
    expect(await refusal(bus.url, {})).toBe("accepted");
    expect(await refusal(`nats://${ADDRESS}:${bus.port}`, {})).not.toBe("accepted");
    expect(fs.readFileSync(path.join(dir, "plain", "nats-server.conf"), "utf8")).not.toMatch(/authorization/);
  });

  it("says which address it cannot listen on", async () => {
    await expect(startNatsServer({ storeDir: path.join(dir, "bad"), network: { address: "198.51.100.7", credentials: newBusCredentials() } })).rejects.toThrow(
      /the bus cannot listen on 198\.51\.100\.7:0/,
    );
  });

  it("drains every host's relay by request, and names a host whose relay is silent or failed", async () => {
    const bus = await startNatsServer({ storeDir: path.join(dir, "drains"), network: { address: ADDRESS, credentials: newBusCredentials() } });
    servers.push(bus);
    const relays = await bus.connect();
    // stand-ins for host-1's and host-2's relays (apps/host-relay answers the same way); host-3 has none
    relays.subscribe(relayDrainSubject("d1", "host-1"), { callback: (_e, m) => void m.respond(JSON.stringify({ host: "host-1", ok: true, stats: { linesReceived: 10 } })) });
    relays.subscribe(relayDrainSubject("d1", "host-2"), { callback: (_e, m) => void m.respond(JSON.stringify({ host: "host-2", ok: false, error: "draining took too long" })) });
    await relays.flush();
    const executive = await bus.connect();
    const drains = await drainHostRelays(executive, "d1", ["host-1", "host-2", "host-3"], 1_000);
    expect(drains[0]).toMatchObject({ host: "host-1", ok: true, stats: { linesReceived: 10 } });
    expect(drains[1]).toEqual({ host: "host-2", ok: false, fault: "the log relay of host-2 could not drain: draining took too long" });
    expect(drains[2]).toMatchObject({ host: "host-3", ok: false });
    expect(drains[2]?.ok === false && drains[2].fault).toMatch(/^the log relay of host-3 did not answer a drain request within 1000 ms/);
    await relays.close();
    await executive.close();
  });
});
