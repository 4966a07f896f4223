import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { GenesisConstants } from "@mina-local/engine";
import { createExecutiveLogger, forModule } from "../logger.js";
import type { StateEvent } from "../network-state.js";
import type { TestContext, TestDefinition, TestNetwork } from "./define-test.js";
import { TestFailure } from "./errors.js";
import { LineTail } from "./line-tail.js";
import { StateStore } from "./state-store.js";
import { runTestBody } from "./test-runner.js";
import { emptyTestNetwork } from "../testing/empty-network.js";
import { blockProducerKnown, blocksToBeProduced, producerOf, signedCommandToBeIncluded, type WaitCondition } from "./wait-conditions.js";

/** 10 ms slots: a wait on one block has a 30 ms soft and a 60 ms hard timeout. */
const CONSTANTS: GenesisConstants = {
  k: 6,
  delta: 0,
  slotsPerEpoch: 48,
  slotsPerSubWindow: 2,
  blockWindowDurationMs: 10,
  genesisStateTimestamp: "2026-11-26T12:00:00Z",
  txpoolMaxSize: 3000,
  transactionCapacityLog2: 3,
  workDelay: 1,
};

const network: TestNetwork = emptyTestNetwork(CONSTANTS);

let blockCount = 0;
const blockEvent = (): StateEvent => ({
  node: "bp1",
  role: "block-producer",
  type: "Block_produced",
  timestamp: "2026-11-26 12:00:00.000000Z",
  data: { state_hash: `3NKrunner${++blockCount}`, block_height: blockCount + 1, global_slot: blockCount, epoch: 0, snarked_ledger_generated: false, creator: "B62q" },
});
const logError = (node: string, level: "Warn" | "Error", message: string): StateEvent => ({
  node,
  role: "block-producer",
  type: "Log_error",
  timestamp: "2026-11-26 12:00:00.000000Z",
  data: { level, severity: level === "Warn" ? "soft" : "hard", module: "Block_producer", message, metadata: {} },
});

/** A real store, line tail and logger around a test body; `onLogLine` sees every line the executive logs. */
function harness(onLogLine: (line: Record<string, unknown>) => void = () => {}) {
  const store = new StateStore();
  const lines = new LineTail();
  const logged: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString("utf8").split("\n")) {
        if (text === "") continue;
        const line = JSON.parse(text) as Record<string, unknown>;
        logged.push(line);
        onLogLine(line);
      }
      callback();
    },
  });
  const log = forModule(createExecutiveLogger({ destination }), "test");
  const controller = new AbortController();
  const run = (body: (t: TestContext) => Promise<void>) => {
    const test: TestDefinition = { name: "fake", description: "a test of the runner", config: { genesis_ledger: [], block_producers: [] }, run: body };
    return runTestBody(test, { store, lines, network, log, signal: controller.signal });
  };
  return { store, lines, logged, controller, run };
}

const messageOf = (line: Record<string, unknown>) => String(line["message"]);

