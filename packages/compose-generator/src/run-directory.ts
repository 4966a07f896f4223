import { chmod, mkdir, writeFile } from "node:fs/promises";
import { libp2pKeyFile, minaKeyFile, type NetworkConfig } from "@mina-local/engine";
import { ARCHIVE_SCHEMA_FILES, POSTGRES_INIT_SQL, archiveSchemaFile } from "./archive-services.js";
import type { ComposeFile } from "./compose-types.js";
import { runPaths } from "./run-paths.js";

/**
 * One node's files. The key files are what a real Mina daemon reads: Mina secret boxes
 * (0600 in a 0700 dir), both opened with the run's one password (`network.keyPassword`, given
 * to the daemon as MINA_PRIVKEY_PASS and MINA_LIBP2P_PASS in the compose file).
 */
export interface NodeFiles {
  keysDir: string;
  /**
   * `<node>.key`, for nodes holding a genesis account (-block-producer-key): a secret box of
   * the private key (Private_key.to_bigstring), password MINA_PRIVKEY_PASS
   */
  privateKey?: string;
  /** `<node>.key.pub`: the base58 public key and a newline, as Mina writes next to a key file */
  publicKey?: string;
  /** `<node>.libp2p` (-libp2p-keypair): a secret box of Mina_net2.Keypair.to_string, password MINA_LIBP2P_PASS */
  libp2p: string;
  /** `<node>.libp2p.peerid`: the peer id and a newline, as Mina writes next to a libp2p keypair file */
  libp2pPeerId: string;
  stateDir: string;
  /** where the node's forwarder serves its unix socket (created by the forwarder) */
  socket: string;
}

export interface RunFiles {
  runDir: string;
  composeFile: string;
  runtimeConfig: string;
  shared: string;
  socketsDir: string;
  /** the path the bus creates the FIFO at (the writer does not create it) */
  fifo: string;
  nodes: Record<string, NodeFiles>;
}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

async function privateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR });
  // mkdir's mode goes through the umask and does not apply to an existing directory
  await chmod(path, PRIVATE_DIR);
}

async function writePrivate(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: PRIVATE_FILE });
  await chmod(path, PRIVATE_FILE);
}

/**
 * Writes the run directory: compose file, runtime config, each node's key files (Mina secret
 * boxes, 0600 files in a 0700 dir), empty state dirs and the sockets dir. The run dir itself is 0700.
 */
export async function writeRunDirectory(network: NetworkConfig, compose: ComposeFile, runDir: string): Promise<RunFiles> {
  const paths = runPaths(runDir);
  await privateDir(runDir);
  await mkdir(paths.socketsDir, { recursive: true });
  await mkdir(`${runDir}/config`, { recursive: true });
  await writeFile(paths.runtimeConfig, `${JSON.stringify(network.runtimeConfig, null, 2)}\n`);
  await writeFile(paths.composeFile, `${JSON.stringify(compose, null, 2)}\n`);

  const nodes: Record<string, NodeFiles> = {};
  for (const node of network.nodes) {
    const keysDir = paths.keysDirOf(node.name);
    await privateDir(keysDir);
    const libp2p = `${keysDir}/${node.name}.libp2p`;
    const libp2pFile = libp2pKeyFile(node.libp2p, network.keyPassword);
    await writePrivate(libp2p, libp2pFile.key);
    await writeFile(`${libp2p}.peerid`, libp2pFile.peerid);
    const files: NodeFiles = { keysDir, libp2p, libp2pPeerId: `${libp2p}.peerid`, stateDir: paths.stateDirOf(node.name), socket: paths.socketOf(node.name) };
    if (node.account) {
      files.privateKey = `${keysDir}/${node.name}.key`;
      files.publicKey = `${files.privateKey}.pub`;
      const keyFile = minaKeyFile(node.account.keypair, network.keyPassword);
      await writePrivate(files.privateKey, keyFile.key);
      await writeFile(files.publicKey, keyFile.pub);
    }
    await mkdir(files.stateDir, { recursive: true });
    nodes[node.name] = files;
  }
  if (network.archives.length > 0) await writeArchiveSchema(paths);
  return {
    runDir,
    composeFile: paths.composeFile,
    runtimeConfig: paths.runtimeConfig,
    shared: paths.shared,
    socketsDir: paths.socketsDir,
    fifo: paths.fifo,
    nodes,
  };
}

/** Readable by the postgres user of the PostgreSQL container (its init scripts do not run as root). */
async function writeArchiveSchema(paths: ReturnType<typeof runPaths>): Promise<void> {
  const initDir = paths.postgresInitScript.slice(0, paths.postgresInitScript.lastIndexOf("/"));
  for (const dir of [paths.archiveSchemaDir, initDir]) {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
  }
  for (const name of ARCHIVE_SCHEMA_FILES) {
    await writeFile(`${paths.archiveSchemaDir}/${name}`, archiveSchemaFile(name), { mode: 0o644 });
  }
  await writeFile(paths.postgresInitScript, POSTGRES_INIT_SQL, { mode: 0o644 });
}
