import type Docker from "dockerode";
import { LABELS } from "@mina-local/compose-generator";
import { dockerCall } from "./docker-call.js";

export interface ContainerDeath {
  node: string;
  containerId: string;
  /** Docker's exit code of the container's PID 1 (137 for SIGKILL) */
  exitCode: number | undefined;
  /** "die" or "oom" */
  action: string;
}

/**
 * Calls `onDeath` when a container of the run dies (`docker kill`, an OOM kill, the
 * forwarder crashing): from Docker's event stream, so nothing is polled. The caller stops
 * the watch before it removes the stack on purpose.
 */
export async function watchContainerDeaths(docker: Docker, runId: string, onDeath: (death: ContainerDeath) => void, callTimeoutMs?: number): Promise<() => void> {
  const stream = (await dockerCall(
    `watching the containers of run ${runId}`,
    docker.getEvents({ filters: { type: ["container"], event: ["die", "oom"], label: [`${LABELS.run}=${runId}`] } }),
    callTimeoutMs,
  )) as NodeJS.ReadableStream & { destroy?: () => void };
  let buffered = "";
  stream.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const event = safeJson(line) as { Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } } | undefined;
      const attributes = event?.Actor?.Attributes ?? {};
      const node = attributes[LABELS.node];
      if (!node || !event?.Action) continue;
      const exitCode = attributes.exitCode === undefined ? undefined : Number(attributes.exitCode);
      onDeath({ node, containerId: event.Actor?.ID ?? "", exitCode, action: event.Action });
    }
  });
  stream.on("error", () => undefined);
  return () => stream.destroy?.();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
