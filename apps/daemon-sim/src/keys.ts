import { readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { CODA_LIBP2P_PASS, MINA_LIBP2P_PASS, MINA_PRIVKEY_PASS, SecretBoxError, libp2pKeypairOfString, openLibp2pKeyFile, openMinaKeyFile } from "@mina-local/engine";

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string };

export interface MinaKeypair {
  publicKey: string;
  privateKey: string;
  /** the password that opened the key file (what unlockAccount must be given for this key) */
  password?: string;
}

/*
 * The key files are read as Mina's daemon reads them (src/lib/secrets/secret_file.ml,
 * keypair_common.ml, privkey_error.ml, mina_cli_entrypoint.ml): the password comes only from
 * the environment (the daemon never prompts), the file must be 0600 or stricter in a 0700
 * directory, then its secret box is opened. Errors carry Mina's texts, prefixed as Mina's
 * Mina_user_error prints them ("encountered a configuration error loading <which>"), plus
 * what the simulator knows (file, field, which variable).
 */

type Which = "block producer keypair" | "libp2p keypair";

function userError(which: Which, message: string): { ok: false; error: string } {
  return { ok: false, error: `encountered a configuration error loading ${which}: ${message}` };
}

function passwordFrom(envs: string[]): { password: string; source: string } | undefined {
  for (const env of envs) {
    const password = process.env[env];
    if (password !== undefined) return { password, source: env };
  }
  return undefined;
}

function noPassword(which: Which, envs: string[]) {
  return userError(
    which,
    envs.length === 1 ? `No password was specified in environment variable ${envs[0]}` : `No password was specified in any of the following environment variables: ${envs.join(", ")}`,
  );
}

/** Secret_file.read's checks before it reads: the file, then its directory. */
async function readSecretFile(which: Which, path: string): Promise<Loaded<string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return userError(which, `Cannot open file: ${path}. Error: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const fileMode = (await stat(path)).mode & 0o777;
  if ((fileMode & 0o077) !== 0) problems.push(`insecure permissions on \`${path}\`. They should be 0600, they are ${fileMode.toString(8)}\nHint: chmod 600 ${path}`);
  const dir = dirname(path);
  const dirMode = (await stat(dir)).mode & 0o777;
  if (dirMode !== 0o700) problems.push(`insecure permissions on \`${dir}\`. They should be 0700, they are ${dirMode.toString(8)}\nHint: chmod 700 ${dir}`);
  if (problems.length > 0) return userError(which, `The key was corrupted: ${problems.join("\n")}`);
  return { ok: true, value: text };
}

function boxError(which: Which, error: unknown): { ok: false; error: string } {
  if (error instanceof SecretBoxError) {
    return error.reason === "wrong-password"
      ? userError(which, `The password was incorrect, or the key is corrupted (${error.message})`)
      : userError(which, `The key was corrupted: couldn't parse ${error.message}`);
  }
  return userError(which, `The key was corrupted: ${(error as Error).message}`);
}

/** -block-producer-key: a secret box of the private key, opened with MINA_PRIVKEY_PASS. */
export async function loadMinaKeyFile(path: string): Promise<Loaded<MinaKeypair>> {
  const which = "block producer keypair";
  const password = passwordFrom([MINA_PRIVKEY_PASS]);
  if (!password) return noPassword(which, [MINA_PRIVKEY_PASS]);
  const text = await readSecretFile(which, path);
  if (!text.ok) return text;
  try {
    const keypair = openMinaKeyFile(text.value, password.password, { where: path, passwordSource: password.source });
    return { ok: true, value: { ...keypair, password: password.password } };
  } catch (error) {
    return boxError(which, error);
  }
}

/**
 * -libp2p-keypair: like Mina, first the value itself in Mina_net2.Keypair's string form (the
 * old inline format), else a file: a secret box of that string, opened with MINA_LIBP2P_PASS
 * (or the deprecated CODA_LIBP2P_PASS). The peer id is the node's identity in gossip.
 */
export async function loadLibp2pKeypair(value: string): Promise<Loaded<{ peerId: string }>> {
  const which = "libp2p keypair";
  try {
    return { ok: true, value: { peerId: libp2pKeypairOfString(value, "-libp2p-keypair").peerId } };
  } catch {
    // a path
  }
  const envs = [MINA_LIBP2P_PASS, CODA_LIBP2P_PASS];
  const password = passwordFrom(envs);
  if (!password) return noPassword(which, envs);
  const text = await readSecretFile(which, value);
  if (!text.ok) return text;
  try {
    return { ok: true, value: { peerId: openLibp2pKeyFile(text.value, password.password, { where: value, passwordSource: password.source }).peerId } };
  } catch (error) {
    return boxError(which, error);
  }
}
