// The relay tests' shared setup: a temporary directory, one nats-server with its connection
// for the whole file, and every relay a test starts stopped at the end (failing tests too).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import type { FifoRelay } from "../relay.js";
import { startNatsServer } from "../server.js";
import type { EmbeddedNats } from "../server.js";

export interface RelayFixture {
  /** the file's temporary directory (removed after the file's tests) */
  readonly dir: string;
  /** the connection to the file's nats-server (set once beforeAll ran) */
  nc(): NatsConnection;
  /** stops the relay after the file's tests, whatever they did */
  track(relay: FifoRelay): FifoRelay;
}

/** Registers the beforeAll/afterAll of a relay test file; call it at the file's top level. */
export function relayFixture(prefix: string): RelayFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let nats: EmbeddedNats | undefined;
  let nc: NatsConnection | undefined;
  const relays: FifoRelay[] = [];
  beforeAll(async () => {
    nats = await startNatsServer({ storeDir: path.join(dir, "nats") });
    nc = await nats.connect();
  }, 30_000);
  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await nc?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    nc: () => {
      if (nc === undefined) throw new Error("the relay fixture's nats-server is not up (used outside a test?)");
      return nc;
    },
    track: (relay) => {
      relays.push(relay);
      return relay;
    },
  };
}
