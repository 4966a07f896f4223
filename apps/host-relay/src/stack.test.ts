import { describe, expect, it } from "vitest";
import { validateComposeFile } from "@mina-local/compose-generator";
import { HOST_FIFO_PATH } from "./config.js";
import { hostRelayStackParts, placementConstraint } from "./stack.js";

const parts = hostRelayStackParts({
  runId: "r1",
  image: "mina-local/host-relay:abc",
  busUrl: "nats://198.18.20.1:4222",
  user: "mina-local",
  passwordFile: "/tmp/run/bus-password",
  labels: { "mina-local.run": "r1" },
});

describe("the relays' part of a multi-host stack", () => {
  it("is a valid compose file: a global relay, the per-host volume, the password as a secret", () => {
    const compose = {
      services: { ...parts.service, "bp-1": { image: "mina", volumes: [parts.nodeMount], deploy: { placement: { constraints: [placementConstraint("host-2")] } } } },
      volumes: parts.volumes,
      secrets: parts.secrets,
    };
    expect(validateComposeFile(compose)).toEqual([]);
    const relay = parts.service["host-relay"];
    expect(relay?.deploy.mode).toBe("global");
    expect(relay?.environment.MINA_LOCAL_HOST).toBe("{{.Node.Hostname}}");
    // no password in the environment, only the secret's path
    expect(JSON.stringify(relay?.environment)).not.toMatch(/PASSWORD"?:"?[^/]/);
    expect(relay?.environment.MINA_LOCAL_BUS_PASSWORD_FILE).toBe("/run/secrets/mina-local-r1-bus-password");
  });

  it("mounts the same volume at the FIFO's directory in the relay and in the nodes, and lets the drain finish before SIGKILL", () => {
    expect(parts.nodeMount).toEqual({ type: "volume", source: "mina-local-r1-host", target: "/mina-local/host" });
    expect(HOST_FIFO_PATH.startsWith(`${parts.nodeMount?.target}/`)).toBe(true);
    expect(parts.service["host-relay"]?.stop_grace_period).toBe("70s");
    expect(placementConstraint("host-3")).toBe("node.labels.mina-local.host==host-3");
  });
});
