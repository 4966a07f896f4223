import { describe, expect, it } from "vitest";
import type { StateEvent } from "../network-state.js";
import { TestAborted, TestFailure } from "./errors.js";
import { EventRouter } from "./event-router.js";
import { StateStore } from "./state-store.js";

const event = (node: string, type: string, data: Record<string, unknown> = {}): StateEvent => ({ node, role: "block-producer", type, timestamp: "2026-11-26 12:00:00.000000Z", data });

describe("EventRouter (Mina's event_router.ml: on / await)", () => {
  it("calls the handler for each event of its type from now on, until it stops with a value", async () => {
    const store = new StateStore();
    const router = new EventRouter(store, new AbortController().signal);
    store.apply(event("bp1", "Block_produced", { block_height: 1 }));
    const heights: unknown[] = [];
    const subscription = router.on("Block_produced", (_node, data) => {
      heights.push(data.block_height);
      return heights.length === 2 ? { stop: heights.length } : "continue";
    });
    store.apply(event("bp1", "Node_initialization"));
    store.apply(event("bp1", "Block_produced", { block_height: 2 }));
    store.apply(event("bp2", "Block_produced", { block_height: 3 }));
    store.apply(event("bp2", "Block_produced", { block_height: 4 }));
    await expect(router.await(subscription)).resolves.toBe(2);
    // the block before `on` is not seen, nor the one after the stop
    expect(heights).toEqual([2, 3]);
  });

  it("on a node: only that node's events", async () => {
    const store = new StateStore();
    const router = new EventRouter(store, new AbortController().signal);
    const subscription = router.on("Persisted_frontier_loaded", (node) => ({ stop: node }), { node: "bp2" });
    store.apply(event("bp1", "Persisted_frontier_loaded"));
    store.apply(event("bp2", "Persisted_frontier_loaded"));
    await expect(router.await(subscription)).resolves.toBe("bp2");
  });

  it("awaitWithTimeout fails with a hard error naming what it awaited, and cancels the subscription", async () => {
    const store = new StateStore();
    const router = new EventRouter(store, new AbortController().signal);
    let calls = 0;
    const subscription = router.on("Block_produced", () => {
      calls++;
      return "continue";
    });
    const result = router.awaitWithTimeout(subscription, 10, "a block");
    await expect(result).rejects.toBeInstanceOf(TestFailure);
    await expect(result).rejects.toThrow(/a block/);
    store.apply(event("bp1", "Block_produced"));
    expect(calls).toBe(0);
  });

  it("ends the subscription with TestAborted when the run is interrupted, and a handler's throw rejects it", async () => {
    const store = new StateStore();
    const controller = new AbortController();
    const router = new EventRouter(store, controller.signal);
    const waiting = router.on("Block_produced", () => "continue");
    controller.abort("SIGINT");
    await expect(router.await(waiting)).rejects.toBeInstanceOf(TestAborted);
    const throwing = new EventRouter(store, new AbortController().signal).on("Block_produced", () => {
      throw new Error("bad data");
    });
    store.apply(event("bp1", "Block_produced"));
    await expect(throwing.done).rejects.toThrow("bad data");
  });
});
