import { describe, expect, it } from "vitest";
import { builtInTestNames, loadTest } from "./test-registry.js";

describe("built-in tests", () => {
  it("include Mina's payments test under Mina's name", () => {
    expect(builtInTestNames()).toEqual(expect.arrayContaining(["payments", "delegation", "block-reward", "send-payment"]));
  });

  it("each loads and is named after its file", async () => {
    for (const name of builtInTestNames()) expect((await loadTest(name)).name).toBe(name);
  });
});