describe("Mina's section rules (dsl.ml: section = soften_error + contextualize, section_hard = contextualize)", () => {
  it("a hard error in `section` becomes a soft error of that section, and the next section runs", async () => {
    const h = harness();
    let nextRan = false;
    const outcome = await h.run(async (t) => {
      await t.section("check balances", async () => {
        t.assertEqual(1n, 2n, "receiver balance", "bp1");
      });
      await t.section("next", async () => {
        nextRan = true;
      });
    });
    expect(nextRan).toBe(true);
    expect(outcome.sections).toMatchObject([
      { name: "check balances", status: "soft" },
      { name: "next", status: "passed" },
    ]);
    expect(outcome.errors).toEqual([{ severity: "soft", section: "check balances", node: "bp1", message: "receiver balance: expected 2, got 1" }]);
  });

  it("the same hard error in `sectionHard` fails it and stops the test", async () => {
    const h = harness();
    let nextRan = false;
    const outcome = await h.run(async (t) => {
      await t.sectionHard("check balances", async () => {
        t.assertEqual(1n, 2n, "receiver balance", "bp1");
      });
      await t.section("next", async () => {
        nextRan = true;
      });
    });
    expect(nextRan).toBe(false);
    expect(outcome.sections).toMatchObject([{ name: "check balances", status: "failed" }]);
    expect(outcome.errors).toEqual([{ severity: "hard", section: "check balances", node: "bp1", message: "receiver balance: expected 2, got 1" }]);
  });

  it("a hard timeout in `section` is a soft error of it; the test goes on", async () => {
    const h = harness();
    let nextRan = false;
    const outcome = await h.run(async (t) => {
      await t.section("wait for a block that never comes", () => t.waitFor(blocksToBeProduced(1)));
      await t.section("next", async () => {
        nextRan = true;
      });
    });
    expect(nextRan).toBe(true);
    expect(outcome.errors).toMatchObject([{ severity: "soft", section: "wait for a block that never comes", message: expect.stringContaining("hit a hard timeout") }]);
    expect(outcome.sections.map((s) => s.status)).toEqual(["soft", "passed"]);
  });

  it("a node's crash in `section` is a soft error of it (the crash itself decides the outcome apart)", async () => {
    const h = harness();
    const outcome = await h.run(async (t) => {
      await t.section("crashing", async () => {
        h.store.apply({ node: "bp1", role: "block-producer", type: "Node_crashed", timestamp: "2026-11-26 12:00:00.000000Z", data: { exit_code: 137 } });
      });
      await t.section("next", async () => {});
    });
    expect(outcome.sections.map((s) => [s.name, s.status])).toEqual([
      ["crashing", "soft"],
      ["next", "passed"],
    ]);
    expect(outcome.errors).toMatchObject([{ severity: "soft", section: "crashing", node: "bp1" }]);
  });

  it("a hard error outside every section stops the test", async () => {
    const h = harness();
    let laterRan = false;
    const outcome = await h.run(async (t) => {
      await t.waitFor({ ...blocksToBeProduced(1), softTimeout: { ms: 5 }, hardTimeout: { ms: 10 } });
      laterRan = true;
    });
    expect(laterRan).toBe(false);
    expect(outcome.errors).toMatchObject([{ severity: "hard", section: "(outside any section)" }]);
  });

  it("a predicate failure in a wait is a hard error at once, before any timeout", async () => {
    const h = harness();
    const startedAt = Date.now();
    const outcome = await h.run(async (t) => {
      await t.sectionHard("wait", () => t.waitFor({ description: "something", softTimeout: { ms: 60_000 }, hardTimeout: { ms: 60_000 }, start: () => () => ({ failed: "it went wrong" }) }));
    });
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    expect(outcome.errors).toEqual([{ severity: "hard", section: "wait", message: "wait_for hit an error waiting for something: it went wrong" }]);
  });

  it("a wait that succeeds within its soft timeout records no error", async () => {
    const h = harness();
    const outcome = await h.run(async (t) => {
      await t.sectionHard("wait", async () => {
        setTimeout(() => h.store.apply(blockEvent()), 1);
        await t.waitFor({ ...blocksToBeProduced(1), softTimeout: { ms: 10_000 }, hardTimeout: { ms: 20_000 } });
      });
    });
    expect(outcome.errors).toEqual([]);
  });
});

