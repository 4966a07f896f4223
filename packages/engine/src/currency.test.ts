import { describe, expect, it } from "vitest";
import { formatMina, parseMina } from "./currency.js";

describe("MINA amounts", () => {
  it("parses decimal MINA to nanomina and back", () => {
    expect(parseMina("720")).toBe(720_000_000_000n);
    expect(parseMina("0.025")).toBe(25_000_000n);
    expect(formatMina(25_000_000n)).toBe("0.025");
    expect(formatMina(720_000_000_000n)).toBe("720");
  });
  it("refuses what is not an amount", () => {
    for (const bad of ["-1", "1.0000000001", "abc", "", "1e9"]) expect(parseMina(bad)).toBeUndefined();
  });
});
