import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseTestConfig } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import type { TestDefinition } from "./dsl/define-test.js";
import { builtInTestNames, loadTest } from "./test-registry.js";

const BROKEN_DIR = fileURLToPath(new URL("../test-fixtures/broken/", import.meta.url));

describe("the built-in tests and their broken variants", () => {
  it("include Mina's payments test under Mina's name", () => {
    expect(builtInTestNames()).toEqual(expect.arrayContaining(["payments", "delegation", "block-reward", "send-payment", "slot-end", "epoch-ledger"]));
  });

  it("every built-in test loads, is named after its file, and has a config the engine takes", async () => {
    for (const name of builtInTestNames()) {
      const test = await loadTest(name);
      expect(test.name).toBe(name);
      const parsed = parseTestConfig(test.config);
      expect(parsed.ok ? "ok" : parsed.error.message, name).toBe("ok");
    }
  });

  it("every built-in test has a broken variant (test-fixtures/broken/<name>.ts) of the same name and a config the engine takes", async () => {
    const broken = readdirSync(BROKEN_DIR)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => f.replace(/\.ts$/, ""));
    // send-payment's broken variant is test-fixtures/waits-for-unsent-payment.ts
    expect(builtInTestNames().filter((n) => n !== "send-payment" && !broken.includes(n))).toEqual([]);
    for (const name of broken) {
      // imported as vitest transforms it (loadTest's module hooks need the built executive: the Docker tests run these through the bin)
      const test = ((await import(`${BROKEN_DIR}${name}.ts`)) as { default: TestDefinition }).default;
      expect(test.name).toBe(name);
      const parsed = parseTestConfig(test.config);
      expect(parsed.ok ? "ok" : parsed.error.message, name).toBe("ok");
    }
  });
});
