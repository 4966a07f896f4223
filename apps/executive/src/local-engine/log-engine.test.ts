import { describe, expect, it } from "vitest";
import { StateStore } from "../dsl/state-store.js";
import type { StateEvent } from "../network-state.js";
import { LocalLogEngine } from "./log-engine.js";

const event = (node: string, type: string): StateEvent => ({ node, role: "block-producer", type, timestamp: "2026-12-01T00:00:00Z", data: {} });

async function collect(reader: AsyncIterable<StateEvent>): Promise<string[]> {
  const seen: string[] = [];
  for await (const e of reader) seen.push(`${e.node}:${e.type}`);
  return seen;
}

describe("the local Log_engine's event_reader", () => {
  it("hands every event applied after its creation, in arrival order, to each reader, until destroy", async () => {
    const store = new StateStore();
    store.apply(event("bp1", "Before_the_log_engine"));
    const engine = LocalLogEngine.create(store);
    const first = collect(engine.eventReader());
    const second = collect(engine.eventReader());
    store.apply(event("bp1", "Node_initialization"));
    store.apply(event("bp2", "Block_produced"));
    await engine.destroy();
    store.apply(event("bp2", "After_destroy"));
    expect(await first).toEqual(["bp1:Node_initialization", "bp2:Block_produced"]);
    expect(await second).toEqual(["bp1:Node_initialization", "bp2:Block_produced"]);
  });

  it("ends a reader when its signal aborts, after the events it already had", async () => {
    const store = new StateStore();
    const engine = LocalLogEngine.create(store);
    const abort = new AbortController();
    const reading = collect(engine.eventReader(abort.signal));
    store.apply(event("seed", "Node_initialization"));
    abort.abort();
    store.apply(event("seed", "Too_late"));
    expect(await reading).toEqual(["seed:Node_initialization"]);
    await engine.destroy();
  });
});
