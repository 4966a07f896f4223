import { CONTAINER_PATHS, NODE_ROLES, expandNetworkConfig, parseTestConfig, seededRandomBytes, type NetworkConfig } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { LABELS, RUN_NETWORK, composeFromNetwork, validateComposeFile, type ComposeOptions } from "./index.js";

function smallNetwork(): NetworkConfig {
  const config = parseTestConfig({
    genesis_ledger: [
      { account_name: "whale", balance: "1000" },
      { account_name: "fish", balance: "100" },
      { account_name: "snarker", balance: "10" },
    ],
    block_producers: [
      { node_name: "whale", account_name: "whale" },
      { node_name: "fish", account_name: "fish" },
    ],
    snark_coordinator: { node_name: "snark", account_name: "snarker", worker_nodes: 1 },
    snark_worker_fee: "0.01",
    num_archive_nodes: 1,
  });
  if (!config.ok) throw config.error;
  return expandNetworkConfig(config.value, { mina: "img" }, { random: seededRandomBytes("x"), now: new Date(0) });
}

const network = smallNetwork();
const options: ComposeOptions = { runId: "abcd1234", runDir: "/var/mina-local/abcd1234" };
const compose = composeFromNetwork(network, options);
/** the services of Mina nodes (the PostgreSQL services of archive nodes have no forwarder) */
const services = () => Object.entries(compose.services).filter(([name]) => network.nodes.some((n) => n.name === name));
const flagValue = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];

