import { readFile } from "node:fs/promises";
import { z } from "zod";
import { isBase58PrivateKey } from "./encoding.js";
import { publicKeyOf } from "./transaction.js";

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string };

export interface MinaKeypair {
  publicKey: string;
  privateKey: string;
}

async function readText(path: string, what: string): Promise<Loaded<string>> {
  try {
    return { ok: true, value: (await readFile(path, "utf8")).trim() };
  } catch (error) {
    return { ok: false, error: `${path}: cannot read the ${what}: ${(error as Error).message}` };
  }
}

/** A block producer key file: the base58 private key ("EK..."). Mina's encrypted secret box is refused with a clear message. */
export async function loadMinaKeyFile(path: string): Promise<Loaded<MinaKeypair>> {
  const text = await readText(path, "block producer key file");
  if (!text.ok) return text;
  if (text.value.startsWith("{")) {
    if (/"box_primitive"|"ciphertext"/.test(text.value)) {
      return {
        ok: false,
        error: `${path}: encrypted key files are not supported by the simulator; write the base58 private key (EK...) in the file instead (mina-local's generated keys are plain)`,
      };
    }
    return { ok: false, error: `${path}: expected a base58 private key (EK...), found JSON` };
  }
  if (!isBase58PrivateKey(text.value)) return { ok: false, error: `${path}: expected a base58 private key (EK...) on one line` };
  try {
    return { ok: true, value: { privateKey: text.value, publicKey: publicKeyOf(text.value) } };
  } catch (error) {
    return { ok: false, error: `${path}: not a valid Mina private key: ${(error as Error).message}` };
  }
}

const Libp2pKeypairSchema = z.object({ peerId: z.string().min(10), privateKey: z.string(), publicKey: z.string() });

/** The -libp2p-keypair file: JSON {peerId, privateKey, publicKey}; the peer id is the node's identity in gossip. */
export async function loadLibp2pKeypair(path: string): Promise<Loaded<{ peerId: string }>> {
  const text = await readText(path, "libp2p keypair file");
  if (!text.ok) return text;
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch {
    return { ok: false, error: `${path}: expected JSON {"peerId","privateKey","publicKey"} (the simulator does not read Mina's comma-separated libp2p key format)` };
  }
  const parsed = Libp2pKeypairSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `${path}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ")}` };
  return { ok: true, value: { peerId: parsed.data.peerId } };
}
