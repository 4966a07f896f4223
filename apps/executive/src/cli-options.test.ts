import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MinaLocalError } from "@mina-local/engine";
import { DEFAULT_OUTPUT_DIR, parseLocalOptions } from "./cli-options.js";

function rejection(raw: Record<string, unknown>): MinaLocalError {
  try {
    parseLocalOptions(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(MinaLocalError);
    return error as MinaLocalError;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

const DIGEST = "a".repeat(64);

describe("parseLocalOptions", () => {
  it("fills in the defaults", () => {
    const options = parseLocalOptions({});
    expect(options).toEqual({
      debug: false,
      dryRun: false,
      logLevel: "Debug",
      executiveLogLevel: "debug",
      failOnLogErrors: false,
      outputDir: resolve(DEFAULT_OUTPUT_DIR),
      dockerLogMaxSize: "10m",
      maxLogLag: 15,
      // Mina waits for a stopping daemon with no limit; we stop at 10 minutes, and report the SIGKILL
      nodeStopTimeout: 600,
      place: {},
    });
    expect(options.natsPort).toBeUndefined();
    expect(options.minaImage).toBeUndefined();
    expect(options.logFilter).toBeUndefined();
    expect(options.eventIds).toBeUndefined();
  });

  it("keeps valid options, resolving the output directory to an absolute path", () => {
    const options = parseLocalOptions({
      minaImage: "minaprotocol/mina-daemon:3.0.0-devnet",
      archiveImage: "minaprotocol/mina-archive:3.0.0",
      debug: true,
      dryRun: true,
      outputDir: "out/runs",
      dockerLogMaxSize: "500k",
      logFilter: '!(.level in ["Spam","Debug"])',
      logLevel: "Trace",
      executiveLogLevel: "info",
      eventIds: "ids/dump.txt",
      failOnLogErrors: true,
    });
    expect(options).toMatchObject({
      minaImage: "minaprotocol/mina-daemon:3.0.0-devnet",
      debug: true,
      dryRun: true,
      dockerLogMaxSize: "500k",
      logLevel: "Trace",
      executiveLogLevel: "info",
      failOnLogErrors: true,
    });
    expect(options.outputDir).toBe(resolve("out/runs"));
    expect(options.eventIds).toBe(resolve("ids/dump.txt"));
  });

  it.each([
    "mina-local/daemon-sim",
    "mina-local/daemon-sim:dev",
    "localhost:5000/mina:dev",
    "registry.example.com:443/team/mina-daemon:1.2.3",
    "gcr.io/o1labs-192920/mina-daemon:3.0.0",
    `minaprotocol/mina-daemon@sha256:${DIGEST}`,
    `minaprotocol/mina-daemon:3.0.0@sha256:${DIGEST}`,
    "my_org/mina__daemon",
  ])("accepts the image reference %s", (image) => {
    expect(parseLocalOptions({ minaImage: image }).minaImage).toBe(image);
  });

  it.each(["", "Mina/Daemon", "mina daemon", "mina:", "mina//daemon", "mina/", "-mina", "mina:a:b", "mina@sha256:123", "mina:tag;rm -rf /"])(
    "rejects the image reference %j naming --mina-image",
    (image) => {
      const error = rejection({ minaImage: image });
      expect(error.kind).toBe("invalid-arguments");
      expect(error.message).toContain("--mina-image");
      expect(error.message).toContain("Docker image reference");
    },
  );

  it("rejects a bad archive image naming --archive-image", () => {
    expect(rejection({ archiveImage: "Not An Image" }).message).toMatch(/^--archive-image: /);
  });

  it.each(["10", "10mb", "0m", "m", "1.5m", "10M"])("rejects the log size %j naming --docker-log-max-size", (size) => {
    const error = rejection({ dockerLogMaxSize: size });
    expect(error.message).toContain("--docker-log-max-size");
    expect(error.message).toContain('"10m"');
  });

  it.each(["10k", "50m", "1g"])("accepts the log size %s", (size) => {
    expect(parseLocalOptions({ dockerLogMaxSize: size }).dockerLogMaxSize).toBe(size);
  });

  it("rejects a logproc filter that does not parse, naming --log-filter and the problem", () => {
    const error = rejection({ logFilter: ".level ==" });
    expect(error.message).toMatch(/^--log-filter: /);
    expect(error.message.length).toBeGreaterThan("--log-filter: ".length + 5);
    expect(rejection({ logFilter: ".message match /unclosed" }).message).toContain("--log-filter");
  });

  it("takes Mina's level names for --log-level in any case, spelt as Mina spells them", () => {
    expect(parseLocalOptions({ logLevel: "trace" }).logLevel).toBe("Trace");
    expect(parseLocalOptions({ logLevel: "FAULTY_PEER" }).logLevel).toBe("Faulty_peer");
    expect(rejection({ executiveLogLevel: "Trace" }).message).toMatch(/^--executive-log-level: expected one of spam, debug, info, warn, error/);
  });

  it("rejects an unknown log level naming --log-level, and lists every bad flag at once", () => {
    const error = rejection({ logLevel: "verbose", dockerLogMaxSize: "huge", minaImage: "BAD IMAGE" });
    const lines = error.message.split("\n");
    expect(lines.map((l) => l.split(":")[0])).toEqual(expect.arrayContaining(["--log-level", "--docker-log-max-size", "--mina-image"]));
    expect(lines.find((l) => l.startsWith("--log-level"))).toContain("expected one of Mina's log levels: Internal, Spam, Trace, Debug, Info, Warn, Error, Faulty_peer, Fatal");
    expect(error.hint).toContain("--help");
  });

  it("takes --graphql-port-base as a port number of 1024 and above, naming the flag otherwise", () => {
    expect(parseLocalOptions({ graphqlPortBase: "4100" })).toMatchObject({ graphqlPortBase: 4100 });
    expect(parseLocalOptions({}).graphqlPortBase).toBeUndefined();
    for (const port of ["80", "65536", "41.5", "port"]) expect(rejection({ graphqlPortBase: port }).message).toMatch(/^--graphql-port-base: expected a port/);
  });

  it("takes --nats-port and --max-log-lag as numbers from the command line's strings", () => {
    expect(parseLocalOptions({ natsPort: "4333", maxLogLag: "2.5" })).toMatchObject({ natsPort: 4333, maxLogLag: 2.5 });
  });

  it.each(["0", "65536", "42.5", "port", "-1"])("rejects the port %j naming --nats-port", (port) => {
    expect(rejection({ natsPort: port }).message).toMatch(/^--nats-port: expected a port/);
  });

  it.each(["0", "-3", "soon"])("rejects the lag %j naming --max-log-lag", (lag) => {
    expect(rejection({ maxLogLag: lag }).message).toMatch(/^--max-log-lag: expected a number of seconds/);
  });

  it("reads a multi-host run's hosts, bus address and placement", () => {
    const options = parseLocalOptions({ swarmHosts: "host-1=unix:///run/h1/docker.sock, host-2=tcp://10.0.0.2:2375", busAddress: "198.18.23.1", place: ["seed=host-1", "bp1=host-2,bp2=host-1"] });
    expect(options.swarmHosts).toEqual([
      { name: "host-1", endpoint: "unix:///run/h1/docker.sock" },
      { name: "host-2", endpoint: "tcp://10.0.0.2:2375" },
    ]);
    expect(options.busAddress).toBe("198.18.23.1");
    expect(options.place).toEqual({ seed: "host-1", bp1: "host-2", bp2: "host-1" });
  });

  it.each([
    [{ swarmHosts: "host-1" }, /^--swarm-hosts: "host-1" is not <host>=<docker endpoint>/],
    [{ swarmHosts: "host-1=http://x" }, /^--swarm-hosts: "host-1=http:\/\/x" is not/],
    [{ swarmHosts: "h=unix:///a,h=unix:///b", busAddress: "10.0.0.1" }, /^--swarm-hosts: host h is named twice/],
    [{ swarmHosts: "h=unix:///a" }, /^--bus-address: a multi-host run \(--swarm-hosts\) needs/],
    [{ busAddress: "10.0.0.1" }, /^--bus-address: only a multi-host run/],
    [{ swarmHosts: "h=unix:///a", busAddress: "my-host" }, /^--bus-address: expected an IPv4 address/],
    [{ place: ["seed=host-1"] }, /^--place: nodes are placed on hosts only in a multi-host run/],
    [{ swarmHosts: "h=unix:///a", busAddress: "10.0.0.1", place: ["seed=host-9"] }, /^--place: host host-9 is not one of --swarm-hosts \(h\)/],
    [{ swarmHosts: "h=unix:///a", busAddress: "10.0.0.1", place: ["seed"] }, /^--place: "seed" is not <node>=<host>/],
  ])("rejects the multi-host options %j naming the flag", (raw, message) => {
    expect(rejection(raw).message).toMatch(message);
  });
});
