import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** self time by where the code lives, ms, largest first */
  byArea: { area: string; ms: number; share: number }[];
  /** the functions with the most self time */
  topFunctions: { fn: string; ms: number; share: number }[];
}

/** Where a function lives, named for the reader of the benchmark page. Pure. */
export function areaOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(idle)") return "idle (waiting for I/O)";
  if (functionName === "(program)") return "V8/libuv native (syscalls, I/O)";
  if (url.includes("/packages/bus/src/relay/classify")) return "bus: line classifier (byte scan)";
  if (url.includes("/packages/bus/src/relay/node-logs")) return "bus: per-node log files";
  if (url.includes("/packages/bus/")) return "bus: FIFO relay (batching, publishing)";
  if (url.includes("/packages/log-forwarder/")) return "log-forwarder: FrameDecoder";
  if (url.includes("/packages/event-parser/")) return "event-parser: parse + publish";
  if (url.includes("@nats-io")) return "nats.js client (protocol, JetStream acks)";
  if (url.includes("/zod/")) return "zod";
  if (url.startsWith("node:")) return "Node core (streams, net, buffers)";
  if (url === "" && functionName !== "") return `V8 builtins (${functionName === "parse" || functionName === "stringify" ? "JSON." + functionName : "other"})`;
  return url === "" ? "other" : "other JS";
}

/** Self time per area and per function from a V8 .cpuprofile (`node --cpu-prof`). */
export function summarizeProfile(path: string, window?: { from: number; to: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // sample times are the profile's start plus the running sum of deltas, on the process's monotonic clock
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.from || at > window.to)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const file = node.callFrame.url.split("/").slice(-2).join("/");
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${file ? `${file}:${node.callFrame.lineNumber + 1}` : ""}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    byArea: rank(areas).map(([area, us]) => ({ area, ms: us / 1000, share: us / total })),
    topFunctions: rank(functions)
      .slice(0, 12)
      .map(([fn, us]) => ({ fn, ms: us / 1000, share: us / total })),
  };
}
