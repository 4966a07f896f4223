import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT_CODES, type TestReport } from "../report/model.js";
import { appDir } from "../testing/cli-run.js";
import { dockerUnreachable } from "./docker-reachable.js";

// The built CLI, with DOCKER_HOST pointing at a socket that does not exist: Docker cannot be asked.
const out = mkdtempSync(join(tmpdir(), "mina-local-dry-run-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const noDocker = { ...process.env, DOCKER_HOST: `unix://${join(out, "no-docker.sock")}` };
const cli = (...args: string[]) => spawnSync(process.execPath, [join(appDir, "bin", "test_executive.js"), ...args], { cwd: out, encoding: "utf8", env: noDocker, timeout: 120_000 });

describe("--dry-run without Docker", { timeout: 150_000 }, () => {
  it("writes the run directory with the image's tag, and says that it could not check it", () => {
    const result = cli("local", "send-payment", "--dry-run", "--mina-image", "minaprotocol/mina-daemon:3.0.0", "--output-dir", join(out, "runs"));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain("Docker cannot be asked");
    expect(result.stderr).toContain("minaprotocol/mina-daemon:3.0.0");
    const runs = readdirSync(join(out, "runs")).filter((name) => !name.startsWith("."));
    expect(runs).toHaveLength(1);
    expect(existsSync(join(out, "runs", runs[0] as string, "docker-compose.json"))).toBe(true);
  });

  it("a real run without Docker exits with Docker's code, prints the failure on stderr, and report.json carries it structured", () => {
    const result = cli("local", "send-payment", "--mina-image", "minaprotocol/mina-daemon:3.0.0", "--output-dir", join(out, "real"));
    expect(result.status, result.stderr).toBe(EXIT_CODES["docker-unavailable"]);
    expect(result.stderr).toContain("cannot ask Docker whether the image minaprotocol/mina-daemon:3.0.0 is on this machine");
    const [run] = readdirSync(join(out, "real")).filter((name) => !name.startsWith("."));
    const report = JSON.parse(readFileSync(join(out, "real", run as string, "report.json"), "utf8")) as TestReport;
    expect(report.failureDetail).toMatchObject({ outcome: "docker-unavailable", kind: "docker", hint: expect.stringContaining("start the Docker engine") });
    expect(existsSync(join(out, "real", run as string, "report.html"))).toBe(true);
  });

  it("tells Docker that cannot be asked from Docker that answered", () => {
    expect(dockerUnreachable(Object.assign(new Error("connect ENOENT /var/run/docker.sock"), { code: "ENOENT" }))).toBe(true);
    expect(dockerUnreachable({ kind: "docker", message: "not reachable" })).toBe(true);
    expect(dockerUnreachable({ kind: "image", message: "missing" })).toBe(false);
  });
});