describe("events of different nodes in any order", () => {
  it("judges the producer of the block that included a command on the producer's own Block_produced, which may arrive after another node's Breadcrumb_added", async () => {
    const h = harness();
    let producer: string | undefined;
    let producerAtInclusion: string | undefined;
    const outcome = await h.run(async (t) => {
      await t.sectionHard("send a delegation and wait for its inclusion", async () => {
        setTimeout(() => {
          // bp2 received bp1's block and added it; its line reaches the bus first
          h.store.apply({
            node: "bp2",
            role: "block-producer",
            type: "Breadcrumb_added",
            timestamp: "2026-11-26 12:00:01.000000Z",
            data: { state_hash: "3NKdeleg", user_commands: [{ hash: "CkpDeleg", status: "applied" }] },
          });
          // bp1's own Block_produced comes later
          setTimeout(
            () =>
              h.store.apply({
                node: "bp1",
                role: "block-producer",
                type: "Block_produced",
                timestamp: "2026-11-26 12:00:00.900000Z",
                data: { state_hash: "3NKdeleg", block_height: 9, global_slot: 30, epoch: 0, snarked_ledger_generated: false },
              }),
            5,
          );
        }, 1);
        await t.waitFor({ ...signedCommandToBeIncluded("CkpDeleg"), softTimeout: { ms: 10_000 }, hardTimeout: { ms: 10_000 } });
        const stateHash = t.state().includedCommands["CkpDeleg"]?.stateHash ?? "";
        producerAtInclusion = producerOf(t.state(), stateHash)?.node;
        await t.waitFor(blockProducerKnown(stateHash));
        producer = producerOf(t.state(), stateHash)?.node;
      });
    });
    expect(outcome.errors).toEqual([]);
    // at the inclusion the producer was not known yet (the round-1 check failed there); after the bounded wait it is bp1
    expect(producerAtInclusion).toBeUndefined();
    expect(producer).toBe("bp1");
  });
});