describe("composeFromNetwork", () => {
  it("matches the snapshot of a small network", () => {
    expect(compose).toMatchSnapshot();
  });

  it("has exactly one service per node, named after it, with one replica and no restart", () => {
    expect(Object.keys(compose.services)).toEqual([...network.nodes.map((n) => n.name), "postgres-1"]);
    for (const [name, service] of services()) {
      expect(service.hostname).toBe(name);
      expect(service.deploy).toMatchObject({ replicas: 1, restart_policy: { condition: "none" } });
    }
  });

  it("labels every service, container and the network with the run, and nodes with role and name", () => {
    for (const node of network.nodes) {
      const service = compose.services[node.name];
      const expected = { [LABELS.run]: "abcd1234", [LABELS.role]: node.role, [LABELS.node]: node.name };
      expect(service?.deploy.labels).toMatchObject(expected);
      expect(service?.labels).toMatchObject(expected);
    }
    expect(Object.keys(compose.networks)).toEqual([RUN_NETWORK]);
    expect(compose.networks[RUN_NETWORK]).toMatchObject({ driver: "overlay", attachable: false, labels: { [LABELS.run]: "abcd1234" } });
  });

  it("adds the owner labels when told who deploys", () => {
    const owned = composeFromNetwork(network, { ...options, owner: { pid: 42, start: "123456" } });
    const expected = { [LABELS.ownerPid]: "42", [LABELS.ownerStart]: "123456" };
    for (const service of Object.values(owned.services)) {
      expect(service.labels).toMatchObject(expected);
      expect(service.deploy.labels).toMatchObject(expected);
    }
    expect(owned.networks[RUN_NETWORK]?.labels).toMatchObject(expected);
  });

  it("runs the forwarder under docker-init with the node's socket, FIFO and role, then the daemon", () => {
    for (const node of network.nodes) {
      const service = compose.services[node.name]!;
      expect(service.init).toBe(true);
      expect(service.entrypoint.slice(0, 1)).toEqual([CONTAINER_PATHS.forwarder]);
      expect(service.entrypoint.at(-1)).toBe("--");
      expect(flagValue(service.entrypoint, "--node")).toBe(node.name);
      expect(flagValue(service.entrypoint, "--role")).toBe(node.role);
      expect(flagValue(service.entrypoint, "--fifo")).toBe("/mina-local/run/logs.fifo");
      expect(flagValue(service.entrypoint, "--socket")).toBe(`/mina-local/run/sockets/${node.name}.sock`);
      expect(flagValue(service.entrypoint, "--graphql-port")).toBe("3085");
      expect(service.entrypoint).not.toContain("--no-autostart");
      expect(service.entrypoint).not.toContain("--filter");
      expect(service.entrypoint).not.toContain("--log-level");
      expect(service.stop_grace_period).toBe("8s");
    }
  });

  it("passes the log filter and level to every forwarder and --no-autostart to the nodes not started at deploy", () => {
    const filter = '!(.level in ["Spam","Debug"])';
    const custom = composeFromNetwork(network, { ...options, logFilter: filter, logLevel: "Info", autostart: (node) => node.role !== "archive" });
    for (const node of network.nodes) {
      const entrypoint = custom.services[node.name]!.entrypoint;
      expect(flagValue(entrypoint, "--filter")).toBe(filter);
      expect(flagValue(entrypoint, "--log-level")).toBe("Info");
      expect(entrypoint.includes("--no-autostart")).toBe(node.role === "archive");
      expect(entrypoint.at(-1)).toBe("--");
    }
  });

  it("gives each role Mina's daemon flags", () => {
    const command = (name: string) => compose.services[name]!.command;
    const seedPeer = network.seedPeers[0]!;

    expect(command("seed").slice(0, 2)).toEqual(["mina", "daemon"]);
    expect(command("seed")).toContain("-seed");
    expect(command("seed")).not.toContain("-peer");

    for (const bp of ["whale", "fish"]) {
      expect(command(bp)).not.toContain("-seed");
      expect(flagValue(command(bp), "-peer")).toBe(seedPeer);
      expect(flagValue(command(bp), "-block-producer-key")).toBe(`/mina-local/keys/${bp}.key`);
      expect(command(bp)).not.toContain("-run-snark-coordinator");
    }

    const snarker = network.accounts.find((a) => a.name === "snarker")!;
    expect(flagValue(command("snark"), "-run-snark-coordinator")).toBe(snarker.keypair.publicKey);
    expect(flagValue(command("snark"), "-snark-worker-fee")).toBe("0.01");
    expect(flagValue(command("snark"), "-work-selection")).toBe("seq");
    expect(command("snark")).not.toContain("-block-producer-key");

    expect(flagValue(command("whale"), "-enable-flooding")).toBe("true");
    expect(flagValue(command("whale"), "-enable-peer-exchange")).toBe("true");

    // Mina's Snark_worker_config.create_cmd, with the network's proof level (the runtime config's)
    expect(command("snark-worker-0")).toEqual(["mina", "internal", "snark-worker", "-proof-level", "full", "-daemon-address", "snark:8301", "--shutdown-on-disconnect", "false"]);

    // Mina's layout: a seed per archive node feeds it; the archive node runs mina-archive
    expect(command("seed")).not.toContain("-archive-address");
    expect(flagValue(command("seed-1"), "-archive-address")).toBe("archive-1:3086");
    expect(command("seed-1")).toContain("-seed");
    expect(flagValue(command("seed-1"), "-peer")).toBe(seedPeer);
    expect(command("archive-1").slice(0, 2)).toEqual(["mina-archive", "run"]);

    for (const node of network.nodes.filter((n) => n.role !== "snark-worker" && n.role !== "archive")) {
      const argv = command(node.name);
      // the role's words first, then the common flags in Mina's order (Base_node_config.to_list)
      expect(argv.slice(argv.indexOf("-log-level"), argv.indexOf("-log-level") + 24)).toEqual([
        "-log-level",
        "Trace",
        "-log-snark-work-gossip",
        "true",
        "-log-txn-pool-gossip",
        "true",
        "-generate-genesis-proof",
        "true",
        "-client-port",
        "8301",
        "-rest-port",
        "3085",
        "-external-port",
        "8302",
        "-metrics-port",
        "10001",
        "--libp2p-keypair",
        `/mina-local/keys/${node.name}.libp2p`,
        "-log-json",
        "--insecure-rest-server",
        "-external-ip",
        "0.0.0.0",
        "-config-file",
        "/mina-local/config/runtime-config.json",
      ]);
      expect(flagValue(argv, "-config-directory")).toBe("/root/.mina-config");
      expect(argv).toEqual(expect.arrayContaining(["-log-json", "--insecure-rest-server"]));
      // stdout at Trace, so that Mina's Trace-level events reach the forwarder
      expect(flagValue(argv, "-log-level")).toBe("Trace");
      expect(flagValue(argv, "-rest-port")).toBe("3085");
      expect(flagValue(argv, "-external-port")).toBe("8302");
      expect(flagValue(argv, "-client-port")).toBe("8301");
      expect(argv).not.toContain("--start-filtered-logs");
    }
  });

  it("passes --start-filtered-logs once per event id, and the daemons' log level, to every daemon but the workers", () => {
    const ids = ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"];
    const filtered = composeFromNetwork(network, { ...options, startFilteredLogs: ids, daemonLogLevel: "Debug" });
    for (const node of network.nodes) {
      const argv = filtered.services[node.name]!.command;
      if (node.role === "snark-worker" || node.role === "archive") {
        // a worker is no daemon; an archive node runs mina-archive
        expect(argv).not.toContain("--start-filtered-logs");
        continue;
      }
      expect(argv.slice(-4)).toEqual(["--start-filtered-logs", ids[0], "--start-filtered-logs", ids[1]]);
      expect(flagValue(argv, "-log-level")).toBe("Debug");
    }
    expect(() => composeFromNetwork(network, { ...options, startFilteredLogs: ["Block_produced"] })).toThrow(/startFilteredLogs/);
  });

  it("runs Mina's container preparation in every daemon's forwarder, and gives node stops the node stop timeout (default 10 minutes)", () => {
    for (const node of network.nodes) {
      const entrypoint = compose.services[node.name]!.entrypoint;
      if (node.role === "archive") {
        // mina-archive: no keys, no wallet, no libp2p identity
        expect(entrypoint).not.toContain("--prepare");
      } else {
        expect(entrypoint).toContain("--prepare");
        expect(flagValue(entrypoint, "--keys-dir")).toBe("/mina-local/keys");
      }
      expect(flagValue(entrypoint, "--stop-grace-ms")).toBe("600000");
      expect(flagValue(entrypoint, "--shutdown-grace-ms")).toBe("5000");
    }
    const quick = composeFromNetwork(network, { ...options, nodeStopTimeoutMs: 30_000 });
    expect(flagValue(quick.services["whale"]!.entrypoint, "--stop-grace-ms")).toBe("30000");
  });

  it("makes the runtime config every daemon reads a read-only mount of the run's file", () => {
    for (const node of network.nodes.filter((n) => n.role !== "snark-worker")) {
      const service = compose.services[node.name]!;
      const path = flagValue(service.command, "-config-file");
      expect(path).toBe(CONTAINER_PATHS.runtimeConfig);
      expect(service.volumes).toContainEqual({ type: "bind", source: "/var/mina-local/abcd1234/config/runtime-config.json", target: path, read_only: true });
    }
  });

  it("bind-mounts the shared run dir, the node's own keys read-only and its state dir", () => {
    for (const node of network.nodes) {
      const volumes = compose.services[node.name]!.volumes;
      expect(volumes).toContainEqual({ type: "bind", source: "/var/mina-local/abcd1234/shared", target: "/mina-local/run" });
      expect(volumes).toContainEqual({ type: "bind", source: `/var/mina-local/abcd1234/keys/${node.name}`, target: "/mina-local/keys", read_only: true });
      expect(volumes).toContainEqual({ type: "bind", source: `/var/mina-local/abcd1234/nodes/${node.name}/state`, target: "/root/.mina-config" });
      expect(volumes.some((v) => v.target === CONTAINER_PATHS.forwarder)).toBe(false);
    }
  });

  it("gives each archive node a PostgreSQL as Mina's engine does, with Mina's schema and a health check", () => {
    const pg = compose.services["postgres-1"]!;
    expect(pg.image).toBe("postgres:16");
    expect(pg.entrypoint).toEqual(["docker-entrypoint.sh"]);
    expect(pg.command).toEqual(["postgres"]);
    expect(pg.environment).toEqual({ POSTGRES_USER: "postgres", POSTGRES_PASSWORD: "password", POSTGRES_DB: "archive", PGPASSWORD: "password", POSTGRESQL_PORT_NUMBER: "5432" });
    expect(pg.volumes).toEqual([
      { type: "bind", source: "/var/mina-local/abcd1234/archive/schema", target: "/mina-local/archive-schema", read_only: true },
      { type: "bind", source: "/var/mina-local/abcd1234/archive/init/mina-archive-schema.sql", target: "/docker-entrypoint-initdb.d/mina-archive-schema.sql", read_only: true },
    ]);
    expect(pg.labels).toMatchObject({ [LABELS.run]: "abcd1234", [LABELS.role]: "postgres", [LABELS.node]: "postgres-1" });
    expect(pg.healthcheck?.test).toEqual(["CMD", "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "archive"]);
    expect(flagValue(compose.services["archive-1"]!.command, "-postgres-uri")).toBe("postgres://postgres:password@postgres-1:5432/archive");
  });

  it("bind-mounts the forwarder read-only when the image lacks it", () => {
    const withForwarder = composeFromNetwork(network, { ...options, forwarderPath: "/opt/mina-local/forwarder" });
    for (const node of network.nodes) {
      expect(withForwarder.services[node.name]?.volumes).toContainEqual({ type: "bind", source: "/opt/mina-local/forwarder", target: CONTAINER_PATHS.forwarder, read_only: true });
    }
  });

  it("sets Mina's environment (Base_node_config.to_docker_env_vars) with the run's key password, the run and the node", () => {
    for (const [name, service] of services()) {
      expect(service.environment).toMatchObject({
        DAEMON_REST_PORT: "3085",
        DAEMON_CLIENT_PORT: "8301",
        DAEMON_METRICS_PORT: "10001",
        DAEMON_EXTERNAL_PORT: "8302",
        RAYON_NUM_THREADS: "8",
        MINA_PRIVKEY_PASS: network.keyPassword,
        MINA_LIBP2P_PASS: network.keyPassword,
        LIBP2P_ENABLE_MDNS: "true",
        MINA_LOCAL_RUN: "abcd1234",
        MINA_LOCAL_NODE: name,
      });
      if (name !== "snark") expect(service.environment).not.toHaveProperty("MINA_CLIENT_TRUSTLIST");
    }
    const snarker = network.accounts.find((a) => a.name === "snarker")!;
    // the coordinator's snark_coordinator_default_env; the trustlist is Mina's private ranges without a run subnet
    expect(compose.services["snark"]!.environment).toMatchObject({
      MINA_SNARK_KEY: snarker.keypair.publicKey,
      MINA_SNARK_FEE: "0.01",
      WORK_SELECTION: "seq",
      MINA_CLIENT_TRUSTLIST: "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
    });
  });

  it("gives the run network its subnet and sets the coordinator's trustlist to it", () => {
    const pinned = composeFromNetwork(network, { ...options, subnet: "10.231.7.0/24" });
    expect(pinned.networks[RUN_NETWORK]?.ipam).toEqual({ config: [{ subnet: "10.231.7.0/24" }] });
    expect(pinned.services["snark"]!.environment["MINA_CLIENT_TRUSTLIST"]).toBe("10.231.7.0/24");
    expect(compose.networks[RUN_NETWORK]).not.toHaveProperty("ipam");
    expect(() => composeFromNetwork(network, { ...options, subnet: "10.231.7.0" })).toThrow(/subnet/);
  });

  it("uses Docker's local log driver with a bounded size (default 10m, or the one asked)", () => {
    for (const [, service] of services()) expect(service.logging).toEqual({ driver: "local", options: { "max-size": "10m", "max-file": "3" } });
    const small = composeFromNetwork(network, { ...options, dockerLogMaxSize: "500k" });
    for (const service of Object.values(small.services)) expect(service.logging.options["max-size"]).toBe("500k");
    expect(() => composeFromNetwork(network, { ...options, dockerLogMaxSize: "ten megs" })).toThrow(/dockerLogMaxSize/);
  });

  it("publishes no port at all by default", () => {
    expect(JSON.stringify(compose)).not.toContain('"ports"');
  });

  it("publishes GraphQL on 127.0.0.1 only, when asked", () => {
    const published = composeFromNetwork(network, { ...options, publishGraphqlPorts: { hostIp: "127.0.0.1", basePort: 14000 } });
    const ports = Object.values(published.services).flatMap((s) => s.ports ?? []);
    expect(ports).toHaveLength(network.nodes.length);
    expect(new Set(ports.map((p) => p.published)).size).toBe(network.nodes.length);
    for (const port of ports) expect(port).toMatchObject({ target: 3085, host_ip: "127.0.0.1" });
    const wide = { ...options, publishGraphqlPorts: { hostIp: "0.0.0.0", basePort: 14000 } } as unknown as ComposeOptions;
    expect(() => composeFromNetwork(network, wide)).toThrow(/127\.0\.0\.1/);
  });

  it("refuses a relative run dir, which Docker could not bind-mount", () => {
    expect(() => composeFromNetwork(network, { ...options, runDir: "runs/abcd1234" })).toThrow(/absolute/);
  });

  it("covers every role in the test network", () => {
    expect(new Set(network.nodes.map((n) => n.role))).toEqual(new Set(NODE_ROLES.filter((r) => r !== "node")));
  });
});

describe("validateComposeFile", () => {
  it("accepts every generated variant", () => {
    const variants = [
      compose,
      composeFromNetwork(network, { ...options, forwarderPath: "/opt/forwarder", logFilter: '.level == "Info"', autostart: () => false }),
      composeFromNetwork(network, { ...options, publishGraphqlPorts: { hostIp: "127.0.0.1", basePort: 14000 }, owner: { pid: 1, start: "2" } }),
      composeFromNetwork(network, { ...options, subnet: "10.231.7.0/24", startFilteredLogs: ["0123456789abcdef0123456789abcdef"], nodeStopTimeoutMs: 1000 }),
    ];
    for (const variant of variants) expect(validateComposeFile(variant)).toEqual([]);
  });

  it("rejects a broken file with errors that name the field", () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services["seed"]!["image"] = 42;
    broken.services["seed"]!["restart_plicy"] = "no";
    const errors = validateComposeFile(broken);
    expect(errors).toContain("compose file: /services/seed/image: must be string");
    expect(errors.some((e) => e.includes("/services/seed") && e.includes('"restart_plicy"'))).toBe(true);
  });
});
