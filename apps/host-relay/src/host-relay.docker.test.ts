import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureRunStream, newBusCredentials, readRunStream, relayDrainSubject, relayStatsSubject, startNatsServer } from "@mina-local/bus";
import type { EmbeddedNats } from "@mina-local/bus";
import { FifoSink, FrameEncoder } from "@mina-local/log-forwarder/codec";
import { leftovers, planTestHosts, startTestHosts, teardownTestHosts } from "@mina-local/test-hosts";
import type { TestHosts } from "@mina-local/test-hosts";
import { buildHostRelayImage } from "./image.js";

// Run under `flock /tmp/mina-local-docker.lock`: three more engines, and nats-server.
// The relay runs as a global service of the test hosts' swarm; the test writes frames into
// each host's FIFO as that host's node containers would (the volume is a directory of the
// machine, since the hosts share its file system).
const RUN = "hrd1";
const VOLUME = `mina-local-${RUN}-host`;
const plan = planTestHosts({ name: "mlr", count: 3, subnet: 22 });
const credentials = newBusCredentials();
const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), "host-relay-docker-"));
let hosts: TestHosts | undefined;
let bus: EmbeddedNats | undefined;
let tag = "";

beforeAll(async () => {
  tag = (await buildHostRelayImage()).tag;
  hosts = await startTestHosts({ name: plan.name, count: 3, subnet: plan.subnet });
  bus = await startNatsServer({ storeDir, network: { address: plan.machineAddress, credentials } });
  const nc = await bus.connect();
  await ensureRunStream(nc, RUN);
  await nc.close();
  await hosts.loadImage(new Docker(), tag);
}, 150_000);

afterAll(async () => {
  await bus?.stop();
  await teardownTestHosts(plan);
  fs.rmSync(storeDir, { recursive: true, force: true });
  expect(await leftovers(plan)).toEqual([]);
}, 60_000);

async function writeLines(fifo: string, node: string, count: number): Promise<void> {
  const sink = new FifoSink({ path: fifo });
  const encoder = new FrameEncoder({ node, role: "block_producer" });
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) encoder.writeLine(Buffer.from(`{"level":"Info","message":"line ${i} of ${node}"}`), frames);
  encoder.flush(frames);
  if (!sink.write(frames)) await sink.waitForRoom();
  await sink.idle();
  sink.close();
}

describe("the host relay as a global service on three test hosts", () => {
  it("relays every host's FIFO to the executive's bus over the hosts' network and drains each at teardown", async () => {
    const h = hosts as TestHosts;
    const b = bus as EmbeddedNats;
    const manager = h.manager.docker;
    const secret = await manager.createSecret({ Name: `mina-local-${RUN}-bus`, Data: Buffer.from(credentials.password).toString("base64") });
    const service = await manager.createService({
      Name: `mina-local-${RUN}-relay`,
      Mode: { Global: {} },
      TaskTemplate: {
        ContainerSpec: {
          Image: tag,
          Env: [
            `MINA_LOCAL_RUN_ID=${RUN}`,
            "MINA_LOCAL_HOST={{.Node.Hostname}}",
            `MINA_LOCAL_BUS_URL=${b.networkUrl as string}`,
            `MINA_LOCAL_BUS_USER=${credentials.user}`,
            "MINA_LOCAL_BUS_PASSWORD_FILE=/run/secrets/bus",
          ],
          Mounts: [{ Type: "volume", Source: VOLUME, Target: "/mina-local/host" }],
          Secrets: [{ SecretID: secret.id, SecretName: `mina-local-${RUN}-bus`, File: { Name: "bus", UID: "0", GID: "0", Mode: 0o400 } }],
          StopGracePeriod: 30_000_000_000,
        },
        RestartPolicy: { Condition: "none" },
      },
    });

    // each host's relay is up when it answers a drain request
    const nc = await b.connect();
    const deadline = Date.now() + 45_000;
    for (const host of h.hosts) {
      for (;;) {
        try {
          await nc.request(relayDrainSubject(RUN, host.host), "", { timeout: 2_000 });
          break;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`the relay of ${host.host} did not answer: ${(error as Error).message}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }

    const fifoOf = (dataRoot: string) => path.join(dataRoot, "volumes", VOLUME, "_data", "logs.fifo");
    await Promise.all(h.hosts.map((host) => writeLines(fifoOf(host.dataRoot), `node-${host.host}`, 300)));

    // teardown: the service goes, each task gets SIGTERM and drains its FIFO finally
    const finals = new Map<string, { host: string; final: boolean; linesReceived: number; linesLost: number }>();
    const statsReader = await readRunStream({
      nc,
      runId: RUN,
      filter: `${relayStatsSubject(RUN)}.*`,
      onMessage: (_s, data) => {
        const counters = JSON.parse(Buffer.from(data).toString()) as { host: string; final: boolean; linesReceived: number; linesLost: number };
        if (counters.final) finals.set(counters.host, counters);
      },
    });
    await manager.getService(service.id).remove();
    const finalDeadline = Date.now() + 40_000;
    while (finals.size < 3 && Date.now() < finalDeadline) await new Promise((r) => setTimeout(r, 250));
    await statsReader.stop();
    expect([...finals.values()].map((f) => [f.host, f.linesReceived, f.linesLost]).sort()).toEqual([
      ["host-1", 300, 0],
      ["host-2", 300, 0],
      ["host-3", 300, 0],
    ]);

    const perNode = new Map<string, number>();
    const reader = await readRunStream({
      nc,
      runId: RUN,
      filter: `mina.${RUN}.log.>`,
      onMessage: (subject, data) => {
        const node = subject.split(".").at(-1) as string;
        perNode.set(node, (perNode.get(node) ?? 0) + Buffer.from(data).toString().split("\n").filter(Boolean).length);
      },
    });
    await reader.drain();
    await reader.stop();
    expect(Object.fromEntries(perNode)).toEqual({ "node-host-1": 300, "node-host-2": 300, "node-host-3": 300 });
    await nc.close();
  }, 120_000);
});
