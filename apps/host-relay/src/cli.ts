import { MinaLocalError } from "@mina-local/engine";
import { parseHostRelayEnv } from "./config.js";
import { startHostRelay } from "./relay.js";
import type { HostRelayLog } from "./relay.js";

// one JSON line per message, in Mina's log shape, so the relay's own log reads like a node's
const log: HostRelayLog = (level, message, metadata = {}) =>
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, source: { module: "Host_relay", location: "host-relay" }, message, metadata })}\n`);

async function main(): Promise<number> {
  const config = parseHostRelayEnv(process.env);
  if (!config.ok) throw config.error;
  const relay = await startHostRelay(config.value, log);
  // SIGTERM: docker stopping the service at teardown, after the node containers are gone
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void relay.stop().catch(() => undefined));
  const stats = await relay.done;
  process.stdout.write(`${JSON.stringify({ host: config.value.host, final: true, ...stats })}\n`);
  // loss is reported on the bus (the counters), not by the exit code: swarm would restart a failed task
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  log("Error", error instanceof Error ? error.message : String(error), error instanceof MinaLocalError && error.hint ? { hint: error.hint } : {});
  process.exitCode = error instanceof MinaLocalError && error.kind === "invalid-config" ? 2 : 1;
}
