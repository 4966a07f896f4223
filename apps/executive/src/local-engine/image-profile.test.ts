import { expandNetworkConfig, parseTestConfig, seededRandomBytes } from "@mina-local/engine";
import { describe, expect, it } from "vitest";
import { explicitFields, parseCompileTimeConstants, reconcileWithImage, refusalError, withAdopted } from "./image-profile.js";

const raw = {
  genesis_ledger: [{ account_name: "bp", balance: "1000" }],
  block_producers: [{ node_name: "bp", account_name: "bp" }],
  k: 6,
  slots_per_epoch: 48,
  proof_config: { block_window_duration_ms: 2000 },
};

function runtimeOf(input: object) {
  const parsed = parseTestConfig(input);
  if (!parsed.ok) throw parsed.error;
  return expandNetworkConfig(parsed.value, { mina: "m:1" }, { random: seededRandomBytes("p") }).runtimeConfig;
}

// Mina's output shape (client.ml, compile_time_constants at 9f068b1c3b) for a mainnet-like build
const MAINNET_LIKE =
  '{"genesis_state_timestamp":"2021-03-17T00:00:00.000000Z","k":290,"coinbase":"720","block_window_duration_ms":180000,"delta":0,"sub_windows_per_window":11,"slots_per_sub_window":7,"slots_per_window":77,"slots_per_epoch":7140}\n';

describe("the image's profile against the test", () => {
  it("reads Mina's compile-time-constants JSON", () => {
    expect(parseCompileTimeConstants(MAINNET_LIKE)).toEqual({ constants: expect.objectContaining({ k: 290, block_window_duration_ms: 180000, slots_per_epoch: 7140, slots_per_sub_window: 7 }) });
    expect(parseCompileTimeConstants("Error: no config\n")).toEqual({ problem: expect.stringContaining("no JSON object") });
  });

  it("refuses what the test set and the binary runs otherwise, naming the field and both values", () => {
    const runtime = runtimeOf(raw);
    const parsed = parseCompileTimeConstants(MAINNET_LIKE);
    if (!("constants" in parsed)) throw new Error(parsed.problem);
    const result = reconcileWithImage(runtime, parsed.constants, explicitFields(raw));
    expect(result.refusals).toEqual([
      { field: "k", test: 6, image: 290 },
      { field: "slots_per_epoch", test: 48, image: 7140 },
      { field: "proof_config.block_window_duration_ms", test: 2000, image: 180000 },
    ]);
    // the test left slots_per_sub_window to Mina's default (2): it runs on the image's 7
    expect(result.adopted).toEqual([{ field: "slots_per_sub_window", value: 7 }]);
    expect(refusalError("minaprotocol/mina-daemon:3.0.0", "send-payment", result.refusals).message).toBe(
      "the image cannot run this test's constants:\n" +
        "test send-payment: k: the test asks for 6, the image minaprotocol/mina-daemon:3.0.0 runs 290 (fixed when it was compiled)\n" +
        "test send-payment: slots_per_epoch: the test asks for 48, the image minaprotocol/mina-daemon:3.0.0 runs 7140 (fixed when it was compiled)\n" +
        "test send-payment: proof_config.block_window_duration_ms: the test asks for 2000, the image minaprotocol/mina-daemon:3.0.0 runs 180000 (fixed when it was compiled)",
    );
  });

  it("accepts a binary that runs the test's constants (the simulator keeps its fast slots) and takes its proof level when the test has none", () => {
    const runtime = runtimeOf(raw);
    const simulator = { k: 6, delta: 0, slots_per_epoch: 48, slots_per_sub_window: 2, block_window_duration_ms: 2000, proof_level: "none" as const };
    expect(reconcileWithImage(runtime, simulator, explicitFields(raw))).toEqual({ refusals: [], adopted: [{ field: "proof_config.level", value: "none" }] });
    const full = { ...raw, proof_config: { ...raw.proof_config, level: "full" } };
    expect(reconcileWithImage(runtimeOf(full), simulator, explicitFields(full)).refusals).toEqual([{ field: "proof_config.level", test: "full", image: "none" }]);
  });

  it("writes the adopted values into the test config for the second expansion", () => {
    expect(
      withAdopted(raw, [
        { field: "slots_per_sub_window", value: 7 },
        { field: "proof_config.level", value: "none" },
      ]),
    ).toEqual({
      ...raw,
      slots_per_sub_window: 7,
      proof_config: { block_window_duration_ms: 2000, level: "none" },
    });
  });
});
