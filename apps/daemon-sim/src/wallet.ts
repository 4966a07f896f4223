import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { MINA_LIBP2P_PASS, SecretBoxError, libp2pIdentityFrom, libp2pKeyFile, libp2pKeypairToString, openMinaKeyFile, secureRandomBytes } from "@mina-local/engine";
import { loadMinaKeyFile, type Loaded, type MinaKeypair } from "./keys.js";

/*
 * The node's wallet, as Mina keeps it (src/lib/secrets/wallets.ml at 9f068b1c3b): one secret
 * box per imported key at `<config-directory>/wallets/store/<public key>`, with `<public key>.pub`
 * beside it. `mina accounts import` (client.ml, import_key) opens the key file with
 * MINA_PRIVKEY_PASS and stores it under the same password; `unlockAccount` opens the stored box
 * with the password it is given.
 */

export const walletStoreOf = (configDirectory: string) => join(configDirectory, "wallets", "store");

/** `mina accounts import -config-directory <dir> -privkey-path <file>`: the wallet file it wrote, and whether the key was there already. */
export async function importAccount(configDirectory: string, privkeyPath: string): Promise<Loaded<{ publicKey: string; alreadyImported: boolean }>> {
  const key = await loadMinaKeyFile(privkeyPath);
  if (!key.ok) return key;
  const store = walletStoreOf(configDirectory);
  const target = join(store, key.value.publicKey);
  if (existsSync(target)) return { ok: true, value: { publicKey: key.value.publicKey, alreadyImported: true } };
  await mkdir(store, { recursive: true, mode: 0o700 });
  await chmod(dirname(store), 0o700);
  await chmod(store, 0o700);
  // the same box, hence the same password, as Mina's import under MINA_PRIVKEY_PASS
  await writeFile(target, await readFile(privkeyPath, "utf8"), { mode: 0o600 });
  await writeFile(`${target}.pub`, `${key.value.publicKey}\n`, { mode: 0o600 });
  return { ok: true, value: { publicKey: key.value.publicKey, alreadyImported: false } };
}

/** unlockAccount: the wallet's box of that key, opened with the password given. Mina's error texts. */
export async function unlockFromWallet(configDirectory: string, publicKey: string, password: string): Promise<{ ok: true; value: MinaKeypair } | { ok: false; error: string }> {
  const path = join(walletStoreOf(configDirectory), publicKey);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { ok: false, error: "Could not find owned account associated with provided key" };
  }
  try {
    return { ok: true, value: { ...openMinaKeyFile(text, password, { where: path }), password } };
  } catch (error) {
    if (error instanceof SecretBoxError && error.reason === "wrong-password") return { ok: false, error: "Wrong password provided" };
    return { ok: false, error: `the wallet file ${path} is corrupted: ${(error as Error).message}` };
  }
}

/** `mina libp2p generate-keypair --privkey-path <file>`: a new identity, its box under MINA_LIBP2P_PASS, and `<file>.peerid`. */
export async function generateLibp2pKeypair(privkeyPath: string): Promise<Loaded<{ line: string }>> {
  const password = process.env[MINA_LIBP2P_PASS];
  if (password === undefined) return { ok: false, error: `No password was specified in environment variable ${MINA_LIBP2P_PASS}` };
  const identity = libp2pIdentityFrom(secureRandomBytes);
  const files = libp2pKeyFile(identity, password);
  await mkdir(dirname(privkeyPath), { recursive: true, mode: 0o700 });
  await writeFile(privkeyPath, files.key, { mode: 0o600 });
  await writeFile(`${privkeyPath}.peerid`, files.peerid, { mode: 0o600 });
  return { ok: true, value: { line: libp2pKeypairToString(identity) } };
}
