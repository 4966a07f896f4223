import { describe, expect, it } from "vitest";
import { parseDaemonArgs, parsePeerAddress, parseSnarkWorkerArgs } from "./cli.js";

const base = ["-config-file", "/c.json"];

describe("mina daemon flags", () => {
  it("reads Mina's single-dash flags as the test networks pass them", () => {
    const parsed = parseDaemonArgs([
      ...base,
      "-config-directory",
      "/root/.mina-config",
      "-external-port",
      "8302",
      "-client-port",
      "8301",
      "-rest-port",
      "3085",
      "-insecure-rest-server",
      "-log-json",
      "-log-level",
      "Debug",
      "-libp2p-keypair",
      "/k/n.libp2p",
      "-seed",
      "-peer",
      "/dns4/seed/tcp/8302/p2p/12D3KooWabc",
      "-peer",
      "/ip4/10.0.0.2/tcp/8302/p2p/12D3KooWdef",
      "-run-snark-coordinator",
      "B62qrPN5Y5yq8kGE3FbVKbGTdTAJNdtNtB5sNVpxyRwWGcDEhpMzc8g",
      "-snark-worker-fee",
      "0.025",
      "-work-selection",
      "seq",
      "-log-precomputed-blocks",
      "true",
      "-generate-genesis-proof",
      "false",
    ]);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value).toMatchObject({ seed: true, insecureRestServer: true, logJson: true, logLevel: "Debug", snarkWorkerFee: 25_000_000n, logPrecomputedBlocks: true });
    expect(parsed.value.peers).toHaveLength(2);
  });

  it("refuses an unknown flag and a bad value, and accepts other real daemon flags with a note", () => {
    expect(parseDaemonArgs([...base, "-frobnicate"])).toEqual({ ok: false, error: "unknown flag -frobnicate" });
    expect(parseDaemonArgs([...base, "-rest-port", "99999"])).toMatchObject({ ok: false, error: expect.stringContaining("-rest-port") });
    expect(parseDaemonArgs([...base, "-log-level", "Loud"])).toMatchObject({ ok: false, error: expect.stringContaining("Spam, Trace, Debug") });
    expect(parseDaemonArgs([...base, "-peer", "seed:8302"])).toMatchObject({ ok: false, error: expect.stringContaining("multiaddr") });
    expect(parseDaemonArgs([])).toMatchObject({ ok: false, error: expect.stringContaining("-config-file") });
    const ignored = parseDaemonArgs([...base, "-metrics-port", "10001", "-enable-peer-exchange", "true"]);
    expect(ignored).toMatchObject({ ok: true, value: { ignored: ["-metrics-port", "-enable-peer-exchange"] } });
  });

  it("parses multiaddrs and the snark worker's flags", () => {
    expect(parsePeerAddress("/dns4/seed/tcp/8302/p2p/12D3KooWabc")).toEqual({ host: "seed", port: 8302, peerId: "12D3KooWabc" });
    expect(parseSnarkWorkerArgs(["-daemon-address", "coordinator:8301", "-proof-level", "none"])).toMatchObject({
      ok: true,
      value: { daemonAddress: { host: "coordinator", port: 8301 }, proofLevel: "none" },
    });
    expect(parseSnarkWorkerArgs(["-daemon-address", "coordinator"])).toMatchObject({ ok: false });
  });
});
