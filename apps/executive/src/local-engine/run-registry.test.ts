import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { currentOwner } from "@mina-local/swarm-manager";
import { registerRun, registeredRunDirs, unregisterRun } from "./run-registry.js";
import { abandonedRunDir } from "./sweep.js";

const root = mkdtempSync(join(tmpdir(), "mina-local-registry-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the machine's run registry", () => {
  it("lists registered run directories wherever they are, and forgets those that are gone or unregistered", () => {
    const registry = join(root, "registry");
    for (const name of ["a", "b", "c"]) mkdirSync(join(root, "out-" + name, name), { recursive: true });
    registerRun("a", join(root, "out-a", "a"), registry);
    registerRun("b", join(root, "out-b", "b"), registry);
    registerRun("gone", join(root, "nowhere", "gone"), registry);
    writeFileSync(join(registry, "broken.json"), "{");
    expect(
      registeredRunDirs(registry)
        .map((r) => r.runId)
        .sort(),
    ).toEqual(["a", "b"]);
    unregisterRun("a", registry);
    expect(registeredRunDirs(registry).map((r) => r.runId)).toEqual(["b"]);
  });

  it("calls a run directory abandoned only when its owner.json names a process that is gone", () => {
    const dead = join(root, "dead");
    const live = join(root, "live");
    mkdirSync(dead);
    mkdirSync(live);
    // pid_max is at most 2^22: this pid cannot be a live process
    writeFileSync(join(dead, "owner.json"), JSON.stringify({ pid: 4_194_304, start: "1", natsPid: 4_194_304 }));
    expect(abandonedRunDir(dead, "dead")).toEqual({ runId: "dead", runDir: dead, natsPid: 4_194_304 });
    expect(abandonedRunDir(join(root, "nowhere"), "x")).toBeUndefined();
    // another live process (our parent, with its start time as currentOwner() records one)
    const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    const parent = { pid: process.ppid, start: stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] };
    writeFileSync(join(live, "owner.json"), JSON.stringify(parent));
    expect(abandonedRunDir(live, "live")).toBeUndefined();
    // the same pid with another start time is a reused pid: its run is dead
    writeFileSync(join(live, "owner.json"), JSON.stringify({ ...parent, start: "1" }));
    expect(abandonedRunDir(live, "live")?.runId).toBe("live");
    // this process's own run is never "abandoned" by its own sweep
    writeFileSync(join(live, "owner.json"), JSON.stringify(currentOwner()));
    expect(abandonedRunDir(live, "live")).toBeUndefined();
  });
});
