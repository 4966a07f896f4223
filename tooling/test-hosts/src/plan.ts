import path from "node:path";
import { MinaLocalError } from "@mina-local/engine";

/**
 * Where every piece of a set of test hosts lives: names, addresses and paths, all derived
 * from `name` and `subnet`, so `down` can find everything again from the same two values
 * after a crash. Pure.
 *
 * Layout: a "switch" network namespace holds a bridge; each host's namespace is linked to
 * it by a veth pair, and so is the machine's own namespace (its end gets `.1`). The bridge
 * sits in its own namespace so the machine's firewall (Docker's FORWARD policy is DROP)
 * is never touched: traffic between hosts is forwarded inside the switch namespace, and
 * traffic to the machine arrives on its INPUT path. The addresses are from 198.18.0.0/15,
 * the range RFC 2544 reserves for benchmarking networks, so they clash with no real one.
 */
export interface TestHostsPlan {
  name: string;
  subnet: number;
  /** the machine's address on the hosts' network: the executive's bus listens here */
  machineAddress: string;
  prefixLength: 24;
  switchNetns: string;
  /** the machine's end of its link to the switch */
  machineLink: string;
  baseDir: string;
  runDir: string;
  hosts: TestHostPlan[];
}

export interface TestHostPlan {
  /** host-1, host-2, ...: also its hostname and its `mina-local.host` node label */
  host: string;
  index: number;
  address: string;
  netns: string;
  /** the switch's end of the host's link (the host's end is renamed eth0) */
  switchLink: string;
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  socket: string;
  log: string;
  /** host-1 initialises the swarm; the others join it as workers */
  manager: boolean;
}

export interface PlanOptions {
  /** 1 to 4 lowercase letters or digits; names every namespace and link (default "mlh") */
  name?: string;
  /** how many hosts, 1 to 9 (default 3) */
  count?: number;
  /** the third octet of 198.18.<subnet>.0/24 (default 20) */
  subnet?: number;
  /** default /var/lib/mina-local-test-hosts/<name> (overlay2 needs a real file system, not tmpfs) */
  baseDir?: string;
  /** default /run/mina-local-test-hosts/<name> (short: containerd's socket paths live under it) */
  runDir?: string;
}

/** The swarm node label that names a test host. */
export const HOST_LABEL = "mina-local.host";

export function planTestHosts(options: PlanOptions = {}): TestHostsPlan {
  const name = options.name ?? "mlh";
  const count = options.count ?? 3;
  const subnet = options.subnet ?? 20;
  if (!/^[a-z0-9]{1,4}$/.test(name)) {
    throw new MinaLocalError("invalid-arguments", `test hosts name "${name}" must be 1 to 4 lowercase letters or digits`, {
      where: "--name",
      hint: "Linux interface names are at most 15 characters and the name prefixes each of them",
    });
  }
  if (!Number.isInteger(count) || count < 1 || count > 9) {
    throw new MinaLocalError("invalid-arguments", `test hosts count ${count} must be an integer from 1 to 9`, { where: "--count" });
  }
  if (!Number.isInteger(subnet) || subnet < 0 || subnet > 255) {
    throw new MinaLocalError("invalid-arguments", `subnet ${subnet} must be an integer from 0 to 255 (the third octet of 198.18.x.0/24)`, { where: "--subnet" });
  }
  const baseDir = options.baseDir ?? path.join("/var/lib/mina-local-test-hosts", name);
  const runDir = options.runDir ?? path.join("/run/mina-local-test-hosts", name);
  const hosts: TestHostPlan[] = [];
  for (let index = 1; index <= count; index++) {
    const host = `host-${index}`;
    const dir = path.join(baseDir, host);
    hosts.push({
      host,
      index,
      address: `198.18.${subnet}.${10 + index}`,
      netns: `${name}-h${index}`,
      switchLink: `${name}-h${index}s`,
      dataRoot: path.join(dir, "data"),
      execRoot: path.join(runDir, `h${index}`),
      pidfile: path.join(dir, "docker.pid"),
      socket: path.join(dir, "docker.sock"),
      log: path.join(dir, "dockerd.log"),
      manager: index === 1,
    });
  }
  return {
    name,
    subnet,
    machineAddress: `198.18.${subnet}.1`,
    prefixLength: 24,
    switchNetns: `${name}-sw`,
    machineLink: `${name}-m`,
    baseDir,
    runDir,
    hosts,
  };
}

/** The dockerd command line of one host. */
export function dockerdArgs(host: TestHostPlan): string[] {
  return [
    "--data-root",
    host.dataRoot,
    "--exec-root",
    host.execRoot,
    "--pidfile",
    host.pidfile,
    "--host",
    `unix://${host.socket}`,
    "--storage-driver",
    "overlay2",
    // the host's own journald/syslog are the machine's: keep logs in files under the data root
    "--log-driver",
    "json-file",
  ];
}

export function managerOf(plan: TestHostsPlan): TestHostPlan {
  const manager = plan.hosts.find((h) => h.manager);
  if (!manager) throw new MinaLocalError("internal", "a test hosts plan without a manager");
  return manager;
}
