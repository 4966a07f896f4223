import { MinaLocalError } from "@mina-local/engine";
import { forwarderPost, forwarderStatus } from "@mina-local/swarm-manager";

/** How the engine starts and stops a node's daemon (Mina's `start` / `stop`). */
export interface NodeControl {
  start(node: string, options: { freshState: boolean }): Promise<void>;
  stop(node: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function awaitRunning(socket: string, node: string, running: boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = "no status";
  while (Date.now() < deadline) {
    try {
      const status = await forwarderStatus(socket, Math.min(10_000, Math.max(1, deadline - Date.now())));
      if (status.running === running) return;
      seen = `it reports running=${String(status.running)}`;
    } catch (error) {
      seen = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new MinaLocalError("docker", `timed out after ${timeoutMs} ms waiting for the daemon of node ${node} to ${running ? "start" : "stop"}: ${seen}`, { where: `node ${node}` });
}

/**
 * Node control through the node's forwarder socket (`POST /mina-local/start[?fresh=1]`,
 * `POST /mina-local/stop`), the multi-host run's way: the socket in the run directory is
 * the executive's bridge, and the node's host's relay carries each request to the
 * forwarder there. The single-host run signals the container through Docker instead,
 * which only reaches the manager's own containers.
 */
export function forwarderNodeControl(socketOf: (node: string) => string, stopWaitMs: number): NodeControl {
  return {
    async start(node, { freshState }) {
      const socket = socketOf(node);
      if (freshState && (await forwarderStatus(socket, 10_000)).running) {
        await forwarderPost(socket, "/mina-local/stop", stopWaitMs);
        await awaitRunning(socket, node, false, stopWaitMs);
      }
      await forwarderPost(socket, freshState ? "/mina-local/start?fresh=1" : "/mina-local/start", 120_000);
      await awaitRunning(socket, node, true, 120_000);
    },
    async stop(node) {
      const socket = socketOf(node);
      await forwarderPost(socket, "/mina-local/stop", stopWaitMs);
      await awaitRunning(socket, node, false, stopWaitMs);
    },
  };
}
