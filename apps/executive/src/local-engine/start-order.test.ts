import { describe, expect, it } from "vitest";
import type { TestNetwork, TestNode } from "../dsl/define-test.js";
import { StateStore } from "../dsl/state-store.js";
import { startAfterSeeds } from "./start-order.js";

function fakeNetwork(started: string[]): TestNetwork {
  const node = (name: string, role: TestNode["role"]) => ({ name, role, start: async () => void started.push(name) }) as unknown as TestNode;
  const all = [node("seed", "seed"), node("bp1", "block-producer"), node("bp2", "block-producer"), node("sc", "snark-coordinator"), node("sc-worker-0", "snark-worker")];
  return { seeds: all.slice(0, 1), all } as unknown as TestNetwork;
}

const initialized = (store: StateStore, node: string) => store.apply({ node, role: "seed", type: "Node_initialization", timestamp: "2026-01-01T00:00:00Z", data: {} });

describe("Mina's start order", () => {
  it("starts the other nodes only once the seeds have initialized, and not the ones the test starts later", async () => {
    const store = new StateStore();
    const started: string[] = [];
    const done = startAfterSeeds({ store, network: fakeNetwork(started), later: new Set(["bp2"]), timeoutMs: 5_000, signal: new AbortController().signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual([]);
    initialized(store, "seed");
    await done;
    expect(started.sort()).toEqual(["bp1", "sc", "sc-worker-0"]);
  });

  it("fails as a setup error naming the seed that never initialized", async () => {
    const started: string[] = [];
    await expect(startAfterSeeds({ store: new StateStore(), network: fakeNetwork(started), later: new Set(), timeoutMs: 50, signal: new AbortController().signal })).rejects.toThrow(
      "the seeds seed did not log Node_initialization",
    );
    expect(started).toEqual([]);
  });
});