describe("runTestBody", () => {
  it("passes a section whose wait is met, and returns the section's value", async () => {
    const h = harness();
    let value: number | undefined;
    const outcome = await h.run(async (t) => {
      value = await t.sectionHard("produce a block", async () => {
        setTimeout(() => h.store.apply(blockEvent()), 1);
        // generous timeouts: a loaded machine must not turn this into a soft error
        await t.waitFor({ ...blocksToBeProduced(1), softTimeout: { ms: 10_000 }, hardTimeout: { ms: 10_000 } });
        return 42;
      });
    });
    expect(value).toBe(42);
    expect(outcome.errors).toEqual([]);
    expect(outcome.sections).toMatchObject([{ name: "produce a block", status: "passed" }]);
    expect(outcome.aborted).toBeUndefined();
  });

  it("records a wait that succeeds after its soft timeout as one soft error of its section (Mina's wait_for), and the test goes on", async () => {
    const condition: WaitCondition = { ...blocksToBeProduced(1), softTimeout: { slots: 2 }, hardTimeout: { ms: 10_000 } };
    // the block arrives only once the soft timeout has been reported: no race with the clock
    const h = harness((line) => {
      if (line["level"] === "Warn" && messageOf(line).startsWith("Soft timeout passed")) setImmediate(() => h.store.apply(blockEvent()));
    });
    let after = false;
    const outcome = await h.run(async (t) => {
      await t.section("slow block", async () => {
        await t.waitFor(condition);
        after = true;
      });
      await t.section("next", async () => {});
    });
    expect(after).toBe(true);
    expect(outcome.sections).toMatchObject([
      { name: "slow block", status: "soft" },
      { name: "next", status: "passed" },
    ]);
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toMatchObject({ severity: "soft", section: "slow block" });
    expect(outcome.errors[0]?.message).toContain("soft timeout (20 ms)");
    expect(outcome.errors[0]?.message).toContain("condition succeeded");
  });

  it("fails a sectionHard at the hard timeout with one hard error (no soft one) and runs no later section", async () => {
    const h = harness();
    let laterRan = false;
    const outcome = await h.run(async (t) => {
      await t.sectionHard("wait for a block that never comes", () => t.waitFor(blocksToBeProduced(1)));
      await t.section("later", async () => {
        laterRan = true;
      });
    });
    expect(laterRan).toBe(false);
    expect(outcome.sections).toMatchObject([{ name: "wait for a block that never comes", status: "failed" }]);
    const hard = outcome.errors.filter((e) => e.severity === "hard");
    expect(hard).toHaveLength(1);
    expect(hard[0]?.section).toBe("wait for a block that never comes");
    expect(hard[0]?.message).toContain("hit a hard timeout (60 ms)");
    expect(hard[0]?.message).toContain("1 blocks to be produced");
    // Mina: the hard timeout is the wait's only error; passing the soft one is only logged
    expect(outcome.errors.filter((e) => e.severity === "soft")).toEqual([]);
    expect(h.logged.some((l) => messageOf(l).startsWith("Soft timeout passed"))).toBe(true);
    // the executive's own log says what it waited for, with the timeouts in slots of 10 ms, in Mina's shape
    const waiting = h.logged.find((l) => messageOf(l).startsWith("Waiting for $condition"));
    expect(waiting).toMatchObject({
      level: "Info",
      source: { module: "test" },
      metadata: { condition: "1 blocks to be produced", soft_timeout: "3 slots == 30 ms", hard_timeout: "6 slots == 60 ms" },
    });
  });

  it("attributes an error thrown in a sectionHard to it, once, with its message", async () => {
    const h = harness();
    const outcome = await h.run(async (t) => {
      await t.sectionHard("setup", async () => {});
      await t.sectionHard("send a payment", async () => {
        throw new TestFailure("the node refused the payment", "hard", "bp1");
      });
    });
    expect(outcome.sections).toMatchObject([
      { name: "setup", status: "passed" },
      { name: "send a payment", status: "failed" },
    ]);
    expect(outcome.errors).toEqual([{ severity: "hard", section: "send a payment", message: "the node refused the payment", node: "bp1" }]);
  });

  it("attributes each failure to its own section when the test body carries on after a failed sectionHard", async () => {
    const h = harness();
    const outcome = await h.run(async (t) => {
      await t.sectionHard("check", () => Promise.reject(new Error("first"))).catch(() => {});
      await t.sectionHard("check", () => Promise.reject(new Error("second")));
    });
    expect(outcome.sections.map((s) => s.status)).toEqual(["failed", "failed"]);
    expect(outcome.errors.map((e) => e.message)).toEqual(["first", "second"]);
  });

  it("records an error thrown outside every section as a hard error", async () => {
    const h = harness();
    const outcome = await h.run(async () => {
      throw new Error("the test needs two block producers");
    });
    expect(outcome.sections).toEqual([]);
    expect(outcome.errors).toEqual([{ severity: "hard", section: "(outside any section)", message: "the test needs two block producers" }]);
  });

  it("leaves node log errors out of the test's errors (they are reported apart) and records when the body and each section ran", async () => {
    const h = harness();
    h.store.apply(logError("seed", "Warn", "before any section"));
    const before = Date.now();
    const outcome = await h.run(async (t) => {
      await t.section("warned", async () => {
        h.store.apply(logError("bp1", "Warn", "peer is slow"));
      });
      await t.section("errored", async () => {
        h.store.apply(logError("bp2", "Error", "could not produce a block"));
      });
    });
    expect(outcome.sections).toMatchObject([
      { name: "warned", status: "passed" },
      { name: "errored", status: "passed" },
    ]);
    expect(outcome.errors).toEqual([]);
    expect(h.store.logErrors.map((e) => [e.node, e.severity])).toEqual([
      ["seed", "soft"],
      ["bp1", "soft"],
      ["bp2", "hard"],
    ]);
    const { startedAt, sections } = outcome.timeline;
    expect(startedAt).toBeGreaterThanOrEqual(before);
    expect(sections.map((s) => s.name)).toEqual(["warned", "errored"]);
    expect(sections[0]?.startedAt).toBeGreaterThanOrEqual(startedAt ?? Infinity);
    expect(sections[0]?.endedAt).toBeLessThanOrEqual(sections[1]?.startedAt ?? -Infinity);
  });

  it("attributes a node's crash to the sectionHard it happens in, and fails it", async () => {
    const h = harness();
    const outcome = await h.run(async (t) => {
      await t.sectionHard("crashing", async () => {
        h.store.apply({ node: "bp1", role: "block-producer", type: "Node_crashed", timestamp: "2026-11-26 12:00:00.000000Z", data: { exit_code: 137 } });
      });
    });
    expect(outcome.sections).toMatchObject([{ name: "crashing", status: "failed" }]);
    expect(outcome.errors).toMatchObject([{ severity: "hard", section: "crashing", node: "bp1", message: expect.stringContaining("137") }]);
  });

  it("keeps soft errors soft inside sectionHard (Mina's section_hard only contextualizes)", async () => {
    const h = harness();
    let laterRan = false;
    const outcome = await h.run(async (t) => {
      await t.sectionHard("strict", async () => {
        t.softError("a minor problem", "bp1");
      });
      await t.sectionHard("later", async () => {
        laterRan = true;
      });
    });
    expect(laterRan).toBe(true);
    expect(outcome.sections).toMatchObject([
      { name: "strict", status: "soft" },
      { name: "later", status: "passed" },
    ]);
    expect(outcome.errors.map((e) => [e.severity, e.message])).toEqual([["soft", "a minor problem"]]);
  });

  it("keeps soft errors soft in an ordinary section", async () => {
    const h = harness();
    const outcome = await h.run(async (t) => {
      await t.section("lenient", async () => {
        t.softError("a minor problem");
      });
    });
    expect(outcome.sections).toMatchObject([{ name: "lenient", status: "soft" }]);
    expect(outcome.errors).toEqual([{ severity: "soft", section: "lenient", message: "a minor problem" }]);
  });

  it("ends the test as aborted when the signal fires during a wait", async () => {
    const h = harness((line) => {
      if (messageOf(line).startsWith("Waiting for $condition")) setImmediate(() => h.controller.abort("SIGINT"));
    });
    let laterRan = false;
    const outcome = await h.run(async (t) => {
      await t.section("waiting", () => t.waitFor({ ...blocksToBeProduced(1), softTimeout: { ms: 60_000 }, hardTimeout: { ms: 60_000 } }));
      await t.section("later", async () => {
        laterRan = true;
      });
    });
    expect(outcome.aborted).toBe("SIGINT");
    expect(laterRan).toBe(false);
    expect(outcome.sections).toMatchObject([{ name: "waiting", status: "failed" }]);
    // an interruption is not a test error
    expect(outcome.errors).toEqual([]);
  });

  it("ends a wait at once when the signal has already fired", async () => {
    const h = harness();
    h.controller.abort("SIGTERM");
    const outcome = await h.run(async (t) => {
      await t.waitFor({ ...blocksToBeProduced(1), softTimeout: { ms: 60_000 }, hardTimeout: { ms: 60_000 } });
    });
    expect(outcome.aborted).toBe("SIGTERM");
  });

  it("fails a wait whose condition fails (a crash) without waiting for its timeout", async () => {
    const h = harness();
    const condition: WaitCondition = {
      description: "bp1 to stay up",
      softTimeout: { ms: 60_000 },
      hardTimeout: { ms: 60_000 },
      start: () => (state) => (state.crashed["bp1"] ? { failed: "node bp1 crashed" } : { done: false, waitingFor: "bp1 up" }),
    };
    const outcome = await h.run(async (t) => {
      await t.sectionHard("watch", async () => {
        setTimeout(() => h.store.apply({ node: "bp1", role: "block-producer", type: "Node_crashed", timestamp: "2026-11-26 12:00:00.000000Z", data: { exit_code: 139 } }), 1);
        await t.waitFor(condition);
      });
    });
    expect(outcome.sections).toMatchObject([{ name: "watch", status: "failed" }]);
    const messages = outcome.errors.map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining("the daemon crashed"), "wait_for hit an error waiting for bp1 to stay up: node bp1 crashed"]));
    expect(outcome.errors.every((e) => e.section === "watch" && e.severity === "hard")).toBe(true);
  });

  describe("expectLogLine", () => {
    it("finds a line the node logged before the call", async () => {
      const h = harness();
      h.lines.push("bp1", '{"level":"Info","message":"Block produced: 3NKold"}');
      let found: string | undefined;
      const outcome = await h.run(async (t) => {
        found = (await t.sectionHard("earlier line", () => t.expectLogLine("bp1", /Block produced/, { withinMs: 50 }))).text;
      });
      expect(outcome.errors).toEqual([]);
      expect(found).toContain("3NKold");
    });

    it("waits for a later line of that node, ignoring other nodes' lines", async () => {
      const h = harness();
      let found: string | undefined;
      const outcome = await h.run(async (t) => {
        await t.section("later line", async () => {
          setTimeout(() => {
            h.lines.push("bp2", '{"message":"Block produced by bp2"}');
            h.lines.push("bp1", '{"message":"Block produced by bp1"}');
          }, 1);
          found = (await t.expectLogLine("bp1", /Block produced/, { withinMs: 5_000 })).text;
        });
      });
      expect(outcome.errors).toEqual([]);
      expect(found).toContain("by bp1");
    });

    it("matches with a /g pattern used twice (its lastIndex must not hide a line)", async () => {
      const h = harness();
      h.lines.push("bp1", '{"message":"Block produced: 3NKa"}');
      const pattern = /Block produced/g;
      const outcome = await h.run(async (t) => {
        await t.section("twice", async () => {
          await t.expectLogLine("bp1", pattern, { withinMs: 20 });
          await t.expectLogLine("bp1", pattern, { withinMs: 20 });
        });
      });
      expect(outcome.errors).toEqual([]);
    });

    it("fails naming the node and the pattern when no line matches in time", async () => {
      const h = harness();
      h.lines.push("bp2", "Block produced");
      const outcome = await h.run(async (t) => {
        await t.sectionHard("missing line", () => t.expectLogLine("bp1", /Block produced/, { withinMs: 20 }));
      });
      expect(outcome.sections).toMatchObject([{ name: "missing line", status: "failed" }]);
      expect(outcome.errors).toHaveLength(1);
      expect(outcome.errors[0]).toMatchObject({ severity: "hard", section: "missing line", node: "bp1" });
      expect(outcome.errors[0]?.message).toContain("bp1");
      expect(outcome.errors[0]?.message).toContain("/Block produced/");
      expect(outcome.errors[0]?.message).toContain("20 ms");
    });
  });

  it("counts log lines by level for one node or all", async () => {
    const h = harness();
    h.lines.push("bp1", '{"level":"Error","message":"a"}');
    h.lines.push("bp2", '{"level":"Error","message":"b"}');
    h.lines.push("bp2", '{"level":"Info","message":"c"}');
    let counts: number[] = [];
    await h.run(async (t) => {
      counts = [t.logLineCount("Error"), t.logLineCount("Error", "bp2"), t.logLineCount("Info", "bp1")];
    });
    expect(counts).toEqual([2, 1, 0]);
  });

  describe("assertions", () => {
    it("assertEqual names what was expected and what was found, bigints included", async () => {
      const h = harness();
      const outcome = await h.run(async (t) => {
        await t.sectionHard("balances", async () => {
          t.assertEqual(400_000_000_000n, 410_000_000_000n, "receiver balance", "bp1");
        });
      });
      expect(outcome.errors).toEqual([{ severity: "hard", section: "balances", node: "bp1", message: "receiver balance: expected 410000000000, got 400000000000" }]);
    });

    it("assertEqual shows strings and values holding bigints", async () => {
      const h = harness();
      const outcome = await h.run(async (t) => {
        await t.sectionHard("a", async () => t.assertEqual("3NKa", "3NKb", "best tip")).catch(() => {});
        await t.sectionHard("b", async () => t.assertEqual<unknown>({ total: 1n }, { total: 2n }, "balance"));
      });
      expect(outcome.errors.map((e) => e.message)).toEqual(['best tip: expected "3NKb", got "3NKa"', 'balance: expected {"total":"2"}, got {"total":"1"}']);
    });

    it("assertEqual and assert pass on equal values and true conditions", async () => {
      const h = harness();
      const outcome = await h.run(async (t) => {
        await t.section("fine", async () => {
          t.assertEqual(5n, 5n, "nonce");
          t.assert(true, "never shown");
        });
      });
      expect(outcome.errors).toEqual([]);
      expect(outcome.sections).toMatchObject([{ status: "passed" }]);
    });

    it("assert fails with its message", async () => {
      const h = harness();
      const outcome = await h.run(async (t) => {
        await t.sectionHard("check", async () => t.assert(false, "the payment with a wrong nonce was accepted", "bp2"));
      });
      expect(outcome.errors).toEqual([{ severity: "hard", section: "check", node: "bp2", message: "the payment with a wrong nonce was accepted" }]);
    });
  });
});
