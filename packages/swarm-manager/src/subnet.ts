import type Docker from "dockerode";
import { MinaLocalError } from "@mina-local/engine";
import { dockerCall } from "./docker-call.js";

/**
 * The run network's subnet, chosen by us so that the snark coordinator's
 * MINA_CLIENT_TRUSTLIST can name it (Mina's local engine trusts every private range
 * instead). A /24 in 10.128.0.0/9, clear of every subnet Docker's networks use; the scan
 * starts at a random place so that two runs starting together rarely pick the same one.
 */
const toInt = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);

export function parseCidr(cidr: string): { start: number; end: number } | undefined {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const bits = Number(match[2]);
  const size = 2 ** (32 - bits);
  const start = Math.floor(toInt(match[1] ?? "") / size) * size;
  return { start, end: start + size - 1 };
}

/** Pure: the first free /24 of 10.128.0.0/9 from `offset` (wrapping), or undefined when all are used. */
export function pickFreeSubnet(used: readonly string[], offset = 0): string | undefined {
  const ranges = used.flatMap((cidr) => parseCidr(cidr) ?? []);
  const count = 2 ** 15; // the /24s of a /9
  for (let i = 0; i < count; i++) {
    const index = (offset + i) % count;
    const start = toInt("10.128.0.0") + index * 256;
    const end = start + 255;
    if (ranges.some((r) => r.start <= end && start <= r.end)) continue;
    return `10.${Math.floor(start / 65536) % 256}.${Math.floor(start / 256) % 256}.0/24`;
  }
  return undefined;
}

export async function freeRunSubnet(docker: Docker, callTimeoutMs?: number): Promise<string> {
  const networks = await dockerCall("listing Docker's networks to choose the run network's subnet", docker.listNetworks(), callTimeoutMs);
  const used = networks.flatMap((n) => (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : [])));
  const subnet = pickFreeSubnet(used, Math.floor(Math.random() * 2 ** 15));
  if (!subnet) throw new MinaLocalError("swarm", "no free /24 subnet left in 10.128.0.0/9 for the run network", { hint: "remove unused Docker networks (`docker network prune`)" });
  return subnet;
}
