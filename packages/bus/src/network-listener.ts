import { randomBytes } from "node:crypto";
import net from "node:net";
import { MinaLocalError, withTimeout } from "@mina-local/engine";

/** The per-run user and password every bus client of a multi-host run presents. */
export interface BusCredentials {
  user: string;
  password: string;
}

/** Fresh credentials for one run: 32 random bytes of password, never reused. */
export function newBusCredentials(): BusCredentials {
  return { user: "mina-local", password: randomBytes(32).toString("base64url") };
}

/** The nats-server config block that makes every client, on any listener, present them. */
export function authorizationConfig(credentials: BusCredentials): string {
  for (const [field, value] of Object.entries(credentials)) {
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new MinaLocalError("invalid-arguments", `bus credentials: ${field} may hold only letters, digits, "-" and "_"`);
  }
  return `authorization {\n  users: [\n    { user: "${credentials.user}", password: "${credentials.password}" }\n  ]\n}\n`;
}

export interface NetworkListener {
  address: string;
  port: number;
  close(): Promise<void>;
}

/**
 * nats-server has one client listener, and single-host runs keep it on loopback. For a
 * multi-host run the bus is also reached on the swarm's address through this TCP
 * forwarder to the loopback listener: the server still sees and authenticates every
 * client (its authorization applies to all connections), the forwarder only carries bytes.
 */
export async function listenOnNetwork(address: string, port: number, target: { host: string; port: number }): Promise<NetworkListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect({ host: target.host, port: target.port });
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once("close", () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // either side closing or failing ends the pair: the NATS client reconnects
    client.once("error", () => upstream.destroy());
    upstream.once("error", () => client.destroy());
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  await withTimeout(
    `listening on ${address}:${port} for the bus`,
    5_000,
    new Promise<void>((resolve, reject) => {
      server.once("error", (error) =>
        reject(
          new MinaLocalError("port", `the bus cannot listen on ${address}:${port}: ${error.message}`, {
            hint: "the address must be one of this machine's (the swarm's advertise address, `ip -br addr`), the port free",
          }),
        ),
      );
      server.listen(port, address, resolve);
    }),
    "nats",
  );
  const bound = server.address() as net.AddressInfo;
  return {
    address,
    port: bound.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
