import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ZkappCommandJsonShape } from "./command.js";

/**
 * Mina's transaction hash of a zkApp command (Transaction_hash.hash_command: the digest of its
 * bin_prot serialisation), computed by Mina's own code as o1js compiles it
 * (`Test().transactionHash.hashZkAppCommand`, what o1js' `send` returns and `checkZkappTransaction`
 * looks for). o1js' bindings take about 260 MB, so they load on the first zkApp command only:
 * an idle node never loads them. In the image they sit in /usr/local/lib/mina-local (image.ts).
 */
export const IMAGE_O1JS_BINDINGS = "/usr/local/lib/mina-local/node_modules/o1js/dist/node/bindings.js";

interface O1jsTest {
  transactionHash: { hashZkAppCommand(json: string): string };
}

let loading: Promise<O1jsTest> | undefined;

function bindingsPath(): string {
  const configured = process.env.MINA_LOCAL_O1JS_BINDINGS;
  if (configured) return configured;
  if (existsSync(IMAGE_O1JS_BINDINGS)) return IMAGE_O1JS_BINDINGS;
  // a workspace run (tests, tsx): o1js as this package depends on it
  return join(dirname(createRequire(import.meta.url).resolve("o1js")), "bindings.js");
}

async function o1jsTest(): Promise<O1jsTest> {
  loading ??= (async () => {
    const bindings = (await import(bindingsPath())) as { Test(): Promise<O1jsTest> };
    return bindings.Test();
  })();
  try {
    return await loading;
  } catch (error) {
    loading = undefined;
    throw new Error(`loading o1js' bindings to hash a zkApp command failed: ${(error as Error).message}`);
  }
}

export async function zkappCommandHash(command: ZkappCommandJsonShape): Promise<string> {
  return (await o1jsTest()).transactionHash.hashZkAppCommand(JSON.stringify(command));
}
