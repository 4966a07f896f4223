import { describe, expect, it } from "vitest";
import { HOST_FIFO_PATH, parseHostRelayEnv } from "./config.js";

const base = { MINA_LOCAL_RUN_ID: "r1", MINA_LOCAL_HOST: "host-2", MINA_LOCAL_BUS_URL: "nats://198.18.20.1:4222", MINA_LOCAL_BUS_USER: "mina-local" };

describe("the host relay's environment", () => {
  it("reads the password from the swarm secret's file, with defaults for the FIFO and the timeouts", () => {
    const parsed = parseHostRelayEnv({ ...base, MINA_LOCAL_BUS_PASSWORD_FILE: "/run/secrets/bus" }, (p) => (p === "/run/secrets/bus" ? "s3cret\n" : ""));
    expect(parsed).toEqual({
      ok: true,
      value: { runId: "r1", host: "host-2", busUrl: "nats://198.18.20.1:4222", user: "mina-local", password: "s3cret", fifoPath: HOST_FIFO_PATH, drainTimeoutMs: 60_000, connectTimeoutMs: 30_000 },
    });
  });

  it("names each bad or missing variable", () => {
    const parsed = parseHostRelayEnv({ MINA_LOCAL_RUN_ID: "r.1", MINA_LOCAL_BUS_URL: "http://x", MINA_LOCAL_BUS_USER: "u" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toMatch(/MINA_LOCAL_RUN_ID: letters, digits/);
    expect(parsed.error.message).toMatch(/MINA_LOCAL_HOST/);
    expect(parsed.error.message).toMatch(/MINA_LOCAL_BUS_URL: nats:\/\/<address>:<port>/);
  });

  it("refuses to run without a password (nothing unauthenticated), naming the host", () => {
    const parsed = parseHostRelayEnv(base);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/^host-2: the host relay has no bus password/);
  });

  it("says which password file it cannot read", () => {
    const parsed = parseHostRelayEnv({ ...base, MINA_LOCAL_BUS_PASSWORD_FILE: "/nope" }, () => {
      throw new Error("ENOENT");
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/cannot read the bus password from \/nope/);
  });
});
