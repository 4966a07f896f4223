import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, openSync, closeSync, createReadStream, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerForImages } from "@mina-local/image-builder";
import { eventIdTable, newRunId, parseDumpStructuredEvents, pickEventIdTable, SIMULATOR_EVENT_ID_TABLE_NAME } from "@mina-local/engine";
import { afterAll, describe, expect, it } from "vitest";
import { buildSimulatorImage } from "./index.js";
import { createSimNetwork, waitFor, type SimNetwork } from "./testing/sim-network.js";

/** POST /graphql through the forwarder's unix socket: how the executive reaches a node's GraphQL. */
function graphqlOverSocket(socketPath: string, query: string): Promise<{ status: number; body: { data?: Record<string, unknown>; errors?: { message: string }[] } }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ query });
    const request = http.request(
      { socketPath, path: "/graphql", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }, timeout: 5000 },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as { data?: Record<string, unknown> } });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end(payload);
  });
}

/** `mina <args>` in a throw-away container of the image (no network), as the executive probes an image; its exit code and stdout. */
async function runInImage(docker: Awaited<ReturnType<typeof dockerForImages>>, image: string, args: string[], labels: Record<string, string>): Promise<{ exitCode: number; output: string }> {
  const container = await docker.createContainer({ Image: image, Entrypoint: ["mina"], Cmd: args, Tty: false, Labels: labels, HostConfig: { NetworkMode: "none" } });
  try {
    await container.start();
    const exit = (await container.wait()) as { StatusCode?: number };
    const logs = Buffer.from((await container.logs({ stdout: true, stderr: false, follow: false })) as unknown as Buffer);
    // Docker's multiplexed stream (no TTY): an 8-byte header (stream, 0, 0, 0, size) before each frame
    const frames: Buffer[] = [];
    for (let at = 0; at + 8 <= logs.length;) {
      const size = logs.readUInt32BE(at + 4);
      frames.push(logs.subarray(at + 8, at + 8 + size));
      at += 8 + size;
    }
    return { exitCode: exit.StatusCode ?? -1, output: Buffer.concat(frames).toString("utf8") };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

describe("the daemon-sim image (Docker)", () => {
  const runId = newRunId();
  const dir = mkdtempSync(join(tmpdir(), "daemon-sim-docker-"));
  let network: SimNetwork | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await network?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds FROM scratch (twice: the second build reuses the image) and a container from it answers daemonStatus", async () => {
    const docker = await dockerForImages();
    const { tag } = await buildSimulatorImage();
    expect(tag).toMatch(/^mina-local\/daemon-sim:0\.1\.0-[0-9a-f]{12}$/);
    const progress: string[] = [];
    expect((await buildSimulatorImage({ onProgress: (line) => progress.push(line) })).tag).toBe(tag);
    expect(progress).toEqual([`image ${tag} is already built`]);

    // what the executive reads of the image to pick its event ids: Mina's version line and dump
    const labels = { "mina-local.run": runId };
    const version = await runInImage(docker, tag, ["version"], labels);
    expect(version).toMatchObject({ exitCode: 0, output: expect.stringMatching(/^Commit 9f068b1c3bdb328184c0c9af22a8a941d181304b on branch mina-local-daemon-sim-/) });
    const dump = await runInImage(docker, tag, ["internal", "dump-structured-events"], labels);
    expect(dump.exitCode).toBe(0);
    const berkeley = new Set(eventIdTable(SIMULATOR_EVENT_ID_TABLE_NAME).rows.map((r) => r.id));
    expect(dump.output.startsWith("[[")).toBe(true);
    const dumped = parseDumpStructuredEvents(dump.output, `dump:${tag}`, tag);
    expect(dumped.rows.length).toBeGreaterThan(10);
    expect(dumped.rows.filter((r) => !berkeley.has(r.id))).toEqual([]);
    expect(pickEventIdTable({ versionOutput: version.output, imageName: tag }).table.name).toBe("berkeley-2023-09");
    expect(pickEventIdTable({ versionOutput: version.output, dumpStructuredEvents: dump.output, imageName: tag }).table.rows.every((r) => berkeley.has(r.id))).toBe(true);

    network = await createSimNetwork({
      genesis_ledger: [{ account_name: "a", balance: "1000" }],
      block_producers: [{ node_name: "bp-a", account_name: "a" }],
      k: 3,
      slots_per_epoch: 48,
      proof_config: { block_window_duration_ms: 1000 },
    });
    const bp = network.nodes.get("bp-a");
    if (!bp?.keyFile || !bp.spec.account) throw new Error("no block producer");
    for (const sub of ["config", "keys", "run/sockets", "state"]) mkdirSync(join(dir, sub), { recursive: true });
    copyFileSync(network.runtimeConfigPath, join(dir, "config", "runtime-config.json"));
    // Mina's key files: secret boxes, 0600 in a 0700 dir (the simulator, like Mina, refuses looser modes)
    chmodSync(join(dir, "keys"), 0o700);
    for (const [from, name] of [
      [bp.keyFile, "bp-a.key"],
      [bp.libp2pFile, "bp-a.libp2p"],
    ] as const) {
      copyFileSync(from, join(dir, "keys", name));
      chmodSync(join(dir, "keys", name), 0o600);
    }
    const fifo = join(dir, "run", "logs.fifo");
    execFileSync("mkfifo", [fifo]);
    // the executive holds the FIFO open read-write; here we only drain it
    const fd = openSync(fifo, "r+");
    const drain = createReadStream("", { fd, autoClose: false });
    let fifoBytes = 0;
    drain.on("data", (chunk) => (fifoBytes += chunk.length));
    cleanups.push(async () => {
      drain.destroy();
      closeSync(fd);
    });

    const container = await docker.createContainer({
      Image: tag,
      name: `${runId}_bp-a`,
      Labels: { "mina-local.run": runId },
      Entrypoint: ["/mina-local/forwarder"],
      Env: Object.entries(network.keyEnv).map(([name, value]) => `${name}=${value}`),
      Cmd: [
        "--node",
        "bp-a",
        "--role",
        "block-producer",
        "--fifo",
        "/mina-local/run/logs.fifo",
        "--socket",
        "/mina-local/run/sockets/bp-a.sock",
        "--graphql-port",
        "3085",
        "--",
        "mina",
        "daemon",
        "-config-file",
        "/mina-local/config/runtime-config.json",
        "-config-directory",
        "/root/.mina-config",
        "-external-port",
        "8302",
        "-client-port",
        "8301",
        "-rest-port",
        "3085",
        "-insecure-rest-server",
        "-log-json",
        "-log-level",
        "Debug",
        "-libp2p-keypair",
        "/mina-local/keys/bp-a.libp2p",
        "-seed",
        "-block-producer-key",
        "/mina-local/keys/bp-a.key",
      ],
      HostConfig: {
        Binds: [`${dir}/config:/mina-local/config:ro`, `${dir}/keys:/mina-local/keys:ro`, `${dir}/run:/mina-local/run`, `${dir}/state:/root/.mina-config`],
      },
    });
    cleanups.push(() => container.remove({ force: true }));
    await container.start();

    const socket = join(dir, "run", "sockets", "bp-a.sock");
    const status = await waitFor(
      "daemonStatus through the forwarder's socket",
      30_000,
      async () => {
        const answer = await graphqlOverSocket(socket, "query { daemonStatus { syncStatus blockProductionKeys chainId commitId } }");
        const data = answer.body.data?.daemonStatus as { syncStatus: string } | undefined;
        return data?.syncStatus === "SYNCED" ? data : undefined;
      },
      500,
    ).catch(async (error: unknown) => {
      const logs = await container.logs({ stdout: true, stderr: true, tail: 50 });
      throw new Error(`${String(error)}\ncontainer logs:\n${logs.toString()}`);
    });
    expect(status).toMatchObject({ syncStatus: "SYNCED", blockProductionKeys: [bp.spec.account.keypair.publicKey], chainId: expect.stringMatching(/^3N/) });
    expect(fifoBytes).toBeGreaterThan(0);
  }, 240_000);
});
