import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ZkappCommandJsonShape } from "./command.js";
import { o1jsRoot } from "./o1js.js";

/**
 * Mina's transaction hash of a zkApp command (Transaction_hash.hash_command: the digest of its
 * bin_prot serialisation), computed by Mina's own code as o1js compiles it
 * (`Test().transactionHash.hashZkAppCommand`, what o1js' `send` returns and `checkZkappTransaction`
 * looks for). o1js' bindings take about 260 MB, so they load on the first zkApp command only:
 * an idle node never loads them. In the image they sit in /usr/local/lib/mina-local (o1js.ts).
 */
function bindingsPath(): string {
  return process.env.MINA_LOCAL_O1JS_BINDINGS ?? join(o1jsRoot(), "dist", "node", "bindings.js");
}

/*
 * The bindings load in a child process of their own: loading them takes over a second of CPU,
 * which on the main thread would hold up the node's slot timers and gossip (a block produced
 * late, between two commands a client sends one after the other); a worker thread cannot take
 * them (o1js' WebAssembly expects its own thread pool's memory there). An ES module (a CommonJS
 * `require` would resolve o1js' own requires against the wrong directory). The child leaves with
 * its parent (it exits when the IPC channel closes).
 */
const CHILD = `
const ready = import(process.argv[1]).then((b) => b.Test());
process.on("disconnect", () => process.exit(0));
process.on("message", async ({ id, json }) => {
  try {
    const test = await ready;
    process.send({ id, hash: test.transactionHash.hashZkAppCommand(json) });
  } catch (error) {
    process.send({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

let child: ChildProcess | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (hash: string) => void; reject: (error: Error) => void }>();

function failAll(message: string): void {
  for (const entry of waiting.values()) entry.reject(new Error(message));
  waiting.clear();
  child = undefined;
}

function hasher(): ChildProcess {
  if (child) return child;
  const started = spawn(process.execPath, ["--input-type=module", "-e", CHILD, pathToFileURL(bindingsPath()).href], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  started.on("message", (message: { id: number; hash?: string; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.hash !== undefined) entry?.resolve(message.hash);
    else entry?.reject(new Error(`hashing a zkApp command with o1js' bindings failed: ${message.error ?? "no answer"}`));
  });
  started.on("error", (error) => failAll(`starting o1js' bindings to hash a zkApp command failed: ${error.message}`));
  started.on("exit", (code, signal) => failAll(`o1js' bindings process for zkApp command hashes exited (${signal ?? `code ${String(code)}`})`));
  // the node's own work decides when it exits, not this helper
  started.unref();
  started.channel?.unref();
  child = started;
  return started;
}

export function zkappCommandHash(command: ZkappCommandJsonShape): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    hasher().send({ id, json: JSON.stringify(command) });
  });
}
