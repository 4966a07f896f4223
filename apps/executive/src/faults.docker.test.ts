import { execFileSync } from "node:child_process";
import net from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildScratchImage, imageExists } from "@mina-local/image-builder";
import { startDockerApiProxy } from "@mina-local/test-support";
import { EXIT_CODES } from "./report/model.js";
import { NOTHING_LEFT, daemonPids, leftovers, onlyRunDir, processesNaming, readReport, requireRunPrerequisites, runCli, runIdOf } from "./testing/cli-run.js";

/**
 * Fault injection: every fault is detected, reported as what it is, with its own exit
 * code, and the run leaves nothing behind (by label and by process list).
 */
const outputRoot = mkdtempSync(join(tmpdir(), "mina-local-faults-"));
const SLOW_TEST = "test-fixtures/slow-test.ts";
const INITIALIZED = /Initialized; waiting to be interrupted/;
let docker: Docker;

beforeAll(async () => {
  docker = await requireRunPrerequisites();
});
afterAll(() => rmSync(outputRoot, { recursive: true, force: true }));

const outputDir = (name: string) => join(outputRoot, name);

describe("setup faults: a one-paragraph error, a distinct exit code, nothing deployed", () => {
  it("the Docker engine unreachable", async () => {
    const result = await runCli(["local", "send-payment", "--output-dir", outputDir("no-docker")], { timeoutMs: 120_000, env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" } });
    expect(result.code, result.stderr).toBe(EXIT_CODES["docker-unavailable"]);
    expect(result.stderr).toMatch(/Docker engine is not reachable/);
    expect(result.stderr).toMatch(/apt-get install docker\.io/);
  }, 130_000);

  it("nats-server missing", async () => {
    const result = await runCli(["local", "send-payment", "--output-dir", outputDir("no-nats")], { timeoutMs: 300_000, env: { MINA_LOCAL_NATS_SERVER: "/nonexistent/nats-server" } });
    expect(result.code, result.stderr).toBe(EXIT_CODES["nats-unavailable"]);
    expect(result.stderr).toMatch(/apt-get install nats-server/);
    const report = readReport(onlyRunDir(outputDir("no-nats")));
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  }, 310_000);

  it("the image missing", async () => {
    const result = await runCli(["local", "send-payment", "--mina-image", "mina-local/no-such-image:1", "--output-dir", outputDir("no-image")], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(EXIT_CODES["image-missing"]);
    expect(result.stderr).toMatch(/mina-local\/no-such-image:1 is not on this machine/);
  }, 130_000);

  it("a test config with a bad field", async () => {
    const result = await runCli(["local", "test-fixtures/bad-config.ts", "--output-dir", outputDir("bad-config")], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(EXIT_CODES["invalid-arguments"]);
    expect(result.stderr).toMatch(/block_producers\[0\]\.account_name: no genesis account named "nobody"/);
  }, 130_000);
});

describe("the engine in no swarm (shown through a proxy of the real Docker API: leaving the real swarm would remove every stack on the machine)", () => {
  it("a swarm that cannot be made: its own exit code, Docker's reason and the command to run", async () => {
    const reason = "could not choose an IP address to advertise since this system has multiple addresses on interface eth0";
    const proxy = await startDockerApiProxy({ info: { LocalNodeState: "inactive", ControlAvailable: false }, init: { status: 503, message: reason } });
    try {
      const result = await runCli(["local", "send-payment", "--output-dir", outputDir("no-swarm")], { timeoutMs: 300_000, env: { DOCKER_HOST: proxy.host } });
      expect(result.code, result.stderr).toBe(EXIT_CODES["swarm-unavailable"]);
      expect(result.stderr).toContain("in no swarm, and making a one-node swarm failed");
      expect(result.stderr).toContain(reason);
      expect(result.stderr).toContain("docker swarm init --advertise-addr 127.0.0.1");
      const report = readReport(onlyRunDir(outputDir("no-swarm")));
      expect(report.outcome).toBe("swarm-unavailable");
      expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
    } finally {
      await proxy.close();
    }
  }, 310_000);

  it("a swarm worker: refused before anything is deployed, saying stacks need a manager", async () => {
    const proxy = await startDockerApiProxy({ info: { LocalNodeState: "active", ControlAvailable: false }, init: { status: 500, message: "must not be called" } });
    try {
      const result = await runCli(["local", "send-payment", "--output-dir", outputDir("swarm-worker")], { timeoutMs: 300_000, env: { DOCKER_HOST: proxy.host } });
      expect(result.code, result.stderr).toBe(EXIT_CODES["swarm-unavailable"]);
      expect(result.stderr).toMatch(/swarm worker, and stacks are deployed from a manager/);
      expect(proxy.requests.some((r) => r.path === "/swarm/init")).toBe(false);
    } finally {
      await proxy.close();
    }
  }, 310_000);

  it("no swarm yet: a one-node swarm is made on loopback and the run goes on", async () => {
    const proxy = await startDockerApiProxy({ info: { LocalNodeState: "inactive", ControlAvailable: false }, init: { status: 200, message: "new-node-id" } });
    let runId = "";
    try {
      const result = await runCli(["local", SLOW_TEST, "--output-dir", outputDir("swarm-made")], {
        timeoutMs: 300_000,
        env: { DOCKER_HOST: proxy.host },
        interruptWhen: INITIALIZED,
        whenReady: { pattern: INITIALIZED, action: (_pid, stdout) => void (runId = runIdOf(stdout)) },
      });
      expect(result.code, result.stderr.slice(-2000)).toBe(EXIT_CODES.interrupted);
      const inits = proxy.requests.filter((r) => r.method === "POST" && r.path === "/swarm/init");
      expect(inits.map((r) => JSON.parse(r.body) as unknown)).toEqual([expect.objectContaining({ ListenAddr: "127.0.0.1:2377", AdvertiseAddr: "127.0.0.1" })]);
      expect(readReport(onlyRunDir(outputDir("swarm-made"))).sections[0]).toMatchObject({ name: "wait for nodes to initialize", status: "passed" });
      expect(await leftovers(docker, runId, onlyRunDir(outputDir("swarm-made")))).toEqual(NOTHING_LEFT);
    } finally {
      await proxy.close();
    }
  }, 310_000);
});

describe("a port taken", () => {
  it("the --nats-port asked for is held by another process: its own exit code, which port, what to do", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const result = await runCli(["local", "send-payment", "--nats-port", String(port), "--output-dir", outputDir("port-taken")], { timeoutMs: 300_000 });
      expect(result.code, result.stderr).toBe(EXIT_CODES["port-taken"]);
      expect(result.stderr).toContain(`127.0.0.1:${port} is taken by another process`);
      expect(result.stderr).toContain("leave --nats-port out to use a free one");
      const report = readReport(onlyRunDir(outputDir("port-taken")));
      expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 310_000);
});

describe("a full disk", () => {
  it("is reported with its own exit code and what to do", async () => {
    // a 16 KiB file system holds the image tag check but not the run directory (needs root to mount, as CI is)
    const tiny = mkdtempSync(join(tmpdir(), "mina-local-tiny-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", tiny]);
    try {
      const result = await runCli(["local", "send-payment", "--output-dir", tiny], { timeoutMs: 120_000 });
      expect(result.code, result.stderr).toBe(EXIT_CODES["disk-full"]);
      expect(result.stderr).toMatch(/is full/);
      expect(result.stderr).toMatch(/--output-dir on another disk/);
    } finally {
      execFileSync("umount", [tiny]);
      rmSync(tiny, { recursive: true, force: true });
    }
  }, 130_000);
});

describe("faults mid-run: detected, reported as a hard error naming what happened, torn down", () => {
  /** Runs the slow test, injects `fault` once every node is up, and returns what the run left. */
  async function runWithFault(name: string, fault: (runId: string, pid: number) => void, extraArgs: string[] = []) {
    let runId = "";
    const result = await runCli(["local", SLOW_TEST, "--output-dir", outputDir(name), ...extraArgs], {
      timeoutMs: 240_000,
      whenReady: {
        pattern: INITIALIZED,
        action: (pid, stdout) => {
          runId = runIdOf(stdout);
          fault(runId, pid);
        },
      },
    });
    const runDir = onlyRunDir(outputDir(name));
    return { result, runDir, report: readReport(runDir), left: await leftovers(docker, runId, runDir) };
  }

  it("SIGTERM to the executive: the run is torn down as for SIGINT", async () => {
    let runId = "";
    const result = await runCli(["local", SLOW_TEST, "--output-dir", outputDir("sigterm")], {
      timeoutMs: 240_000,
      interruptWhen: INITIALIZED,
      signal: "SIGTERM",
      whenReady: { pattern: INITIALIZED, action: (_pid, stdout) => void (runId = runIdOf(stdout)) },
    });
    expect(result.code, result.stderr.slice(-2000)).toBe(EXIT_CODES.interrupted);
    expect(readReport(onlyRunDir(outputDir("sigterm"))).failure ?? "").toMatch(/SIGTERM/);
    expect(await leftovers(docker, runId, onlyRunDir(outputDir("sigterm")))).toEqual(NOTHING_LEFT);
  }, 250_000);

  it("a daemon that crashes", async () => {
    const { result, runDir, report, left } = await runWithFault("crash", (runId) => {
      const pids = daemonPids(runId, "bp");
      expect(pids.length).toBe(1);
      process.kill(pids[0] as number, "SIGKILL");
    });
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["node-crashed"]);
    expect(report.errors.some((e) => e.node === "bp" && /crashed/.test(e.message))).toBe(true);
    expect(readFileSync(join(runDir, "logs", "bp.log"), "utf8")).toContain('"puppeteer_event_type":"node_crashed"');
    expect(left).toEqual(NOTHING_LEFT);
  }, 250_000);

  it("a container killed from outside", async () => {
    const { result, report, left } = await runWithFault("docker-kill", (runId) => {
      const id = execFileSync("docker", ["ps", "-q", "--filter", `label=mina-local.run=${runId}`, "--filter", "label=mina-local.node=seed"])
        .toString()
        .trim();
      execFileSync("docker", ["kill", id]);
    });
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["node-crashed"]);
    expect(report.errors.some((e) => e.node === "seed" && /container died/.test(e.message))).toBe(true);
    expect(left).toEqual(NOTHING_LEFT);
  }, 250_000);

  it("nats-server dying mid-run, with the logs up to then kept", async () => {
    const { result, runDir, report, left } = await runWithFault("nats-dies", (runId) => {
      const nats = processesNaming(`${runId}/nats`);
      expect(nats.length).toBe(1);
      process.kill(nats[0] as number, "SIGKILL");
    });
    // the lines the nodes wrote after the bus died never reached it: the run says it lost them (issue 19), on top of the fault
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["log-pipeline-lost"]);
    expect(report.errors.some((e) => /nats-server died mid-run/.test(e.message))).toBe(true);
    expect(report.errors.some((e) => e.section === "(log pipeline)")).toBe(true);
    expect(readFileSync(join(runDir, "logs", "bp.log"), "utf8")).toContain('"puppeteer_event_type":"node_started"');
    expect(left).toEqual(NOTHING_LEFT);
  }, 250_000);

  it("an exception in a test: the section fails with it, the run is torn down", async () => {
    const result = await runCli(["local", "test-fixtures/throws.ts", "--output-dir", outputDir("throws")], { timeoutMs: 240_000 });
    const report = readReport(onlyRunDir(outputDir("throws")));
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["hard-errors"]);
    expect(report.sections.map((s) => [s.name, s.status])).toEqual([
      ["wait for nodes to initialize", "passed"],
      ["a section with a bug", "failed"],
    ]);
    expect(report.errors.find((e) => e.section === "a section with a bug")?.message).toMatch(/Cannot read properties of undefined \(reading 'balance'\)/);
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  }, 250_000);

  it("a crash of the executive (an exception nothing catches): torn down, its own exit code, the stack in the report", async () => {
    const result = await runCli(["local", "test-fixtures/crashes.ts", "--output-dir", outputDir("crashes")], { timeoutMs: 240_000 });
    const runDir = onlyRunDir(outputDir("crashes"));
    const report = readReport(runDir);
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["executive-crashed"]);
    expect(report.outcome).toBe("executive-crashed");
    expect(report.failure).toMatch(/the executive crashed on an exception that nothing caught[\s\S]*a stray timer's exception[\s\S]*crashes\.ts/);
    expect(result.stderr).toContain("a stray timer's exception");
    expect(readFileSync(join(runDir, "logs", "bp.log"), "utf8")).toContain('"puppeteer_event_type":"node_offline"');
    expect(await leftovers(docker, report.runId, report.runDir)).toEqual(NOTHING_LEFT);
  }, 250_000);

  it("the FIFO reader falling behind: lines reaching it later than --max-log-lag fail the run, and none is lost", async () => {
    // a stopped executive is a reader that has fallen behind by as long as it is stopped;
    // the nodes go on writing (the pipe holds 64 KiB, then their forwarders wait)
    const { result, runDir, report, left } = await runWithFault(
      "reader-behind",
      (_runId, pid) => {
        process.kill(pid, "SIGSTOP");
        setTimeout(() => process.kill(pid, "SIGCONT"), 8_000);
      },
      ["--max-log-lag", "3"],
    );
    expect(result.code, result.stderr.slice(-3000)).toBe(EXIT_CODES["hard-errors"]);
    const fault = report.errors.find((e) => /log pipeline fell behind/.test(e.message));
    expect(fault?.message).toMatch(/a line of node \S+ reached the FIFO reader \d+\.\d s after the node wrote it \(the limit is 3\.0 s\)/);
    expect(report.pipeline?.maxLagMs).toBeGreaterThan(3_000);
    expect(report.pipeline?.linesLost).toBe(0);
    expect(report.pipeline?.linesReceived).toBe(report.pipeline?.linesRelayed);
    expect(readFileSync(join(runDir, "logs", "bp.log"), "utf8")).toContain('"puppeteer_event_type":"node_offline"');
    expect(left).toEqual(NOTHING_LEFT);
  }, 250_000);

  /** Runs the slow test in `dir` and SIGKILLs the executive once every node is up; returns the run id it left behind. */
  async function sigkilledRun(dir: string): Promise<string> {
    let runId = "";
    await runCli(["local", SLOW_TEST, "--output-dir", dir], {
      timeoutMs: 240_000,
      interruptWhen: INITIALIZED,
      signal: "SIGKILL",
      whenReady: { pattern: INITIALIZED, action: (_pid, stdout) => void (runId = runIdOf(stdout)) },
    });
    return runId;
  }

  it("a SIGKILLed executive: `test_executive cleanup` sweeps what it left (swarm objects, FIFO, nats-server) in any output directory, never a live run's", async () => {
    const dir = outputDir("sigkill");
    let deadRunId = "";
    let deadRunDir = "";
    let liveRunId = "";
    // the live run first: a run's start sweeps every run it can prove dead, so the dead one must die after it started
    const live = await runCli(["local", SLOW_TEST, "--output-dir", join(dir, "live")], {
      timeoutMs: 400_000,
      whenReady: {
        pattern: INITIALIZED,
        action: async (pid, stdout) => {
          liveRunId = runIdOf(stdout);
          deadRunId = await sigkilledRun(join(dir, "dead"));
          deadRunDir = onlyRunDir(join(dir, "dead"));
          expect((await leftovers(docker, deadRunId)).services).toBeGreaterThan(0);
          expect(processesNaming(`${deadRunId}/nats`)).toHaveLength(1);
          expect(existsSync(join(deadRunDir, "shared", "logs.fifo"))).toBe(true);
          // a simulator image of other mina-local code, which no container uses
          const stale = "mina-local/daemon-sim:0.0.0-stale";
          await buildScratchImage({ tag: stale, withNodeRuntime: false, files: [{ path: "/stale", content: "older code" }] });
          // no --output-dir: the dead run's directory is found through the machine's run registry
          const cleanup = await runCli(["cleanup"], { timeoutMs: 120_000 });
          expect(cleanup.stderr).toContain(`removed the simulator image ${stale} (built from other mina-local code)`);
          expect(await imageExists(stale)).toBe(false);
          expect(cleanup.code, cleanup.stderr).toBe(0);
          expect(cleanup.stderr).toContain(`removed the swarm objects of run ${deadRunId}`);
          expect(cleanup.stderr).toContain(`removed the FIFO, sockets and NATS store of ${deadRunDir}`);
          expect(cleanup.stderr).toContain(`left run ${liveRunId} alone: its owner process is alive`);
          expect((await leftovers(docker, liveRunId)).services).toBeGreaterThan(0);
          process.kill(pid, "SIGINT");
        },
      },
    });
    expect(live.code, live.stderr.slice(-2000)).toBe(EXIT_CODES.interrupted);
    expect(await leftovers(docker, deadRunId, deadRunDir)).toEqual(NOTHING_LEFT);
    expect(await leftovers(docker, liveRunId, onlyRunDir(join(dir, "live")))).toEqual(NOTHING_LEFT);
    expect(existsSync(join(deadRunDir, "shared", "logs.fifo"))).toBe(false);
    expect(existsSync(join(deadRunDir, "logs", "bp.log"))).toBe(true);
  }, 600_000);

  it("a SIGKILLed executive: the next start, in any output directory, sweeps what it left", async () => {
    const dir = outputDir("sigkill-then-start");
    const deadRunId = await sigkilledRun(dir);
    expect((await leftovers(docker, deadRunId)).services).toBeGreaterThan(0);
    const deadRunDir = onlyRunDir(dir);
    expect(existsSync(join(deadRunDir, "shared", "logs.fifo"))).toBe(true);
    const started = await runCli(["local", SLOW_TEST, "--output-dir", join(dir, "elsewhere")], {
      timeoutMs: 240_000,
      interruptWhen: INITIALIZED,
      whenReady: {
        pattern: INITIALIZED,
        action: (_pid, stdout) => {
          const sweepLine = stdout.split("\n").find((line) => line.includes("Removed what runs that died left behind"));
          expect(sweepLine).toContain(deadRunId);
        },
      },
    });
    expect(started.code, started.stderr.slice(-2000)).toBe(EXIT_CODES.interrupted);
    expect(await leftovers(docker, deadRunId, deadRunDir)).toEqual(NOTHING_LEFT);
    expect(existsSync(join(deadRunDir, "shared", "logs.fifo"))).toBe(false);
  }, 500_000);
});
