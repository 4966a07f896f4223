import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MinaLocalError } from "@mina-local/engine";
import { findNatsServer, startNatsServer } from "./server.js";
import type { EmbeddedNats, NatsExit } from "./server.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bus-server-"));
const servers: EmbeddedNats[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function tcpConnects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe("finding nats-server", () => {
  it("says how to install it when it is nowhere", () => {
    expect(() => findNatsServer({ PATH: path.join(dir, "nothing-here") }, [])).toThrow(
      "nats-server not found: install it with `apt-get install nats-server` (Debian/Ubuntu) or set MINA_LOCAL_NATS_SERVER to its path",
    );
  });

  it("uses MINA_LOCAL_NATS_SERVER, and refuses one that is not executable", () => {
    const fake = path.join(dir, "fake-nats");
    fs.writeFileSync(fake, "#!/bin/sh\n", { mode: 0o755 });
    expect(findNatsServer({ MINA_LOCAL_NATS_SERVER: fake, PATH: "" })).toBe(fake);
    expect(() => findNatsServer({ MINA_LOCAL_NATS_SERVER: path.join(dir, "missing") })).toThrow(MinaLocalError);
  });
});

describe("embedded nats-server (needs nats-server: apt-get install nats-server)", () => {
  it("starts on loopback only with JetStream in the store dir, reports a death mid-run, and stops idempotently", async () => {
    const storeDir = path.join(dir, "store");
    const logFile = path.join(dir, "nats.log");
    const nats = await startNatsServer({ storeDir, logFile });
    servers.push(nats);
    expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
    expect(await tcpConnects("127.0.0.1", nats.port)).toBe(true);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal);
    if (external) expect(await tcpConnects(external.address, nats.port)).toBe(false);

    const nc = await nats.connect();
    expect(nc.info?.jetstream).toBe(true);
    await nc.close();
    expect(fs.existsSync(path.join(storeDir, "jetstream"))).toBe(true);
    const log = fs.readFileSync(logFile, "utf8");
    expect(log).toContain("Server is ready");
    expect(log).toContain(`Listening for client connections on 127.0.0.1:${nats.port}`);

    // a second server gets its own port
    const other = await startNatsServer({ storeDir: path.join(dir, "store2") });
    servers.push(other);
    expect(other.port).not.toBe(nats.port);
    const died = new Promise<NatsExit>((resolve) => other.onExit(resolve));
    process.kill(other.pid, "SIGKILL");
    expect((await died).signal).toBe("SIGKILL");
    expect(other.running).toBe(false);

    await nats.stop();
    await nats.stop();
    expect(nats.running).toBe(false);
    expect(await tcpConnects("127.0.0.1", nats.port)).toBe(false);
  }, 30_000);

  it("names what failed, with the server's own words, when it cannot start", async () => {
    const fake = path.join(dir, "failing-nats");
    fs.writeFileSync(fake, "#!/bin/sh\necho 'fatal: cannot open store' >&2\nexit 1\n", { mode: 0o755 });
    await expect(startNatsServer({ storeDir: path.join(dir, "store3"), binary: fake })).rejects.toThrow(/exited before it was ready \(exit code 1\):\nfatal: cannot open store/);
  });

  it("listens on a chosen port, and says so clearly when another process holds it", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "0.0.0.0", resolve));
    const taken = (holder.address() as net.AddressInfo).port;
    try {
      const error = await startNatsServer({ storeDir: path.join(dir, "store4"), port: taken }).catch((e: unknown) => e as MinaLocalError);
      expect(error).toBeInstanceOf(MinaLocalError);
      expect((error as MinaLocalError).kind).toBe("port");
      expect((error as MinaLocalError).message).toBe(`127.0.0.1:${taken} is taken by another process, so the embedded nats-server cannot listen there`);
      expect((error as MinaLocalError).hint).toContain("--nats-port");
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    // the same port, once free, is used as asked
    const nats = await startNatsServer({ storeDir: path.join(dir, "store5"), port: taken });
    servers.push(nats);
    expect(nats.url).toBe(`nats://127.0.0.1:${taken}`);
    await nats.stop();
  }, 30_000);
});

describe("the embedded nats-server and the terminal's signals", () => {
  const processGroupOf = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[2]);

  it("runs in a process group of its own, so a Ctrl-C to the executive's group leaves it to the executive to stop", async () => {
    const nats = await startNatsServer({ storeDir: path.join(dir, "pgrp") });
    servers.push(nats);
    expect(processGroupOf(nats.pid)).toBe(nats.pid);
    expect(processGroupOf(nats.pid)).not.toBe(processGroupOf(process.pid));
    expect(nats.running).toBe(true);
    await nats.stop();
    expect(nats.running).toBe(false);
  }, 30_000);
});
