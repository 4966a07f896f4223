import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { NetworkConfig } from "@mina-local/engine";
import type { ComposeFile } from "./compose-types.js";
import { runPaths } from "./run-paths.js";

export interface NodeFiles {
  keysDir: string;
  /** base58 private key, present for nodes holding a genesis account */
  privateKey?: string;
  publicKey?: string;
  libp2p: string;
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
 * Writes the run directory: compose file, runtime config, each node's keys (0600 files in
 * a 0700 dir), empty state dirs and the sockets dir. The run dir itself is 0700.
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
    await writePrivate(libp2p, `${JSON.stringify({ peerId: node.libp2p.peerId, privateKey: node.libp2p.privateKey, publicKey: node.libp2p.publicKey })}\n`);
    const files: NodeFiles = { keysDir, libp2p, stateDir: paths.stateDirOf(node.name), socket: paths.socketOf(node.name) };
    if (node.account) {
      files.privateKey = `${keysDir}/${node.name}.key`;
      files.publicKey = `${keysDir}/${node.name}.pub`;
      await writePrivate(files.privateKey, `${node.account.keypair.privateKey}\n`);
      await writeFile(files.publicKey, `${node.account.keypair.publicKey}\n`);
    }
    await mkdir(files.stateDir, { recursive: true });
    nodes[node.name] = files;
  }
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
