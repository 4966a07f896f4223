// Test support for exposure.docker.test.ts (not exported from index.ts): which TCP sockets
// a set of host processes listens on, read from /proc (Linux only).
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

export interface ListeningSocket {
  pid: number;
  command: string;
  family: "tcp" | "tcp6";
  address: string;
  port: number;
  loopback: boolean;
}

const TCP_LISTEN = "0A";

/** The pid and every descendant of it, from the parent pids in /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // the command (field 2) is in parentheses and may hold spaces: the parent pid follows the last ")"
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "(gone)";
  }
}

/** /proc/net/tcp's little-endian hex address -> dotted IPv4. */
function ipv4(hex: string): string {
  const bytes = hex.match(/../g)?.map((b) => parseInt(b, 16)) ?? [];
  return bytes.reverse().join(".");
}

/** /proc/net/tcp6's four little-endian 32-bit words -> an IPv6 address (uncompressed groups). */
function ipv6(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse());
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) groups.push(`${bytes[i]}${bytes[i + 1]}`.toLowerCase());
  return groups.join(":");
}

function isLoopback(family: "tcp" | "tcp6", address: string): boolean {
  if (family === "tcp") return address.startsWith("127.");
  if (address === "0000:0000:0000:0000:0000:0000:0000:0001") return true;
  // an IPv4-mapped loopback address, ::ffff:127.x.y.z
  return address.startsWith("0000:0000:0000:0000:0000:ffff:7f");
}

/** LISTEN entries of the host's /proc/net/tcp and tcp6, by socket inode. */
function listeningByInode(): Map<string, Omit<ListeningSocket, "pid" | "command">> {
  const sockets = new Map<string, Omit<ListeningSocket, "pid" | "command">>();
  for (const family of ["tcp", "tcp6"] as const) {
    const rows = readFileSync(`/proc/net/${family}`, "utf8").trim().split("\n").slice(1);
    for (const row of rows) {
      const fields = row.trim().split(/\s+/);
      const [local, , state] = [fields[1], fields[2], fields[3]];
      const inode = fields[9];
      if (state !== TCP_LISTEN || !local || !inode) continue;
      const [hexAddress, hexPort] = local.split(":") as [string, string];
      const address = family === "tcp" ? ipv4(hexAddress) : ipv6(hexAddress);
      sockets.set(inode, { family, address, port: parseInt(hexPort, 16), loopback: isLoopback(family, address) });
    }
  }
  return sockets;
}

/** Every TCP socket in LISTEN state that one of these processes holds. */
export function listeningSocketsOf(pids: readonly number[]): ListeningSocket[] {
  const listening = listeningByInode();
  const found: ListeningSocket[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const socket = inode === undefined ? undefined : listening.get(inode);
      if (socket) found.push({ pid, command: commandOf(pid), ...socket });
    }
  }
  return found;
}
